from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("new/", views.plan_create, name="plan-create"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/import/", views.plan_import, name="plan-import"),
    path("<int:pk>/export.docx", views.plan_export_docx, name="plan-export-docx"),
    path("<int:pk>/items/new/", views.item_create, name="item-create"),
    path("drafts/<int:pk>/", views.draft_preview, name="draft-preview"),
    path("items/", views.item_list, name="item-list"),
    path("items/export.xlsx", views.item_export_xlsx, name="item-export-xlsx"),
    path("items/bulk-assign/", views.item_bulk_assign, name="item-bulk-assign"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/progress/", views.item_progress, name="item-progress"),
    path("items/<int:pk>/status/", views.item_status, name="item-status"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
