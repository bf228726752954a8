from django.urls import path

from congress import views, views_exports, views_reminders

app_name = "congress"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox-read"),
    path("inbox/<int:pk>/", views.notification_open, name="notification-open"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("reminders/mine/", views_reminders.my_deadlines, name="my-deadlines"),
    path("reminders/overdue/", views_reminders.overdue_list, name="overdue-list"),
    path("reminders/preferences/", views_reminders.preferences, name="reminder-preferences"),
    path("reminders/calendar/", views_reminders.calendar_subscription, name="calendar-subscription"),
    path("reminders/calendar/token/", views_reminders.calendar_token_regenerate, name="calendar-token"),
    path("calendar/<str:token>.ics", views_reminders.calendar_feed, name="calendar-feed"),
    path("exports/", views_exports.export_list, name="export-list"),
    path("exports/start/", views_exports.export_start, name="export-start"),
    path("exports/<int:pk>/", views_exports.export_detail, name="export-detail"),
    path("exports/<int:pk>/download/", views_exports.export_download, name="export-download"),
]
