"""Serializers of the legislation API (read-only): plans, projects with their steps and
documents. Codes come with their labels."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework import serializers

from congress.api.fields import LabelField
from congress.models import Attachment

from ..choices import DocumentKind, Step
from ..models import LegislativePlan, ProjectStep, RegulationProject


class LegislativePlanSerializer(serializers.ModelSerializer):
    kind_display = LabelField("kind")
    status_display = LabelField("status")

    class Meta:
        model = LegislativePlan
        fields = ["id", "kind", "kind_display", "year", "end_year", "title", "description", "status",
                  "status_display", "adopted_on", "version"]
        read_only_fields = fields


class RegulationProjectListSerializer(serializers.ModelSerializer):
    plan_title = serializers.CharField(source="plan.title", read_only=True)
    category_display = LabelField("category")
    kind_display = LabelField("kind")
    status_display = LabelField("status")
    # Empty until the project is set up (立项): the schema says so (a blank value beside the steps).
    current_step = serializers.ChoiceField(choices=Step.choices, allow_blank=True, read_only=True)
    current_step_display = serializers.CharField(source="step_label", read_only=True)
    lead_office_name = serializers.SerializerMethodField()
    drafting_body_name = serializers.CharField(source="drafting_label", read_only=True)
    vice_chair_name = serializers.SerializerMethodField()

    class Meta:
        model = RegulationProject
        fields = ["id", "plan", "plan_title", "title", "category", "category_display", "kind", "kind_display",
                  "lead_office", "lead_office_name", "drafting_body_name", "vice_chair", "vice_chair_name",
                  "current_step", "current_step_display", "status", "status_display", "status_reason",
                  "voted_on", "approved_on", "published_on", "filed_on", "previous", "version"]
        read_only_fields = fields

    def get_lead_office_name(self, obj) -> str:
        return str(obj.lead_office) if obj.lead_office_id else ""

    def get_vice_chair_name(self, obj) -> str:
        return str(obj.vice_chair) if obj.vice_chair_id else ""


class RegulationStepSerializer(serializers.ModelSerializer):
    step_display = LabelField("step")
    agenda_item_title = serializers.SerializerMethodField()

    class Meta:
        model = ProjectStep
        fields = ["id", "step", "step_display", "date", "agenda_item", "agenda_item_title", "note"]
        read_only_fields = fields

    def get_agenda_item_title(self, obj) -> str:
        return f"{obj.agenda_item.meeting}：{obj.agenda_item.title}" if obj.agenda_item_id else ""


class RegulationDocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "kind", "kind_display", "uploaded_at", "url"]
        read_only_fields = fields

    def get_kind_display(self, obj) -> str:
        return str(dict(DocumentKind.choices).get(obj.kind, DocumentKind.OTHER.label))

    def get_url(self, obj) -> str:
        return reverse("legislation:document", args=[obj.pk])


class RegulationProjectDetailSerializer(RegulationProjectListSerializer):
    steps = RegulationStepSerializer(many=True, read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta(RegulationProjectListSerializer.Meta):
        fields = [*RegulationProjectListSerializer.Meta.fields, "steps", "documents"]
        read_only_fields = fields

    def get_documents(self, obj) -> list[dict]:
        docs = Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(RegulationProject), object_id=obj.pk
        ).order_by("uploaded_at", "id")
        return RegulationDocumentSerializer(docs, many=True).data
