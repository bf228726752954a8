from rest_framework.routers import SimpleRouter

from . import views_consultation as views

router = SimpleRouter()
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register("consultation-comments", views.PublicCommentViewSet, basename="consultation-comment")

urlpatterns = router.urls
