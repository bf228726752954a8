from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "deputies-api"

router = DefaultRouter()
router.register("suggestions", views.SuggestionViewSet, basename="suggestion")
router.register("bills", views.BillViewSet, basename="bill")
router.register("cosignatures", views.CoSignatureViewSet, basename="cosignature")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("replies", views.ReplyViewSet, basename="reply")
router.register("follow-ups", views.FollowUpViewSet, basename="followup")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("citizen-opinions", views.CitizenOpinionViewSet, basename="citizen-opinion")
router.register("categories", views.SuggestionCategoryViewSet, basename="category")
router.register("reply-categories", views.ReplyCategoryViewSet, basename="reply-category")
router.register("public", views.PublicSuggestionViewSet, basename="public")

urlpatterns = [
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("deputies/<int:pk>/record/", views.DutyRecordView.as_view(), name="duty-record"),
    *router.urls,
]
