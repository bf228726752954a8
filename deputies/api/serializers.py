import json

from django import forms
from django.urls import reverse
from rest_framework import serializers

from congress.api.fields import LabelField, ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from congress.models import Attachment

from ..choices import ACTIVE_ASSIGNMENT_STATUSES
from ..models import (
    Activity,
    Assignment,
    Bill,
    CitizenOpinion,
    CoSignature,
    Evaluation,
    ExtensionRequest,
    FollowUp,
    Reply,
    ReplyCategory,
    ReturnRequest,
    Suggestion,
    SuggestionCategory,
)
from ..selectors import due_colour


class AttachmentSerializer(ScopedModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "kind", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("deputies:attachment", args=[obj.pk])


class SuggestionCategorySerializer(ScopedModelSerializer):
    class Meta:
        model = SuggestionCategory
        fields = ["id", "name", "sort_order", "is_active"]


class ReplyCategorySerializer(ScopedModelSerializer):
    class Meta:
        model = ReplyCategory
        fields = ["id", "code", "label", "counts_as_solved", "counts_as_planned", "opens_follow_up", "is_active"]


class CoSignatureSerializer(ScopedModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    status_display = LabelField("status")

    class Meta:
        model = CoSignature
        fields = ["id", "suggestion", "bill", "deputy", "deputy_name", "status", "status_display", "invited_at",
                  "responded_at", "note"]


class AssignmentSerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_display = LabelField("role")
    status_display = LabelField("status")
    category_code = serializers.CharField(source="category.code", default=None, read_only=True, allow_null=True)
    due_colour = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "suggestion", "unit", "unit_name", "role", "role_display", "status", "status_display",
                  "assigned_on", "due_date", "original_due_date", "return_deadline", "signed_at", "first_replied_on",
                  "replied_on", "category_code", "opinion", "opinion_submitted_at", "due_colour", "version"]

    def get_due_colour(self, obj) -> str:
        if obj.is_responding and obj.status in ("assigned", "signed", "return_requested"):
            return due_colour(obj.due_date)
        return ""


class EvaluationSerializer(ScopedModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "reply", "round", "attitude", "result", "comment", "no_feedback", "created_at"]


class ReplySerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="assignment.unit.name", read_only=True)
    category_code = serializers.CharField(source="category.code", default=None, read_only=True, allow_null=True)
    status_display = LabelField("status")
    letters = AttachmentSerializer(source="attachments", many=True, read_only=True)

    class Meta:
        model = Reply
        fields = ["id", "suggestion", "assignment", "unit_name", "round", "status", "status_display", "text",
                  "category_code", "signer", "sent_on", "is_current", "send_back_reason", "letters", "version"]


class ReturnRequestSerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="assignment.unit.name", read_only=True)

    class Meta:
        model = ReturnRequest
        fields = ["id", "assignment", "unit_name", "reason", "suggested_unit", "status", "decided_at", "decision_reason",
                  "created_at"]


class ExtensionRequestSerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="assignment.unit.name", read_only=True)

    class Meta:
        model = ExtensionRequest
        fields = ["id", "assignment", "unit_name", "reason", "requested_due", "status", "decided_at", "decision_reason",
                  "created_at"]


class FollowUpSerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="assignment.unit.name", read_only=True)
    suggestion_title = serializers.CharField(source="suggestion.title", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "suggestion", "suggestion_title", "assignment", "unit_name", "text", "due_date", "year", "status",
                  "done_on", "result", "carried_from", "version"]


