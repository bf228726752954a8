from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from congress.api.fields import LabelField, ScopedModelSerializer
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
    User,
)


class UserBriefSerializer(ScopedModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "office", "unit"]


class MeSerializer(ScopedModelSerializer):
    display_name = serializers.CharField(read_only=True)
    role_display = LabelField("role")

    class Meta:
        model = User
        fields = [
            "id", "username", "display_name", "role", "role_display", "office", "unit", "email",
            "notify_email", "notify_webhook", "notify_daily_digest",
        ]
        read_only_fields = ["id", "username", "display_name", "role", "role_display", "office", "unit"]


class TermSerializer(ScopedModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "number", "name", "start_date", "end_date", "is_current"]


class CongressSessionSerializer(ScopedModelSerializer):
    class Meta:
        model = CongressSession
        fields = ["id", "term", "number", "name", "start_date", "end_date", "bill_deadline"]


class OfficeSerializer(ScopedModelSerializer):
    class Meta:
        model = Office
        fields = ["id", "name", "short_name", "kind", "is_assigning_office", "vice_chair"]


class HandlingUnitSerializer(ScopedModelSerializer):
    class Meta:
        model = HandlingUnit
        fields = ["id", "name", "short_name", "group", "parent", "is_active"]


class DelegationSerializer(ScopedModelSerializer):
    class Meta:
        model = Delegation
        fields = ["id", "term", "name"]


class LiaisonStationSerializer(ScopedModelSerializer):
    class Meta:
        model = LiaisonStation
        fields = ["id", "name", "kind", "address", "established_on"]


class DeputySerializer(ScopedModelSerializer):
    delegation_name = serializers.CharField(source="delegation.name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Deputy
        fields = ["id", "name", "term", "delegation", "delegation_name", "group", "station", "occupation", "is_active"]


class AgendaItemSerializer(ScopedModelSerializer):
    class Meta:
        model = AgendaItem
        fields = [
            "id", "meeting", "order", "title", "kind", "lead_office", "reporting_unit", "reporter",
            "proposal_received_on", "draft_report_received_on", "final_report_received_on", "notice_sent_on",
            "version",
        ]
        read_only_fields = ["version"]

    def validate_meeting(self, meeting):
        # A related id is scoped like a detail URL: out of scope reads as "does not exist".
        request = self.context.get("request")
        if request is not None and not Meeting.objects.visible_to(request.user).filter(pk=meeting.pk).exists():
            raise serializers.ValidationError(_("会议不存在。"))
        return meeting


class MeetingSerializer(ScopedModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "kind", "term", "number", "name", "start_date", "end_date", "location", "status", "lead_office",
            "version",
        ]
        read_only_fields = ["version"]

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": [_("结束日期不能早于开始日期。")]})
        return attrs


class MeetingDetailSerializer(MeetingSerializer):
    agenda_items = AgendaItemSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "agenda_items"]


class DecisionSerializer(ScopedModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "meeting", "agenda_item", "kind", "title", "adopted_on"]


class AppointmentSerializer(ScopedModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "meeting", "agenda_item", "person_name", "position", "organisation", "action", "oath_taken", "effective_on"]


class NotificationSerializer(ScopedModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "level", "created_at", "read_at"]
        read_only_fields = fields


class AuditEntrySerializer(ScopedModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor", "action", "summary", "changes", "reason"]
