from django.urls import path

from . import views_consultation as views

urlpatterns = [
    path("", views.consultation_list, name="consultation-list"),
    path("new/", views.consultation_create, name="consultation-create"),
    path("<int:pk>/", views.consultation_detail, name="consultation-detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="consultation-edit"),
    path("<int:pk>/open/", views.consultation_open, name="consultation-open"),
    path("<int:pk>/close/", views.consultation_close, name="consultation-close"),
    path("<int:pk>/reopen/", views.consultation_reopen, name="consultation-reopen"),
    path("<int:pk>/collation/", views.consultation_collation, name="consultation-collation"),
    path("comment/<int:pk>/", views.comment_decide, name="comment-decide"),
]
