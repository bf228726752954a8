from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("new/", views.item_create, name="item-create"),
    path("year/", views.year_overview, name="year"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/<int:meeting_id>/", views.meeting_agenda, name="meeting-agenda"),
    path("<int:pk>/", views.item_detail, name="item-detail"),
    path("<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("<int:pk>/act/<slug:action>/", views.item_action, name="item-action"),
    path("<int:pk>/files/<int:att_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/projects/<int:project_id>/letter/", views.reminder_letter, name="reminder-letter"),
]
