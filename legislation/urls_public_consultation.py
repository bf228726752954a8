"""Public pages of public comment on drafts (no sign-in), mounted at /public/drafts/."""

from django.urls import path

from . import views_consultation as views

app_name = "public-drafts"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/received/", views.public_received, name="received"),
]
