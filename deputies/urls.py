from django.urls import path

from . import views

app_name = "deputies"

urlpatterns = [
    path("", views.suggestion_list, name="suggestion-list"),
    path("suggestions/new/", views.suggestion_create, name="suggestion-create"),
    path("suggestions/export.xlsx", views.suggestion_export, name="suggestion-export"),
    path("suggestions/notices.docx", views.suggestion_notices, name="suggestion-notices"),
    path("suggestions/import/", views.suggestion_import, name="suggestion-import"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion-detail"),
    path("suggestions/<int:pk>/edit/", views.suggestion_edit, name="suggestion-edit"),
    path("suggestions/<int:pk>/notice.docx", views.suggestion_notice, name="suggestion-notice"),
    path("suggestions/<int:pk>/do/<slug:action>/", views.suggestion_action, name="suggestion-action"),
    path("assign/", views.bulk_assign, name="bulk-assign"),
    path("cosign/", views.cosign_inbox, name="cosign-inbox"),
    path("bills/", views.bill_list, name="bill-list"),
    path("bills/new/", views.bill_create, name="bill-create"),
    path("bills/<int:pk>/", views.bill_detail, name="bill-detail"),
    path("bills/<int:pk>/edit/", views.bill_edit, name="bill-edit"),
    path("bills/<int:pk>/do/<slug:action>/", views.bill_action, name="bill-action"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("me/", views.my_page, name="my-page"),
    path("deputies/<int:pk>/record/", views.deputy_record, name="deputy-record"),
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/new/", views.activity_edit, name="activity-create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("opinions/", views.opinion_list, name="opinion-list"),
    path("opinions/new/", views.opinion_create, name="opinion-create"),
    path("opinions/<int:pk>/", views.opinion_detail, name="opinion-detail"),
    path("opinions/<int:pk>/do/<slug:action>/", views.opinion_action, name="opinion-action"),
    path("follow-ups/", views.followup_list, name="followup-list"),
    path("follow-ups/<int:pk>/complete/", views.followup_complete, name="followup-complete"),
    path("follow-ups/carry-over/", views.followup_carry_over, name="followup-carry-over"),
    path("statistics/", views.statistics, name="statistics"),
    path("overdue/", views.overdue, name="overdue"),
    path("public/", views.public_list, name="public-list"),
    path("public/<int:pk>/", views.public_detail, name="public-detail"),
    path("public/letters/<int:pk>/", views.public_letter, name="public-letter"),
]
