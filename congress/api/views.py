from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from congress import notifications
from congress.api import filtersets
from congress.api import serializers as s
from congress.exceptions import ServiceError, check_version
from congress.history import record_change, snapshot
from congress.models import (
    AgendaItem,
    Appointment,
    AuditEntry,
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


class HistoryWriteMixin:
    # Writes through the API keep history like every other write (who, when, before and
    # after) in the same transaction, and refuse a stale `version` with 409 so two people
    # never overwrite each other. (A comment, not a docstring: drf-spectacular would show
    # an inherited docstring as every operation's description.)

    def perform_create(self, serializer):
        with transaction.atomic():
            obj = serializer.save()
            record_change(
                obj=obj, actor=self.request.user, action=AuditEntry.Action.CREATE, before=None, after=snapshot(obj)
            )

    def perform_update(self, serializer):
        instance = serializer.instance
        with transaction.atomic():
            current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            check_version(current, self.request.data.get("version"))
            before = snapshot(current)
            obj = serializer.save(version=current.version + 1)
            record_change(obj=obj, actor=self.request.user, before=before, after=snapshot(obj))

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                record_change(
                    obj=instance,
                    actor=self.request.user,
                    action=AuditEntry.Action.DELETE,
                    before=snapshot(instance),
                    after=None,
                )
                instance.delete()
        except ProtectedError:
            raise ServiceError(_("该记录已被决议决定、任免等记录引用，不能删除。"))


class MeView(APIView):
    """The signed-in user: role, office or unit, and reminder channels (PATCH changes the channels)."""

    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)

    @extend_schema(request=s.MeSerializer, responses=s.MeSerializer)
    def patch(self, request):
        ser = s.MeSerializer(request.user, data=request.data, context={"request": request}, partial=True)
        ser.is_valid(raise_exception=True)
        ser.save()
        return Response(ser.data)


class ReferenceViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Reference data, read-only here (administrators maintain it in the admin)."""


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
    base_queryset = LiaisonStation.objects.order_by("id")
    serializer_class = s.LiaisonStationSerializer


class DeputyViewSet(ReferenceViewSet):
    # Numeric ids only, so /api/v1/deputies/<name>/ reaches the deputies app's own endpoints.
    lookup_value_regex = r"\d+"
    base_queryset = Deputy.objects.select_related("delegation")
    serializer_class = s.DeputySerializer
    filterset_fields = ["term", "delegation", "group", "station", "is_active"]


class MeetingViewSet(HistoryWriteMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
    """Standing-committee sessions and councils of chairpersons (the latter only for committee staff). Updates send the `version` they read; a stale one gets 409."""

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


class AgendaItemViewSet(HistoryWriteMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
    """Agenda items of meetings. Updates send the `version` they read; a stale one gets 409."""

    base_queryset = AgendaItem.objects.all()
    serializer_class = s.AgendaItemSerializer
    permission_classes = [permissions.IsAuthenticated, IsInternalOrReadOnly]
    filterset_fields = ["meeting", "kind", "lead_office", "reporting_unit"]


class DecisionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Resolutions and decisions (决议决定) adopted at meetings."""

    base_queryset = Decision.objects.all()
    serializer_class = s.DecisionSerializer
    filterset_class = filtersets.DecisionFilterSet


class AppointmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Appointments and removals (任免) decided at meetings."""

    base_queryset = Appointment.objects.all()
    serializer_class = s.AppointmentSerializer
    filterset_class = filtersets.AppointmentFilterSet


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, help_text=_("省略则全部标为已读"))


class NotificationViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's inbox."""

    base_queryset = Notification.objects.all()
    serializer_class = s.NotificationSerializer
    filterset_class = filtersets.NotificationFilterSet

    @extend_schema(
        request=MarkReadSerializer,
        responses=inline_serializer("MarkReadResult", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        ser = MarkReadSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        count = notifications.mark_read(user=request.user, ids=ser.validated_data.get("ids"))
        return Response({"marked": count}, status=status.HTTP_200_OK)

    @extend_schema(responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()}))
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": self.get_queryset().unread().count()})
