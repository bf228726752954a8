from rest_framework.routers import DefaultRouter

from . import views

app_name = "plans-api"

router = DefaultRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("items", views.PlanItemViewSet, basename="item")
router.register("drafts", views.ImportDraftViewSet, basename="draft")
router.register("progress", views.ProgressEntryViewSet, basename="progress")

urlpatterns = router.urls
