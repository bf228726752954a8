from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congress.api.fields import LabelField, ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from congress.models import AgendaItem, HandlingUnit, Office, User
from congress.roles import LEADER_ROLES
from congress.uploads import validate_document, validate_plan_import

from ..choices import ItemStatus, ItemType, PeriodKind
from ..models import ImportDraft, Plan, PlanItem, ProgressEntry
from ..services import DRAFT_OPS


class ScopedAgendaItems(ScopedPrimaryKeyRelatedField):
    """Only agenda items the requesting user may see can be linked."""

    def __init__(self, **kwargs):
        super().__init__(queryset=AgendaItem.objects.all(), **kwargs)


class PlanSerializer(ScopedModelSerializer):
    kind_display = LabelField("kind")
    owner_office_name = serializers.CharField(source="owner_office.__str__", read_only=True, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, help_text=_("修改时须回传读取时的版本号；过期则返回409。"))
    item_count = serializers.IntegerField(read_only=True, default=0)  # a new plan has none; lists annotate it

    class Meta:
        model = Plan
        fields = [
            "id", "kind", "kind_display", "year", "title", "description", "approved_on", "approved_at",
            "owner_office", "owner_office_name", "is_published", "source_name", "created_at", "updated_at",
            "version", "item_count",
        ]
        read_only_fields = ["source_name", "created_at", "updated_at"]
        extra_kwargs = {"title": {"required": False}}


class PlanItemSerializer(ScopedModelSerializer):
    """An item as listed and edited. Status and progress change through their own
    endpoints (status, progress) so every change follows the workflow."""

    item_type_display = LabelField("item_type")
    status_display = LabelField("status")
    lead_office_name = serializers.CharField(source="lead_office.__str__", read_only=True, allow_null=True, default=None)
    vice_chair_name = serializers.CharField(source="vice_chair.__str__", read_only=True, allow_null=True, default=None)
    period_label = serializers.CharField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    agenda_items = ScopedAgendaItems(many=True, required=False)
    vice_chair = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.filter(role__in=LEADER_ROLES), required=False, allow_null=True
    )
    cooperating_offices = ScopedPrimaryKeyRelatedField(queryset=Office.objects.all(), many=True, required=False)
    cooperating_units = ScopedPrimaryKeyRelatedField(queryset=HandlingUnit.objects.all(), many=True, required=False)
    version = serializers.IntegerField(required=False, help_text=_("修改时须回传读取时的版本号；过期则返回409。"))

    class Meta:
        model = PlanItem
        fields = [
            "id", "plan", "parent", "level", "position", "number", "path", "title", "description",
            "item_type", "item_type_display", "lead_office", "lead_office_name", "vice_chair", "vice_chair_name",
            "cooperating_offices", "cooperating_units", "period_kind", "planned_month", "planned_quarter",
            "period_label", "due_date", "meeting", "agenda_items", "deliverable", "target", "status",
            "status_display", "status_reason", "outcome", "closed_on", "progress", "last_progress_on",
            "is_overdue", "version", "created_at", "updated_at",
        ]
        read_only_fields = [
            "level", "position", "path", "due_date", "status", "status_reason", "outcome", "closed_on",
            "progress", "last_progress_on", "created_at", "updated_at",
        ]


class PlanItemUpdateSerializer(PlanItemSerializer):
    class Meta(PlanItemSerializer.Meta):
        read_only_fields = [*PlanItemSerializer.Meta.read_only_fields, "plan", "parent"]


class PlanTreeNodeSerializer(ScopedModelSerializer):
    """One node of the plan tree with its children nested."""

    status_display = LabelField("status")
    lead_office_name = serializers.CharField(source="lead_office.__str__", read_only=True, allow_null=True, default=None)
    vice_chair_name = serializers.CharField(source="vice_chair.__str__", read_only=True, allow_null=True, default=None)
    period_label = serializers.CharField(read_only=True)
    children = serializers.SerializerMethodField()

    class Meta:
        model = PlanItem
        fields = [
            "id", "parent", "level", "position", "number", "title", "description", "item_type", "lead_office",
            "lead_office_name", "vice_chair", "vice_chair_name", "period_kind", "planned_month",
            "planned_quarter", "period_label", "due_date", "deliverable", "target", "status", "status_display",
            "progress", "version", "children",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField(), help_text=_("下级条目（同样结构）")))
    def get_children(self, obj):
        return PlanTreeNodeSerializer(getattr(obj, "tree_children", []), many=True, context=self.context).data