class SuggestionListSerializer(ScopedModelSerializer):
    number = serializers.CharField(read_only=True)
    status_display = LabelField("status")
    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)
    delegation_name = serializers.CharField(source="lead_deputy.delegation.name", default=None, read_only=True, allow_null=True)
    category_name = serializers.CharField(source="category.name", default=None, read_only=True, allow_null=True)
    units = serializers.SerializerMethodField()

    class Meta:
        model = Suggestion
        fields = ["id", "number", "serial", "session", "period", "title", "lead_deputy", "lead_deputy_name",
                  "delegation_name", "category", "category_name", "status", "status_display", "received_on",
                  "assigned_on", "due_date", "first_replied_on", "replied_on_time", "evaluation_due", "key_level",
                  "is_public", "is_confidential", "units", "version"]
        # The model's columns the list reads (the API list loads only these).
        model_fields = ["serial", "session", "period", "title", "lead_deputy", "category", "status", "received_on",
                        "assigned_on", "due_date", "first_replied_on", "replied_on_time", "evaluation_due",
                        "key_level", "is_public", "is_confidential", "version"]

    def get_units(self, obj) -> list[dict]:
        if "_units_json" in obj.__dict__:  # read in the row's own statement (the API list)
            raw = obj.__dict__["_units_json"] or "[]"  # NULL: no active assignment
            rows = sorted(json.loads(raw) if isinstance(raw, str) else raw, key=lambda r: (r["role"], r["id"]))
            return [{"unit": r["unit"], "name": r["name"], "role": r["role"]} for r in rows]
        return [
            {"unit": a.unit_id, "name": a.unit.name, "role": a.role}
            for a in obj.assignments.all()
            if a.status in ACTIVE_ASSIGNMENT_STATUSES
        ]


class SuggestionDetailSerializer(SuggestionListSerializer):
    cosignatures = CoSignatureSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)
    replies = serializers.SerializerMethodField()
    evaluations = EvaluationSerializer(many=True, read_only=True)
    return_requests = ReturnRequestSerializer(many=True, read_only=True)
    extension_requests = ExtensionRequestSerializer(many=True, read_only=True)
    followups = FollowUpSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta(SuggestionListSerializer.Meta):
        fields = [*SuggestionListSerializer.Meta.fields, "situation", "proposal", "merged_into", "source_bill",
                  "suggested_unit", "key_leader", "key_office", "round", "is_complex", "review_reason",
                  "rejected_as_letter", "replied_on", "closed_on", "closing", "cosignatures", "assignments", "replies",
                  "evaluations", "return_requests", "extension_requests", "followups", "attachments",
                  "available_actions"]

    def get_replies(self, obj) -> list[dict]:
        # Only the replies this user may read (another unit's draft stays hidden).
        replies = getattr(obj, "visible_replies", None)
        if replies is None:
            user = self.context["request"].user
            replies = Reply.objects.visible_to(user).filter(suggestion=obj).select_related("assignment__unit", "category")
        return ReplySerializer(replies, many=True, context=self.context).data

    def get_available_actions(self, obj) -> list[str]:
        from ..actions import suggestion_actions_for

        return [a.name for a, _label in suggestion_actions_for(self.context["request"].user, obj)]


class SuggestionWriteSerializer(serializers.Serializer):
    """A deputy's draft: what they write; the rest is set by the workflow."""

    title = serializers.CharField(max_length=200)
    situation = serializers.CharField()
    proposal = serializers.CharField()
    category = ScopedPrimaryKeyRelatedField(queryset=SuggestionCategory.objects.filter(is_active=True), required=False,
                                                  allow_null=True)
    is_public = serializers.BooleanField(required=False, default=True)
    is_confidential = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False, help_text="修改时必填：读取时的版本号")


class BillSerializer(ScopedModelSerializer):
    number = serializers.CharField(read_only=True)
    status_display = LabelField("status")
    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)
    confirmed_cosigners = serializers.IntegerField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Bill
        fields = ["id", "number", "serial", "session", "title", "lead_deputy", "lead_deputy_name", "status",
                  "status_display", "submitted_at", "registered_on", "decided_on", "committee", "report_due",
                  "reported_on", "is_public", "confirmed_cosigners", "version"]


class BillDetailSerializer(BillSerializer):
    cosignatures = CoSignatureSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    converted_suggestion = ScopedPrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta(BillSerializer.Meta):
        fields = [*BillSerializer.Meta.fields, "grounds", "solution", "decision_reason", "report_text", "cosignatures",
                  "attachments", "converted_suggestion"]


class BillWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    grounds = serializers.CharField()
    solution = serializers.CharField()
    is_public = serializers.BooleanField(required=False, default=True)
    version = serializers.IntegerField(required=False)


class ActivitySerializer(ScopedModelSerializer):
    kind_display = LabelField("kind")
    station_name = serializers.CharField(source="station.name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Activity
        fields = ["id", "kind", "kind_display", "title", "date", "station", "station_name", "location", "deputies",
                  "people_received", "description", "version"]
        read_only_fields = ["version"]
        extra_kwargs = {"deputies": {"required": False, "allow_empty": True}}


class CitizenOpinionSerializer(ScopedModelSerializer):
    status_display = LabelField("status")

    class Meta:
        model = CitizenOpinion
        fields = ["id", "station", "activity", "deputy", "received_on", "citizen_name", "citizen_contact", "content",
                  "status", "status_display", "routed_unit", "routed_office", "routed_on", "answer", "answered_on",
                  "source", "tracking_code", "answered_at", "suggestion", "routed_station", "closed_on", "version"]
        read_only_fields = ["deputy", "status", "routed_unit", "routed_office", "routed_on", "answer", "answered_on",
                            "source", "tracking_code", "answered_at", "suggestion", "routed_station", "closed_on",
                            "version"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        # As on the page: the citizen's name, phone and tracking code are for the committee and the
        # deputy, not for the unit the opinion was passed to.
        if user is None or not (user.is_internal or user.is_deputy):
            data["citizen_name"] = data["citizen_contact"] = ""
            data["tracking_code"] = None
        return data


class PublicReplySerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="assignment.unit.name", read_only=True)
    category_code = serializers.CharField(source="category.code", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Reply
        fields = ["unit_name", "round", "text", "category_code", "sent_on"]


class PublicSuggestionSerializer(ScopedModelSerializer):
    number = serializers.CharField(read_only=True)
    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)
    category_name = serializers.CharField(source="category.name", default=None, read_only=True, allow_null=True)
    status_display = LabelField("status")
    replies = PublicReplySerializer(source="public_replies", many=True, read_only=True)

    class Meta:
        model = Suggestion
        fields = ["id", "number", "session", "title", "lead_deputy_name", "category_name", "status_display",
                  "replied_on", "replies"]


# ------------------------------------------------------------------ forms → schema
_FIELD_MAP = [
    (forms.ModelMultipleChoiceField, lambda f: ScopedPrimaryKeyRelatedField(many=True, queryset=f.queryset.model.objects.all(), required=f.required)),
    (forms.ModelChoiceField, lambda f: ScopedPrimaryKeyRelatedField(queryset=f.queryset.model.objects.all(), required=f.required, allow_null=not f.required)),
    (forms.DateField, lambda f: serializers.DateField(required=f.required, allow_null=not f.required)),
    (forms.BooleanField, lambda f: serializers.BooleanField(required=False)),
    (forms.IntegerField, lambda f: serializers.IntegerField(required=f.required, allow_null=not f.required)),
    (forms.FileField, lambda f: serializers.FileField(required=f.required, allow_null=not f.required)),
    (forms.ChoiceField, lambda f: serializers.ChoiceField(choices=[c for c in f.choices if c[0] != ""], required=f.required, allow_blank=not f.required)),
    (forms.CharField, lambda f: serializers.CharField(required=f.required, allow_blank=not f.required)),
]
_cache: dict = {}


def serializer_for_form(form_class, name: str):
    """A serializer describing an action form's input, for the OpenAPI schema only: the
    form itself validates the request, so the page and the API share one definition."""
    key = (form_class, name)
    if key not in _cache:
        attrs = {}
        for fname, field in form_class.base_fields.items():
            for kind, make in _FIELD_MAP:
                if isinstance(field, kind):
                    attrs[fname] = make(field)
                    attrs[fname].help_text = str(field.label or "")
                    break
        cls_name = "".join(p.capitalize() for p in name.split("_")) + "Input"
        _cache[key] = type(cls_name, (serializers.Serializer,), attrs)
    return _cache[key]

