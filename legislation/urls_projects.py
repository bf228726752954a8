from django.urls import path

from . import views_projects as views

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/import/", views.plan_import, name="plan-import"),
    path("plans/<int:pk>/projects/new/", views.project_create, name="project-create"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("projects/<int:pk>/advance/", views.project_action, {"action": "advance"}, name="project-advance"),
    path("projects/<int:pk>/approve/", views.project_action, {"action": "approve"}, name="project-approve"),
    path("projects/<int:pk>/file/", views.project_action, {"action": "file"}, name="project-file"),
    path("projects/<int:pk>/shelve/", views.project_action, {"action": "shelve"}, name="project-shelve"),
    path("projects/<int:pk>/carry/", views.project_action, {"action": "carry"}, name="project-carry"),
    path("projects/<int:pk>/upload/", views.project_action, {"action": "upload"}, name="project-upload"),
    path("projects/<int:pk>/link/", views.project_action, {"action": "link"}, name="project-link"),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
