from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from congress import notifications
from congress.api import filtersets
from congress.api import serializers as s
from congress.models import (
    AgendaItem,
    Appointment,
    CongressSession,
    Decision,
    Delegation,
    Deputy,
    HandlingUnit,
    LiaisonStation,
    Meeting,
    Notification,
    Office,
    Term,
)
from congress.scoping import ScopedViewSetMixin


class IsInternalOrReadOnly(permissions.BasePermission):
    """Reference data is edited by administrators (in the admin) or committee staff."""

    message = _("只有人大机关工作人员可以修改会议记录。")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user.is_authenticated and request.user.is_internal)


class MeView(APIView):
    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)

    @extend_schema(request=s.MeSerializer, responses=s.MeSerializer)
    def patch(self, request):
        ser = s.MeSerializer(request.user, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        ser.save()
        return Response(ser.data)


class ReferenceViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class TermViewSet(ReferenceViewSet):
    base_queryset = Term.objects.all()
    serializer_class = s.TermSerializer


class CongressSessionViewSet(ReferenceViewSet):
    base_queryset = CongressSession.objects.all()
    serializer_class = s.CongressSessionSerializer
    filterset_fields = ["term"]


class OfficeViewSet(ReferenceViewSet):
    base_queryset = Office.objects.all()
    serializer_class = s.OfficeSerializer
    filterset_fields = ["kind", "is_assigning_office"]


class HandlingUnitViewSet(ReferenceViewSet):
    base_queryset = HandlingUnit.objects.all()
    serializer_class = s.HandlingUnitSerializer
    filterset_fields = ["group", "parent", "is_active"]


class DelegationViewSet(ReferenceViewSet):
    base_queryset = Delegation.objects.all()
    serializer_class = s.DelegationSerializer
    filterset_fields = ["term"]


class LiaisonStationViewSet(ReferenceViewSet):
    base_queryset = LiaisonStation.objects.all()
    serializer_class = s.LiaisonStationSerializer


class DeputyViewSet(ReferenceViewSet):
    base_queryset = Deputy.objects.select_related("delegation")
    serializer_class = s.DeputySerializer
    filterset_fields = ["term", "delegation", "group", "station", "is_active"]


class MeetingViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    base_queryset = Meeting.objects.select_related("term")
    permission_classes = [permissions.IsAuthenticated, IsInternalOrReadOnly]
    filterset_class = filtersets.MeetingFilterSet
    ordering_fields = ["start_date", "number"]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related("agenda_items")
        return qs

    def get_serializer_class(self):
        return s.MeetingDetailSerializer if self.action == "retrieve" else s.MeetingSerializer


class AgendaItemViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    base_queryset = AgendaItem.objects.all()
    serializer_class = s.AgendaItemSerializer
    permission_classes = [permissions.IsAuthenticated, IsInternalOrReadOnly]
    filterset_fields = ["meeting", "kind", "lead_office", "reporting_unit"]

    def perform_create(self, serializer):
        meeting = serializer.validated_data["meeting"]
        if not Meeting.objects.visible_to(self.request.user).filter(pk=meeting.pk).exists():
            raise serializers.ValidationError({"meeting": [_("会议不存在。")]})
        serializer.save()


class DecisionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    base_queryset = Decision.objects.all()
    serializer_class = s.DecisionSerializer
    filterset_class = filtersets.DecisionFilterSet


class AppointmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    base_queryset = Appointment.objects.all()
    serializer_class = s.AppointmentSerializer
    filterset_class = filtersets.AppointmentFilterSet


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, help_text="省略则全部标为已读")


class NotificationViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    base_queryset = Notification.objects.all()
    serializer_class = s.NotificationSerializer
    filterset_class = filtersets.NotificationFilterSet

    @extend_schema(request=MarkReadSerializer, responses={200: None})
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        ser = MarkReadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        count = notifications.mark_read(user=request.user, ids=ser.validated_data.get("ids"))
        return Response({"marked": count}, status=status.HTTP_200_OK)

    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": self.get_queryset().unread().count()})