class PlanTreeSerializer(serializers.Serializer):
    plan = PlanSerializer()
    items = PlanTreeNodeSerializer(many=True)


class PlanProgressEntrySerializer(ScopedModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True, allow_null=True, default=None)
    attachments = serializers.SerializerMethodField()
    version = serializers.IntegerField(write_only=True, help_text=_("所报条目读取时的版本号"))
    attachment_files = serializers.SerializerMethodField()
    item = ScopedPrimaryKeyRelatedField(queryset=PlanItem.objects.all())

    class Meta:
        model = ProgressEntry
        fields = ["id", "item", "percent", "text", "reported_on", "author", "author_name", "created_at", "attachments",
                  "attachment_files", "version"]
        read_only_fields = ["reported_on", "author", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "item" in fields:
            fields["item"].queryset = PlanItem.objects.visible_to(request.user)
        return fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_attachments(self, obj):
        return [a.name for a in obj.attachments.all()]

    @extend_schema_field(serializers.ListField(child=serializers.DictField(child=serializers.CharField()),
                                               help_text=_("附件名称及下载地址（按计划的可见范围）")))
    def get_attachment_files(self, obj):
        return [{"name": a.name, "url": reverse("plans:attachment", args=[a.pk])} for a in obj.attachments.all()]


class PlanItemProgressInputSerializer(serializers.Serializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    text = serializers.CharField()
    version = serializers.IntegerField(help_text=_("条目读取时的版本号"))
    files = serializers.ListField(child=serializers.FileField(validators=[validate_document]), required=False)


class PlanItemStatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ItemStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField()


class PlanItemBulkAssignSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    lead_office = ScopedPrimaryKeyRelatedField(queryset=Office.objects.all(), required=False, allow_null=True)
    vice_chair = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.filter(role__in=LEADER_ROLES), required=False, allow_null=True
    )
    item_type = serializers.ChoiceField(choices=ItemType.choices, required=False)
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices, required=False)
    planned_month = serializers.IntegerField(min_value=1, max_value=12, required=False, allow_null=True)
    planned_quarter = serializers.IntegerField(min_value=1, max_value=4, required=False, allow_null=True)


class PlanItemBulkAssignResultSerializer(serializers.Serializer):
    updated = serializers.IntegerField()


class PlanImportRequestSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, help_text=_("粘贴的计划原文"))
    file = serializers.FileField(required=False, help_text=_(".txt 或 .docx 文件"), validators=[validate_plan_import])


class PlanDraftNodeSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    style = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    target = serializers.CharField(allow_blank=True)
    item_type = serializers.CharField()
    position = serializers.IntegerField(required=False)


class PlanImportDraftSerializer(ScopedModelSerializer):
    nodes = PlanDraftNodeSerializer(many=True, read_only=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = ImportDraft
        fields = ["id", "plan", "source_name", "nodes", "meta", "counts", "version", "confirmed_at", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField(), help_text=_("各层级条目数")))
    def get_counts(self, obj):
        from ..importer import counts_by_level

        return {str(k): v for k, v in counts_by_level(obj.nodes or []).items()}


class PlanDraftEditSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=sorted(DRAFT_OPS), help_text=_("level/indent/outdent/merge/split/delete/edit"))
    index = serializers.IntegerField(min_value=0, help_text=_("条目在列表中的序号（从0开始）"))
    level = serializers.IntegerField(required=False, min_value=1)
    sentence = serializers.IntegerField(required=False, min_value=1, help_text=_("拆分：从第几句开始（0为标题）"))
    title = serializers.CharField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    target = serializers.CharField(required=False, allow_blank=True)
    item_type = serializers.ChoiceField(choices=ItemType.choices, required=False)
    version = serializers.IntegerField(required=False)


class PlanDraftConfirmSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class PlanDraftConfirmResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    items = serializers.ListField(child=serializers.IntegerField())
