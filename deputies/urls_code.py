"""Public pages of the deputies' QR codes (代表码), mounted at /public/deputies/ without sign-in."""

from django.urls import path

from . import views_code

app_name = "deputy-code"

urlpatterns = [
    path("track/", views_code.code_track, name="track"),
    path("<str:token>/", views_code.code_page, name="page"),
    path("<str:token>/done/", views_code.code_done, name="done"),
]
