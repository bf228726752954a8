from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "supervision-api"

router = DefaultRouter()
router.register("items", views.ItemViewSet, basename="item")
router.register("steps", views.StepViewSet, basename="step")
router.register("opinions", views.OpinionViewSet, basename="opinion")
router.register("votes", views.VoteViewSet, basename="vote")
router.register("audit-problems", views.AuditProblemViewSet, basename="audit-problem")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("appraisal-targets", views.AppraisalTargetViewSet, basename="appraisal-target")
router.register("interpellations", views.InterpellationViewSet, basename="interpellation")
router.register("filed-documents", views.FiledDocumentViewSet, basename="filed-document")

urlpatterns = [
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("meetings/<int:meeting_id>/due/", views.MeetingDueView.as_view(), name="meeting-due"),
    *router.urls,
]
