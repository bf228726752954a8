"""Forms of public comment on drafts: the staff's draft form, the citizen's comment form
and the staff's review and handling forms. Rules live in the services; these only read input."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.models import Office

from .choices_consultation import CommentStatus, Handling
from .models import Consultation
from .services_consultation import max_text

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class ConsultationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("修改理由"), required=False, max_length=300,
                             widget=forms.TextInput(attrs={"class": "form-control"}))

    class Meta:
        model = Consultation
        fields = ["title", "office", "project", "start_date", "end_date", "require_contact", "review_before_publish",
                  "explanation", "draft_text"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "office": forms.Select(attrs={"class": "form-select"}),
            "project": forms.Select(attrs={"class": "form-select"}),
            "start_date": DATE,
            "end_date": DATE,
            "require_contact": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "review_before_publish": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "explanation": forms.Textarea(attrs={"class": "form-control", "rows": 5}),
            "draft_text": forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 16}),
        }
        help_texts = {
            "draft_text": _("粘贴草案全文：每一条以“第X条”另起一行，章（第X章）、节（第X节）标题单独成行，系统自动拆分条文。"),
            "end_date": _("不填则按最短征求意见期限自动计算。"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.all()
        self.fields["project"].queryset = self._projects(user)
        self.fields["project"].empty_label = _("（不关联立法项目）")
        self.fields["end_date"].required = False
        self.fields["start_date"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["reason"]
        if user is not None and not user.is_app_admin:
            # Staff write for their own office only (the service checks it again).
            self.fields["office"].disabled = True
            if not self.instance.pk:
                self.fields["office"].initial = user.office_id

    def _projects(self, user):
        """Projects the user sees that are still going on, and the one already linked."""
        from .choices import ProjectStatus
        from .models import RegulationProject

        qs = RegulationProject.objects.all() if user is None else RegulationProject.objects.visible_to(user)
        keep = Q(status=ProjectStatus.IN_PROGRESS)
        if self.instance.project_id:
            keep |= Q(pk=self.instance.project_id)
        return qs.filter(keep).select_related("plan").order_by("-plan__year", "position", "id")

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "reason")}
        if data.get("end_date") is None:
            data.pop("end_date")
        if data.get("start_date") is None:
            data.pop("start_date")
        return data


class CommentForm(forms.Form):
    """A citizen's comment. `homepage` is a honeypot: hidden from people, filled by robots."""

    article = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("意见内容"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
                           required=False)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}))
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "tel",
                                                          "inputmode": "tel"}))
    show_name = forms.BooleanField(label=_("同意公开我的姓名"), required=False)
    homepage = forms.CharField(label=_("网址"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["maxlength"] = max_text()

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("homepage") or "").strip())


class CommentDecisionForm(forms.Form):
    """One comment: its public status and its handling, from the collation page."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("公开状态"), required=False,
                               choices=[("", _("（不变）"))] + [c for c in CommentStatus.choices if c[0] != "pending"],
                               widget=forms.Select(attrs={"class": "form-select"}))
    handling = forms.ChoiceField(label=_("处理情况"), required=False, choices=[("", _("（未处理）"))] + Handling.choices,
                                 widget=forms.Select(attrs={"class": "form-select"}))
    handling_reason = forms.CharField(label=_("处理理由"), required=False,
                                      widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))


class BulkForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    status = forms.ChoiceField(label=_("公开状态"), required=False,
                               choices=[("", _("（不变）"))] + [c for c in CommentStatus.choices if c[0] != "pending"],
                               widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    handling = forms.ChoiceField(label=_("处理情况"), required=False, choices=[("", _("（不变）"))] + Handling.choices,
                                 widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    reason = forms.CharField(label=_("处理理由"), required=False, max_length=2000,
                             widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(c, c) for c in choices]
