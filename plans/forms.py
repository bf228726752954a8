"""Forms of the plan pages. Writes go through services; forms only collect input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapFormMixin, VersionedForm
from congress.models import AgendaItem, HandlingUnit, Meeting, Office, User
from congress.roles import LEADER_ROLES
from congress.uploads import validate_document, validate_plan_import

from .choices import ItemStatus, ItemType, PeriodKind, month_choices, quarter_choices
from .models import Plan, PlanItem
from .services import can_manage_plan


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def leader_choices():
    return User.objects.filter(role__in=LEADER_ROLES, is_active=True).order_by("role", "id")


class PlanForm(VersionedForm):
    class Meta:
        model = Plan
        fields = ["kind", "year", "title", "description", "owner_office", "approved_on", "approved_at", "is_published"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "approved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"is_published": _("公开后，人大代表和承办单位也能看到该计划。年度监督工作计划依法向社会公布。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("留空则按“年度+类别”自动命名")
        self.fields["approved_at"].queryset = Meeting.objects.filter(kind=Meeting.Kind.CHAIRPERSONS).select_related("term")


class ImportForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("粘贴计划原文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "placeholder": _("一、……\n（一）……\n1. ……\n（1）……")}),
    )
    file = forms.FileField(
        label=_("或上传文件"), required=False, validators=[validate_plan_import], help_text=_("支持 .txt 和 .docx（含 Word 自动编号）。")
    )

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            self.add_error("text", _("请粘贴计划原文或上传 .txt / .docx 文件。"))
        return data


class PlanItemForm(VersionedForm):
    """Assigning and correcting an item. The lead office and vice-chair are only open to
    the plan's managers; the lead office's own staff edit the rest."""

    class Meta:
        model = PlanItem
        fields = [
            "number",
            "title",
            "description",
            "item_type",
            "lead_office",
            "vice_chair",
            "cooperating_offices",
            "cooperating_units",
            "period_kind",
            "planned_month",
            "planned_quarter",
            "meeting",
            "agenda_items",
            "deliverable",
            "target",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "cooperating_offices": forms.SelectMultiple(attrs={"size": 5}),
            "cooperating_units": forms.SelectMultiple(attrs={"size": 6}),
            "agenda_items": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vice_chair"].queryset = leader_choices()
        self.fields["cooperating_units"].queryset = HandlingUnit.objects.filter(is_active=True)
        self.fields["meeting"].queryset = Meeting.objects.select_related("term").order_by("-start_date")
        self.fields["agenda_items"].queryset = (
            AgendaItem.objects.visible_to(user).select_related("meeting", "meeting__term").order_by("-meeting__start_date", "order")
            if user is not None
            else AgendaItem.objects.none()
        )
        self.fields["agenda_items"].label_from_instance = lambda a: f"{a.meeting}：{a.title}"
        self.fields["planned_month"].widget = forms.Select(choices=month_choices)
        self.fields["planned_quarter"].widget = forms.Select(choices=quarter_choices)
        for name in ("planned_month", "planned_quarter"):
            self.fields[name].widget.attrs["class"] = "form-select"
        if user is not None and self.instance.pk and not can_manage_plan(user, self.instance.plan):
            for name in ("lead_office", "vice_chair"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("由计划起草委室或领导调整")


class ProgressForm(BootstrapFormMixin, forms.Form):
    percent = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("附件"), validators=[validate_document])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InlineProgressForm(BootstrapFormMixin, forms.Form):
    """The short form in a list row: percent and one line of text."""

    percent = forms.IntegerField(label=_("进度"), min_value=0, max_value=100)
    text = forms.CharField(label=_("进展"), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=ItemStatus.choices)
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("延期、取消、调整须说明理由（如主任会议的决定）"))
    outcome = forms.CharField(label=_("完成情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("办结时对照成果形式填写"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class BulkAssignForm(BootstrapFormMixin, forms.Form):
    """Set office, leader, type or period of the ticked items; an empty field is left as it is."""

    lead_office = forms.ModelChoiceField(label=_("牵头委室"), queryset=Office.objects.all(), required=False)
    vice_chair = forms.ModelChoiceField(label=_("分管领导"), queryset=User.objects.none(), required=False)
    item_type = forms.ChoiceField(label=_("类型"), choices=[("", "—")] + list(ItemType.choices), required=False)
    period_kind = forms.ChoiceField(label=_("计划时间"), choices=[("", "—")] + list(PeriodKind.choices), required=False)
    planned_month = forms.TypedChoiceField(
        label=_("月份"), choices=month_choices, coerce=int, required=False, empty_value=None
    )
    planned_quarter = forms.TypedChoiceField(
        label=_("季度"), choices=quarter_choices,
        coerce=int, required=False, empty_value=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vice_chair"].queryset = leader_choices()

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("lead_office", "vice_chair", "item_type", "period_kind")):
            raise forms.ValidationError(_("请选择要批量设置的内容。"))
        return data

    def values(self) -> dict:
        d = self.cleaned_data
        out = {}
        for key in ("lead_office", "vice_chair", "item_type"):
            if d.get(key):
                out[key] = d[key]
        if d.get("period_kind"):
            out["period_kind"] = d["period_kind"]
            out["planned_month"] = d.get("planned_month")
            out["planned_quarter"] = d.get("planned_quarter")
        return out
