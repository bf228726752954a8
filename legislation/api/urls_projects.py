from rest_framework.routers import SimpleRouter

from . import views_projects as views

router = SimpleRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("projects", views.ProjectViewSet, basename="project")

urlpatterns = router.urls
