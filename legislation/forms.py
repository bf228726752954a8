"""Forms of the legislation pages. Writes go through services; forms only collect input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapFormMixin, VersionedForm
from congress.models import AgendaItem, Meeting, User
from congress.roles import LEADER_ROLES
from congress.uploads import validate_document, validate_plan_import

from .choices import MEETING_STEPS, DocumentKind, PlanKind, Step
from .models import LegislativePlan, ProjectStep, RegulationProject

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(VersionedForm):
    class Meta:
        model = LegislativePlan
        fields = ["kind", "year", "end_year", "title", "description", "status", "adopted_on", "adopted_at"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "adopted_on": DATE}

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("留空则按年度自动命名")
        self.fields["adopted_at"].queryset = Meeting.objects.filter(kind=Meeting.Kind.CHAIRPERSONS).select_related("term")


class ProjectForm(VersionedForm):
    class Meta:
        model = RegulationProject
        fields = ["title", "category", "kind", "lead_office", "drafting_body", "drafting_unit", "vice_chair"]

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["vice_chair"].queryset = User.objects.filter(role__in=LEADER_ROLES, is_active=True).order_by("id")
        self.fields["drafting_body"].help_text = _("例如：市司法局；也可在下方选择承办单位")


def _agenda_items():
    return (
        AgendaItem.objects.filter(meeting__kind=Meeting.Kind.STANDING)
        .select_related("meeting", "meeting__term")
        .order_by("-meeting__start_date", "order")
    )


class AgendaItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.meeting}：{obj.title}"


class AdvanceForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    step = forms.ChoiceField(label=_("环节"), choices=Step.choices)
    date = forms.DateField(label=_("日期"), required=False, widget=DATE, help_text=_("留空：关联议题的会议日期或今天"))
    agenda_item = AgendaItemChoice(label=_("常委会会议议题"), queryset=AgendaItem.objects.none(), required=False,
                                   help_text=_("审议和表决环节可关联会议议题"))
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = _agenda_items()


class LinkAgendaForm(BootstrapFormMixin, forms.Form):
    """Link (or change) the agenda item of a reading or the vote already recorded."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    step_record = forms.ModelChoiceField(label=_("环节"), queryset=ProjectStep.objects.none())
    agenda_item = AgendaItemChoice(label=_("常委会会议议题"), queryset=AgendaItem.objects.none(), required=False)

    def __init__(self, *args, project=None, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        steps = ProjectStep.objects.filter(step__in=list(MEETING_STEPS))
        self.fields["step_record"].queryset = steps.filter(project=project) if project is not None else steps.none()
        self.fields["step_record"].label_from_instance = lambda s: f"{s.get_step_display()}（{s.date:%Y-%m-%d}）"
        self.fields["agenda_item"].queryset = _agenda_items()


class DateActionForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(label=_("日期"), widget=DATE)


class ShelveForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("搁置理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CarryOverForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    next_plan = forms.ModelChoiceField(label=_("结转至"), queryset=LegislativePlan.objects.none())
    reason = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, project=None, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        qs = LegislativePlan.objects.filter(kind=PlanKind.ANNUAL)
        if project is not None:
            qs = qs.filter(year=project.plan.year + 1)
        self.fields["next_plan"].queryset = qs


class DocumentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("文件"), validators=[validate_document])


class ImportForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("粘贴立法计划原文"), required=False,
        widget=forms.Textarea(attrs={"rows": 14, "placeholder": _("一、继续审议项目\n1.《……条例》（……起草）")}),
    )
    file = forms.FileField(label=_("或上传文件"), required=False, validators=[validate_plan_import],
                           help_text=_("支持 .txt 和 .docx（含 Word 自动编号）。"))

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            self.add_error("text", _("请粘贴立法计划原文或上传 .txt / .docx 文件。"))
        return data
