from django.urls import path
from rest_framework.routers import DefaultRouter

from congress.api import views
from congress.api.exports import ExportJobViewSet
from congress.security.views import obtain_token

router = DefaultRouter()
router.register("terms", views.TermViewSet, basename="term")
router.register("sessions", views.CongressSessionViewSet, basename="session")
router.register("offices", views.OfficeViewSet, basename="office")
router.register("units", views.HandlingUnitViewSet, basename="unit")
router.register("delegations", views.DelegationViewSet, basename="delegation")
router.register("stations", views.LiaisonStationViewSet, basename="station")
router.register("deputies", views.DeputyViewSet, basename="deputy")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("agenda-items", views.AgendaItemViewSet, basename="agenda-item")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("appointments", views.AppointmentViewSet, basename="appointment")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("exports", ExportJobViewSet, basename="export")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("auth/token/", obtain_token, name="api-token"),
    *router.urls,
]
