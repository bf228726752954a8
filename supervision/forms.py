"""Forms of the supervision pages. They only collect input; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapFormMixin, VersionedForm
from congress.models import AgendaItem, Deputy, HandlingUnit, Meeting, User
from congress.roles import INTERNAL_ROLES
from congress.uploads import validate_document, validate_excel_import

from . import choices as c
from .models import AppraisalTarget, AuditProblem, FiledDocument, LivelihoodProject, SupervisionItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(label, required=False, help_text=""):
    return forms.DateField(label=label, required=required, widget=DATE, help_text=help_text)


class ItemForm(VersionedForm):
    inspection_forms = forms.MultipleChoiceField(
        label=_("检查方式"), choices=c.InspectionForm.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("修改理由"), required=False, max_length=300)

    class Meta:
        model = SupervisionItem
        fields = ["kind", "year", "title", "description", "target_unit", "departments", "lead_office", "plan_item",
                  "meeting", "agenda_item", "hearing_date", "start_date", "end_date", "members", "invited_deputies",
                  "finance_kind", "law_name", "inspection_forms", "joint_with_lower", "audit_report_date",
                  "resolution_report_due", "rules_adopted", "result_summary", "is_published"]
        widgets = {
            "hearing_date": DATE, "start_date": DATE, "end_date": DATE, "audit_report_date": DATE,
            "resolution_report_due": DATE, "description": forms.Textarea(attrs={"rows": 3}),
            "rules_adopted": forms.Textarea(attrs={"rows": 2}), "result_summary": forms.Textarea(attrs={"rows": 2}),
            "departments": forms.SelectMultiple(attrs={"size": 5}), "members": forms.SelectMultiple(attrs={"size": 5}),
            "invited_deputies": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].required = False
        self.fields["meeting"].queryset = Meeting.objects.filter(kind=Meeting.Kind.STANDING).select_related("term")
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(
            meeting__kind=Meeting.Kind.STANDING
        ).select_related("meeting", "meeting__term")
        self.fields["members"].queryset = User.objects.filter(is_active=True, role__in=list(INTERNAL_ROLES))
        self.fields["invited_deputies"].queryset = Deputy.objects.filter(is_active=True)
        self.fields["target_unit"].queryset = HandlingUnit.objects.filter(is_active=True)
        self.fields["departments"].queryset = HandlingUnit.objects.filter(is_active=True)
        self.fields["agenda_item"].label_from_instance = lambda a: f"{a.meeting} · {a.title}"
        self.fields["plan_item"].queryset = self.fields["plan_item"].queryset.select_related()
        self.fields["lead_office"].required = False
        if self.instance.pk:
            self.fields["kind"].disabled = True
        if user is not None and not user.is_app_admin:
            self.fields["lead_office"].disabled = True
            if not self.instance.pk:
                self.initial.setdefault("lead_office", user.office_id)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "reason")}
        if self.instance.pk:
            data.pop("kind", None)
        if not data.get("year"):
            data.pop("year", None)
        if not data.get("lead_office"):
            data.pop("lead_office", None)
        return data


class VersionOnly(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StepCompleteForm(VersionOnly):
    done_on = date_field(_("完成日期"), help_text=_("不填为今天"))
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class StepChangeForm(VersionOnly):
    due_date = date_field(_("期限（手工设定）"))
    skipped = forms.BooleanField(label=_("不适用"), required=False)
    reopen = forms.BooleanField(label=_("重新打开"), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class TransitionForm(VersionOnly):
    to_status = forms.ChoiceField(label=_("变更为"), choices=c.ItemStatus.choices)
    reason = forms.CharField(label=_("理由"), required=False, max_length=300)


class OpinionCompileForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("审议意见"), widget=forms.Textarea(attrs={"rows": 8}))
    compiled_on = date_field(_("汇总日期"), help_text=_("不填为今天"))


class OpinionTextForm(VersionOnly):
    text = forms.CharField(label=_("审议意见"), widget=forms.Textarea(attrs={"rows": 8}))


class OpinionApproveForm(VersionOnly):
    approval_meeting = forms.ModelChoiceField(
        label=_("主任会议"), required=False,
        queryset=Meeting.objects.filter(kind=Meeting.Kind.CHAIRPERSONS).select_related("term").order_by("-start_date"),
    )
    approved_on = date_field(_("通过日期"), help_text=_("选择主任会议时取会议日期"))


class OpinionIssueForm(VersionOnly):
    issued_on = date_field(_("交办日期"), help_text=_("不填为今天"))
    in_person = forms.BooleanField(label=_("当面交办"), required=False)
    report_due = date_field(_("决议规定的报告期限"), help_text=_("常委会决议另定期限时填写；否则按期限设置自动计算"))


class OpinionReportForm(VersionOnly):
    report_text = forms.CharField(label=_("研究处理情况"), widget=forms.Textarea(attrs={"rows": 8}))
    submitted_on = date_field(_("报送日期"), help_text=_("不填为今天"))


class OpinionFollowUpForm(VersionOnly):
    note = forms.CharField(label=_("跟踪监督情况"), widget=forms.Textarea(attrs={"rows": 4}))
    close = forms.BooleanField(label=_("跟踪完毕"), required=False)


class VoteForm(BootstrapFormMixin, forms.Form):
    voted_on = date_field(_("测评日期"), required=True)
    subject = forms.CharField(label=_("测评对象"), required=False, max_length=200)
    members_total = forms.IntegerField(label=_("组成人员总数"), min_value=0, help_text=_("全体组成人员，不是出席人数"))
    satisfied = forms.IntegerField(label=_("满意票"), min_value=0)
    basically_satisfied = forms.IntegerField(label=_("基本满意票"), min_value=0)
    dissatisfied = forms.IntegerField(label=_("不满意票"), min_value=0)


class AuditProblemForm(BootstrapFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AuditProblem
        fields = ["number", "description", "category", "amount", "responsible_unit", "rectification_kind", "due_date"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel文件"), validators=[validate_excel_import], help_text=_("第一张工作表，表头含“问题”，可含序号、问题类别、涉及金额、责任单位、整改类型、整改期限"))


class EvidenceForm(VersionOnly):
    measures = forms.CharField(label=_("整改措施"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("整改佐证"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    finished = forms.BooleanField(label=_("整改完成，申请销号"), required=False)


class VerifyForm(VersionOnly):
    rectified_on = date_field(_("销号日期"), help_text=_("不填为今天"))
    rules_adopted = forms.IntegerField(label=_("建立健全制度数"), min_value=0, initial=0)


class ProjectForm(BootstrapFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LivelihoodProject
        fields = ["name", "description", "department", "budget"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ProjectVotesForm(BootstrapFormMixin, forms.Form):
    voters_total = forms.IntegerField(label=_("参加票决的代表人数"), min_value=1)
    seats = forms.IntegerField(label=_("拟确定项目数"), min_value=1)
    voted_on = date_field(_("票决日期"))

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = list(projects)
        for p in self.projects:
            for key, label in (("for", _("赞成")), ("against", _("反对")), ("abstain", _("弃权"))):
                self.fields[f"p{p.pk}_{key}"] = forms.IntegerField(
                    label=f"{p.name} · {label}", min_value=0, required=key == "for",
                    widget=forms.NumberInput(attrs={"class": "form-control"}),
                )

    def votes(self) -> dict:
        cd = self.cleaned_data
        return {p.pk: (cd[f"p{p.pk}_for"], cd.get(f"p{p.pk}_against") or 0, cd.get(f"p{p.pk}_abstain") or 0)
                for p in self.projects}


class ProgressForm(VersionOnly):
    percent = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    note = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    completed = forms.BooleanField(label=_("项目已完成"), required=False)


class MilestoneForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("节点"), max_length=200)
    due_date = date_field(_("计划完成日期"), required=True)
    done_on = date_field(_("实际完成日期"))


class MilestoneEditForm(VersionOnly):
    title = forms.CharField(label=_("节点"), max_length=200, help_text=_("责任单位只能填写实际完成日期"))
    due_date = date_field(_("计划完成日期"), required=True)
    done_on = date_field(_("实际完成日期"), help_text=_("节点完成后填写；清空表示尚未完成"))


class AppraisalTargetForm(BootstrapFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AppraisalTarget
        fields = ["person_name", "position", "unit", "opinion", "rectification_due"]
        widgets = {"rectification_due": DATE, "opinion": forms.Textarea(attrs={"rows": 3})}


class CountsForm(VersionOnly):
    members_total = forms.IntegerField(label=_("组成人员总数"), min_value=0)
    satisfied = forms.IntegerField(label=_("满意票"), min_value=0)
    basically_satisfied = forms.IntegerField(label=_("基本满意票"), min_value=0)
    dissatisfied = forms.IntegerField(label=_("不满意票"), min_value=0)


class RectificationForm(VersionOnly):
    report = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 4}))
    rectified_on = date_field(_("报告日期"), help_text=_("不填为今天"))


class InterpellationForm(BootstrapFormMixin, forms.Form):
    subject = forms.CharField(label=_("质询事由"), max_length=300)
    addressed_unit = forms.ModelChoiceField(label=_("受质询机关"), queryset=HandlingUnit.objects.all(), required=False)
    proposer_names = forms.CharField(label=_("提案人"), widget=forms.Textarea(attrs={"rows": 5}),
                                     help_text=_("每行一人，或以顿号分隔"))
    submitted_on = date_field(_("提出日期"), required=True)
    answer_form = forms.ChoiceField(label=_("答复方式"), choices=c.AnswerForm.choices)


class InterpellationAnswerForm(VersionOnly):
    answered_on = date_field(_("答复日期"), required=True)
    answer_text = forms.CharField(label=_("答复内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class DissatisfactionForm(VersionOnly):
    dissatisfied_count = forms.IntegerField(label=_("不满意的提案人数"), min_value=0)


class FiledDocumentForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = FiledDocument
        fields = ["title", "doc_number", "maker", "published_on", "filed_on"]
        widgets = {"published_on": DATE, "filed_on": DATE}


class ReviewForm(VersionOnly):
    problem = forms.BooleanField(label=_("发现问题，提出审查意见"), required=False)
    finding = forms.CharField(label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reviewed_on = date_field(_("审查日期"), help_text=_("不填为今天"))


class FilingAnswerForm(VersionOnly):
    answered_on = date_field(_("答复日期"), help_text=_("不填为今天"))
    corrected = forms.BooleanField(label=_("已纠正"), required=False, initial=True)


class AttachmentForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("文件"), validators=[validate_document])
    kind = forms.CharField(label=_("材料类别"), required=False, max_length=40, help_text=_("例如：报告、方案、审议意见、整改佐证"))
