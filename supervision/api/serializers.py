"""Serializers of the supervision API. Writes go through services; related ids are
checked against what the requesting user may see."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from congress.api.fields import LabelField, ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from congress.models import AgendaItem, Deputy, HandlingUnit, Meeting, Office, User
from congress.roles import INTERNAL_ROLES
from congress.uploads import validate_excel_import

from .. import choices as c
from ..models import (
    AppraisalTarget,
    AuditProblem,
    DeliberationOpinion,
    FiledDocument,
    Interpellation,
    LivelihoodProject,
    ProjectMilestone,
    SatisfactionVote,
    SupervisionItem,
    SupervisionStep,
)


def _plan_item_queryset():
    from plans.models import PlanItem

    return PlanItem.objects.all()


class StepSerializer(ScopedModelSerializer):
    status_colour = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionStep
        fields = ["id", "item", "code", "label", "order", "due_date", "due_manual", "done_on", "skipped", "is_optional",
                  "note", "version", "status_colour"]
        read_only_fields = fields

    def get_status_colour(self, obj) -> str:
        from ..selectors import due_colour

        return "" if obj.done_on or obj.skipped else due_colour(obj.due_date)


class StepCompleteSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    done_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StepUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    due_date = serializers.DateField(required=False, allow_null=True)
    skipped = serializers.BooleanField(required=False, allow_null=True, default=None)
    reopen = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)


class OpinionSerializer(ScopedModelSerializer):
    status_display = LabelField("status")

    class Meta:
        model = DeliberationOpinion
        fields = ["id", "item", "round", "status", "status_display", "text", "compiled_on", "approved_on",
                  "approval_meeting", "issue_due", "issued_on", "issued_in_person", "report_due",
                  "report_due_by_resolution", "report_submitted_on", "report_text", "follow_up_note", "closed_on",
                  "version"]
        read_only_fields = fields


class OpinionCompileSerializer(serializers.Serializer):
    item = ScopedPrimaryKeyRelatedField(queryset=SupervisionItem.objects.all())
    text = serializers.CharField()
    compiled_on = serializers.DateField(required=False, allow_null=True)


class OpinionTextSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    text = serializers.CharField()


class OpinionApproveSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    approved_on = serializers.DateField(required=False, allow_null=True)
    approval_meeting = ScopedPrimaryKeyRelatedField(
        queryset=Meeting.objects.filter(kind=Meeting.Kind.CHAIRPERSONS), required=False, allow_null=True
    )


class OpinionIssueSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    issued_on = serializers.DateField(required=False, allow_null=True)
    in_person = serializers.BooleanField(required=False, default=False)
    report_due = serializers.DateField(required=False, allow_null=True, help_text=_("决议另定报告期限时填写"))


class OpinionReportSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    report_text = serializers.CharField()
    submitted_on = serializers.DateField(required=False, allow_null=True)


class OpinionFollowUpSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    note = serializers.CharField()
    close = serializers.BooleanField(required=False, default=False)


class VoteSerializer(ScopedModelSerializer):
    item = ScopedPrimaryKeyRelatedField(queryset=SupervisionItem.objects.all())
    opinion = ScopedPrimaryKeyRelatedField(queryset=DeliberationOpinion.objects.all(), required=False, allow_null=True)
    agenda_item = ScopedPrimaryKeyRelatedField(queryset=AgendaItem.objects.all(), required=False, allow_null=True)
    result_display = LabelField("result")
    rule = serializers.SerializerMethodField()

    class Meta:
        model = SatisfactionVote
        fields = ["id", "item", "opinion", "agenda_item", "subject", "voted_on", "members_total", "satisfied",
                  "basically_satisfied", "dissatisfied", "result", "result_display", "explanation", "rule", "version"]
        read_only_fields = ["id", "result", "result_display", "explanation", "rule", "version"]

    def get_rule(self, obj) -> str:
        return str(c.VOTE_RULE_TEXT)


class ItemListSerializer(ScopedModelSerializer):
    kind_display = LabelField("kind")
    status_display = LabelField("status")
    lead_office_name = serializers.CharField(source="lead_office.__str__", read_only=True)
    target_unit_name = serializers.CharField(source="target_unit.name", default=None, read_only=True, allow_null=True)
    # The meeting's name, or null without a meeting (not the text of a method of None).
    meeting_name = serializers.StringRelatedField(source="meeting", read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = SupervisionItem
        fields = ["id", "kind", "kind_display", "year", "title", "status", "status_display", "target_unit",
                  "target_unit_name", "lead_office", "lead_office_name", "plan_item", "meeting", "meeting_name",
                  "agenda_item", "hearing_date", "start_date", "end_date", "is_published", "is_overdue", "version"]
        read_only_fields = fields


class ItemDetailSerializer(ItemListSerializer):
    steps = StepSerializer(many=True, read_only=True)
    opinions = OpinionSerializer(many=True, read_only=True)
    votes = VoteSerializer(many=True, read_only=True)
    departments = ScopedPrimaryKeyRelatedField(many=True, read_only=True)
    members = ScopedPrimaryKeyRelatedField(many=True, read_only=True)
    invited_deputies = ScopedPrimaryKeyRelatedField(many=True, read_only=True)
    can_edit = serializers.SerializerMethodField()

    class Meta(ItemListSerializer.Meta):
        fields = [*ItemListSerializer.Meta.fields, "description", "departments", "members", "invited_deputies",
                  "finance_kind", "law_name", "inspection_forms", "joint_with_lower", "audit_report_date",
                  "resolution_report_due", "rules_adopted", "result_summary", "steps", "opinions", "votes", "can_edit"]
        read_only_fields = fields

    def get_can_edit(self, obj) -> bool:
        from ..permissions import can_edit

        request = self.context.get("request")
        return bool(request and can_edit(request.user, obj))


class ItemWriteSerializer(ScopedModelSerializer):
    """Fields a lead office writes; `version` is required on update (409 when stale)."""

    version = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, write_only=True)
    lead_office = ScopedPrimaryKeyRelatedField(queryset=Office.objects.all(), required=False)
    target_unit = ScopedPrimaryKeyRelatedField(queryset=HandlingUnit.objects.all(), required=False, allow_null=True)
    departments = ScopedPrimaryKeyRelatedField(queryset=HandlingUnit.objects.all(), many=True, required=False)
    members = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, role__in=list(INTERNAL_ROLES)), many=True, required=False
    )
    invited_deputies = ScopedPrimaryKeyRelatedField(queryset=Deputy.objects.all(), many=True, required=False)
    meeting = ScopedPrimaryKeyRelatedField(queryset=Meeting.objects.all(), required=False, allow_null=True)
    agenda_item = ScopedPrimaryKeyRelatedField(queryset=AgendaItem.objects.all(), required=False, allow_null=True)
    inspection_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=c.InspectionForm.choices), required=False
    )

    class Meta:
        model = SupervisionItem
        fields = ["kind", "year", "title", "description", "target_unit", "departments", "lead_office", "plan_item",
                  "members", "invited_deputies", "start_date", "end_date", "meeting", "agenda_item", "hearing_date",
                  "is_published", "finance_kind", "law_name", "inspection_forms", "joint_with_lower",
                  "audit_report_date", "resolution_report_due", "rules_adopted", "result_summary", "version", "reason"]
        extra_kwargs = {"year": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        fields["plan_item"] = ScopedPrimaryKeyRelatedField(
            queryset=_plan_item_queryset(), required=False, allow_null=True
        )
        return fields


class TransitionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    to_status = serializers.ChoiceField(choices=c.ItemStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AuditProblemSerializer(ScopedModelSerializer):
    version = serializers.IntegerField(required=False, help_text=_("修改时必填：读取时的版本号"))
    item = ScopedPrimaryKeyRelatedField(queryset=SupervisionItem.objects.all())
    responsible_unit = ScopedPrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), required=False, allow_null=True
    )
    status_display = LabelField("status")

    class Meta:
        model = AuditProblem
        fields = ["id", "item", "number", "description", "category", "amount", "responsible_unit",
                  "rectification_kind", "due_date", "status", "status_display", "measures", "evidence",
                  "evidence_submitted_on", "rules_adopted", "rectified_on", "version"]
        read_only_fields = ["id", "status", "status_display", "measures", "evidence", "evidence_submitted_on",
                            "rules_adopted", "rectified_on"]


class EvidenceSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    measures = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    finished = serializers.BooleanField(required=False, default=False)


class VerifySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    rectified_on = serializers.DateField(required=False, allow_null=True)
    rules_adopted = serializers.IntegerField(required=False, min_value=0, default=0)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(validators=[validate_excel_import])


class MilestoneSerializer(ScopedModelSerializer):
    class Meta:
        model = ProjectMilestone
        fields = ["id", "project", "title", "due_date", "done_on", "version"]
        read_only_fields = ["id", "project", "version"]


class ProjectSerializer(ScopedModelSerializer):
    version = serializers.IntegerField(required=False, help_text=_("修改时必填：读取时的版本号"))
    item = ScopedPrimaryKeyRelatedField(queryset=SupervisionItem.objects.all())
    department = ScopedPrimaryKeyRelatedField(queryset=HandlingUnit.objects.all(), required=False, allow_null=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    status_display = LabelField("status")

    class Meta:
        model = LivelihoodProject
        fields = ["id", "item", "name", "description", "department", "budget", "status", "status_display",
                  "votes_for", "votes_against", "votes_abstain", "progress_percent", "progress_note",
                  "progress_updated_on", "milestones", "version"]
        read_only_fields = ["id", "status", "status_display", "votes_for", "votes_against", "votes_abstain",
                            "progress_percent", "progress_note", "progress_updated_on", "milestones"]


class ProjectVoteRowSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    votes_for = serializers.IntegerField(min_value=0)
    votes_against = serializers.IntegerField(min_value=0, default=0)
    votes_abstain = serializers.IntegerField(min_value=0, default=0)


class ProjectVotesSerializer(serializers.Serializer):
    voters_total = serializers.IntegerField(min_value=1)
    seats = serializers.IntegerField(min_value=1)
    voted_on = serializers.DateField(required=False, allow_null=True)
    votes = ProjectVoteRowSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField()
    completed = serializers.BooleanField(required=False, default=False)


class MilestoneWriteSerializer(serializers.Serializer):
    title = serializers.CharField()
    due_date = serializers.DateField()
    done_on = serializers.DateField(required=False, allow_null=True)


class MilestoneUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    title = serializers.CharField(required=False)
    due_date = serializers.DateField(required=False)
    done_on = serializers.DateField(required=False, allow_null=True)


class AppraisalTargetSerializer(ScopedModelSerializer):
    version = serializers.IntegerField(required=False, help_text=_("修改时必填：读取时的版本号"))
    item = ScopedPrimaryKeyRelatedField(queryset=SupervisionItem.objects.all())
    unit = ScopedPrimaryKeyRelatedField(queryset=HandlingUnit.objects.all(), required=False, allow_null=True)
    result_display = LabelField("result")

    class Meta:
        model = AppraisalTarget
        fields = ["id", "item", "person_name", "position", "unit", "members_total", "satisfied", "basically_satisfied",
                  "dissatisfied", "result", "result_display", "opinion", "rectification_due", "rectification_report",
                  "rectified_on", "version"]
        read_only_fields = ["id", "members_total", "satisfied", "basically_satisfied", "dissatisfied", "result",
                            "result_display", "rectification_report", "rectified_on"]


class CountsSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    members_total = serializers.IntegerField(min_value=0)
    satisfied = serializers.IntegerField(min_value=0)
    basically_satisfied = serializers.IntegerField(min_value=0)
    dissatisfied = serializers.IntegerField(min_value=0)


class RectificationSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    report = serializers.CharField()
    rectified_on = serializers.DateField(required=False, allow_null=True)


class InterpellationSerializer(ScopedModelSerializer):
    item = ScopedPrimaryKeyRelatedField(queryset=SupervisionItem.objects.all())
    addressed_unit = ScopedPrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Interpellation
        fields = ["id", "item", "subject", "addressed_unit", "proposer_names", "proposer_count", "submitted_on",
                  "answer_form", "answered_on", "answer_text", "dissatisfied_count", "second_answer_required",
                  "second_answered_on", "version"]
        read_only_fields = ["id", "proposer_count", "answered_on", "answer_text", "dissatisfied_count",
                            "second_answer_required", "second_answered_on", "version"]


class AnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    answered_on = serializers.DateField()
    answer_text = serializers.CharField(allow_blank=True, default="")
    second = serializers.BooleanField(required=False, default=False)


class DissatisfactionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    dissatisfied_count = serializers.IntegerField(min_value=0)


class FiledDocumentSerializer(ScopedModelSerializer):
    item = ScopedPrimaryKeyRelatedField(queryset=SupervisionItem.objects.all())
    maker = ScopedPrimaryKeyRelatedField(queryset=HandlingUnit.objects.all(), required=False, allow_null=True)
    filed_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = FiledDocument
        fields = ["id", "item", "title", "doc_number", "maker", "published_on", "filed_on", "filing_due", "filed_late",
                  "review_due", "status", "finding", "reviewed_on", "opinion_sent_on", "answer_due", "answered_on",
                  "version"]
        read_only_fields = ["id", "filing_due", "filed_late", "review_due", "status", "finding", "reviewed_on",
                            "opinion_sent_on", "answer_due", "answered_on", "version"]


class ReviewSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    finding = serializers.CharField(allow_blank=True, default="")
    problem = serializers.BooleanField(default=False)
    reviewed_on = serializers.DateField(required=False, allow_null=True)


class FilingAnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    answered_on = serializers.DateField(required=False, allow_null=True)
    corrected = serializers.BooleanField(default=True)


class SupervisionFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    definition = serializers.CharField()


class MeetingPrepSerializer(serializers.Serializer):
    item = ItemListSerializer()
    draft_due = serializers.DateField()
    final_due = serializers.DateField()
    notice_due = serializers.DateField()
    draft_done = serializers.DateField(allow_null=True)
    final_done = serializers.DateField(allow_null=True)
    notice_done = serializers.DateField(allow_null=True)


class MeetingDueSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    draft_due = serializers.DateField()
    final_due = serializers.DateField()
    notice_due = serializers.DateField()
    prep = MeetingPrepSerializer(many=True)
    reports_due = OpinionSerializer(many=True)
