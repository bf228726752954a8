from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.year_dashboard, name="year"),
    path("present/", views.present, name="present"),
    path("records/<slug:key>/", views.records, name="records"),
    path("summary/", views.summary, name="summary"),
    path("summary/edit/", views.summary_edit, name="summary-edit"),
    path("summary/word/", views.summary_word, name="summary-word"),
    path("manual/", views.manual_list, name="manual-list"),
    path("manual/<int:pk>/", views.manual_edit, name="manual-edit"),
    path("manual/<int:pk>/delete/", views.manual_delete, name="manual-delete"),
    path("mine/", views.mine, name="mine"),
]
