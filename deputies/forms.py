"""Forms of the pages. Action forms validate input only; the services decide whether the
actor may act. The API validates transition input with the same forms."""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapFormMixin, VersionedForm
from congress.models import CongressSession, Deputy, HandlingUnit, LiaisonStation, Office, User
from congress.roles import LEADER_ROLES
from congress.uploads import validate_document, validate_excel_import
from congress.workdays import today

from .choices import ActivityKind, ContactMethod, KeyLevel, Rating, ReplyStatus, SuggestionStatus
from .models import Activity, Bill, CitizenOpinion, Reply, ReplyCategory, Suggestion, SuggestionCategory

DATE = forms.DateInput(attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def active_units():
    return HandlingUnit.objects.filter(is_active=True).order_by("group", "sort_order", "id")


def term_deputies(term_id, exclude=None):
    qs = Deputy.objects.filter(term_id=term_id, is_active=True).select_related("delegation").order_by("delegation", "id")
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs


class DeputyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.delegation}）" if obj.delegation_id else obj.name


# ------------------------------------------------------------------ drafting
class SuggestionForm(VersionedForm):
    files = MultipleFileField(label=_("附件"), required=False, validators=[validate_document])

    class Meta:
        model = Suggestion
        fields = ["title", "category", "situation", "proposal", "is_public", "is_confidential"]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 6}),
            "proposal": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "title": _("一件建议只反映一个问题。"),
            "situation": _("写明问题的现状和原因。"),
            "proposal": _("写明具体、可行的意见。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = SuggestionCategory.objects.filter(is_active=True)


class BillForm(VersionedForm):
    files = MultipleFileField(label=_("附件"), required=False, validators=[validate_document])

    class Meta:
        model = Bill
        fields = ["title", "grounds", "solution", "is_public"]
        widgets = {"grounds": forms.Textarea(attrs={"rows": 6}), "solution": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"title": _("一案一事。"), "solution": _("提出解决问题的具体方案。")}


# ------------------------------------------------------------------ action forms
class ActionForm(BootstrapFormMixin, forms.Form):
    """Input of one transition; `item` is the suggestion or bill, `user` the actor."""

    def __init__(self, *args, item=None, user=None, **kwargs):
        self.item = item
        self.user = user
        super().__init__(*args, **kwargs)
        if item is not None and not self.is_bound:
            self._initial_from_item(item)

    def _initial_from_item(self, item) -> None:
        """A field named like one of the item's choices (its category, a unit, a flag)
        opens on the item's current value: confirming a step must not silently clear
        what the deputy or an earlier step chose."""
        for name in self.fields:
            if name in self.initial:
                continue
            try:
                model_field = item._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not model_field.concrete or model_field.many_to_many:
                continue
            value = getattr(item, model_field.attname)
            if value in (None, ""):
                continue  # nothing chosen yet: leave room for a form's own suggestion
            if model_field.is_relation or model_field.choices or isinstance(model_field, models.BooleanField):
                self.initial[name] = value


class EmptyForm(ActionForm):
    pass


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(ActionForm):
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class InviteForm(ActionForm):
    deputies = DeputyChoiceField(label=_("邀请代表"), queryset=Deputy.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.item is not None:
            taken = self.item.cosignatures.values_list("deputy_id", flat=True)
            self.fields["deputies"].queryset = term_deputies(self.item.term_id, self.item.lead_deputy_id).exclude(pk__in=taken)
        else:
            self.fields["deputies"].queryset = Deputy.objects.filter(is_active=True)
        self.fields["deputies"].widget.attrs["size"] = 10


class UninviteForm(ActionForm):
    deputy = forms.ModelChoiceField(label=_("代表"), queryset=Deputy.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Deputy.objects.all()
        if self.item is not None:
            qs = Deputy.objects.filter(pk__in=self.item.cosignatures.values("deputy_id"))
        self.fields["deputy"].queryset = qs


class RegisterForm(ActionForm):
    category = forms.ModelChoiceField(label=_("分类"), queryset=SuggestionCategory.objects.filter(is_active=True), required=False)


def _hinted_unit_id(item, user):
    """The unit that handled the most similar items of the term (issue: suggest that unit),
    offered as the default when the reviewer has not chosen one yet."""
    if user is None or not getattr(user, "is_internal", False):
        return None
    from . import selectors

    unit = selectors.suggest_unit(selectors.similar_suggestions(item, Suggestion.objects.visible_to(user)))
    return unit.pk if unit else None


class AcceptForm(ActionForm):
    category = forms.ModelChoiceField(label=_("分类"), queryset=SuggestionCategory.objects.filter(is_active=True), required=False)
    is_complex = forms.BooleanField(label=_("复杂建议（答复期限六个月）"), required=False)
    suggested_unit = forms.ModelChoiceField(label=_("拟交办单位"), queryset=HandlingUnit.objects.none(), required=False)
    reason = forms.CharField(label=_("审查意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggested_unit"].queryset = active_units()
        if self.item is not None and not self.is_bound:
            self.initial.setdefault("category", self.item.category_id)
            self.initial.setdefault("is_complex", self.item.is_complex)
            self.initial.setdefault("suggested_unit", self.item.suggested_unit_id or _hinted_unit_id(self.item, self.user))


class RejectForm(ActionForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("如：属个人或家庭事务、申诉控告、正在审理的案件、推销产品、内容空泛等。"))
    as_letter = forms.BooleanField(label=_("作为代表来信处理"), required=False)


class MergeForm(ActionForm):
    into = forms.ModelChoiceField(label=_("并入的建议"), queryset=Suggestion.objects.none())
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.item is not None and self.user is not None:
            from .services import MERGE_TARGET_STATUSES

            self.fields["into"].queryset = (
                Suggestion.objects.visible_to(self.user)
                .filter(term_id=self.item.term_id, status__in=MERGE_TARGET_STATUSES, merged_into__isnull=True)
                .exclude(pk=self.item.pk)
                .order_by("serial")
            )
        else:
            self.fields["into"].queryset = Suggestion.objects.all()


class AssignForm(ActionForm):
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=HandlingUnit.objects.none(), required=False)
    co_units = forms.ModelMultipleChoiceField(label=_("协办（会办）单位"), queryset=HandlingUnit.objects.none(), required=False)
    separate_units = forms.ModelMultipleChoiceField(
        label=_("分别办理单位"), queryset=HandlingUnit.objects.none(), required=False,
        help_text=_("选择分别办理时，不选主办和协办单位，各单位分别答复代表。"),
    )
    is_complex = forms.BooleanField(label=_("复杂建议（答复期限六个月）"), required=False)
    assigned_on = forms.DateField(label=_("交办日期"), widget=DATE, required=False, help_text=_("默认为今天；交办会可填会议日期。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "co_units", "separate_units"):
            self.fields[name].queryset = active_units()
        if self.item is not None and not self.is_bound:
            self.initial.setdefault("lead_unit", self.item.suggested_unit_id or _hinted_unit_id(self.item, self.user))
            self.initial.setdefault("is_complex", self.item.is_complex)

    def clean_assigned_on(self):
        value = self.cleaned_data.get("assigned_on")
        if value and value > today():
            raise forms.ValidationError(_("交办日期不能晚于今天。"))
        return value


class KeyForm(ActionForm):
    level = forms.ChoiceField(label=_("督办级别"), choices=[("", _("取消重点督办"))] + list(KeyLevel.choices), required=False)
    leader = forms.ModelChoiceField(label=_("督办领导"), queryset=User.objects.none(), required=False)
    office = forms.ModelChoiceField(label=_("督办委室"), queryset=Office.objects.all(), required=False)
    reason = forms.CharField(label=_("依据"), required=False, help_text=_("如：主任会议确定"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = User.objects.filter(role__in=LEADER_ROLES, is_active=True)
        if self.item is not None and not self.is_bound:
            self.initial.update(level=self.item.key_level, leader=self.item.key_leader_id, office=self.item.key_office_id)


class ReturnRequestForm(ActionForm):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("说明为何不属于本单位职责。"))
    suggested_unit = forms.ModelChoiceField(label=_("建议改由"), queryset=HandlingUnit.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggested_unit"].queryset = active_units()


class ExtensionRequestForm(ActionForm):
    requested_due = forms.DateField(label=_("申请延至"), widget=DATE)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ApproveExtensionForm(ActionForm):
    due = forms.DateField(label=_("新的期限"), widget=DATE, required=False, help_text=_("不填则按申请的日期。"))
    reason = forms.CharField(label=_("审批意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OpinionTextForm(ActionForm):
    text = forms.CharField(label=_("协办意见"), widget=forms.Textarea(attrs={"rows": 6}))


class ContactForm(ActionForm):
    contacted_on = forms.DateField(label=_("沟通日期"), widget=DATE, initial=today)
    method = forms.ChoiceField(label=_("方式"), choices=ContactMethod.choices)
    note = forms.CharField(label=_("沟通情况"), widget=forms.Textarea(attrs={"rows": 3}))


class ProgressForm(ActionForm):
    text = forms.CharField(label=_("办理进展"), widget=forms.Textarea(attrs={"rows": 4}))


def _reply_categories():
    return ReplyCategory.objects.filter(is_active=True)


class ReplyDraftForm(ActionForm):
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("逐条答复代表所提建议。"))
    category = forms.ModelChoiceField(label=_("答复分类"), queryset=ReplyCategory.objects.none(), required=False)
    signer = forms.CharField(label=_("签发人"), required=False)
    letter = forms.FileField(label=_("答复函（负责人签发件）"), required=False, validators=[validate_document])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        self.reply = kwargs.pop("reply", None)
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _reply_categories()
        if self.reply is not None and not self.is_bound:
            self.initial.update(text=self.reply.text, category=self.reply.category_id, signer=self.reply.signer,
                                version=self.reply.version)


class ApproveReplyForm(ActionForm):
    category = forms.ModelChoiceField(label=_("答复分类"), queryset=ReplyCategory.objects.none(), required=False)
    signer = forms.CharField(label=_("签发人"), required=False)
    letter = forms.FileField(label=_("答复函（负责人签发件）"), required=False, validators=[validate_document])

    def __init__(self, *args, **kwargs):
        self.reply = kwargs.pop("reply", None)
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _reply_categories()
        # Required marks follow what the reply still lacks: a letter already uploaded by
        # the clerk need not be uploaded again, one missing must be.
        from .services import LETTER_KIND, attachments_of

        has_letter = self.reply is not None and attachments_of(self.reply, LETTER_KIND).exists()
        self.fields["letter"].required = not has_letter
        self.fields["category"].required = self.reply is None or self.reply.category_id is None
        if self.reply is not None and not self.is_bound:
            self.initial.update(category=self.reply.category_id, signer=self.reply.signer)


class EvaluationForm(ActionForm):
    reply = forms.ModelChoiceField(label=_("答复"), queryset=Reply.objects.none(), required=False)
    attitude = forms.ChoiceField(label=_("办理态度"), choices=Rating.choices, widget=forms.RadioSelect)
    result = forms.ChoiceField(label=_("办理结果"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text=_("不满意时请写明意见。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.item is not None:
            self.fields["reply"].queryset = Reply.objects.filter(
                suggestion=self.item, status=ReplyStatus.SENT, is_current=True, evaluation__isnull=True
            ).select_related("assignment__unit")
            self.fields["reply"].label_from_instance = lambda r: str(r.assignment.unit)
        else:
            self.fields["reply"].queryset = Reply.objects.all()


class FollowUpForm(ActionForm):
    text = forms.CharField(label=_("承诺事项"), widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(label=_("承诺完成日期"), widget=DATE)


class FollowUpCompleteForm(BootstrapFormMixin, forms.Form):
    result = forms.CharField(label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 3}))


class CarryOverForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("结转年度"), min_value=2000, max_value=2100)


class ReferForm(ActionForm):
    committee = forms.ModelChoiceField(label=_("专门委员会"), queryset=Office.objects.all())
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CommitteeReportForm(ActionForm):
    text = forms.CharField(label=_("审议结果报告"), widget=forms.Textarea(attrs={"rows": 6}))


class ConvertForm(ActionForm):
    category = forms.ModelChoiceField(label=_("建议分类"), queryset=SuggestionCategory.objects.filter(is_active=True), required=False)
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


# ------------------------------------------------------------------ activities and opinions
class ActivityForm(VersionedForm):
    deputies = DeputyChoiceField(label=_("参加代表"), queryset=Deputy.objects.none(), required=False)

    class Meta:
        model = Activity
        fields = ["kind", "title", "date", "station", "location", "deputies", "people_received", "description"]
        widgets = {"date": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = Deputy.objects.filter(is_active=True, term__is_current=True).select_related("delegation")
        self.fields["deputies"].widget.attrs["size"] = 8
        self.fields["station"].queryset = LiaisonStation.objects.all()
        self.fields["kind"].choices = ActivityKind.choices
        if user is not None and user.is_deputy:
            self.fields["deputies"].help_text = _("您本人会自动列入。")


class CitizenOpinionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CitizenOpinion
        fields = ["received_on", "station", "activity", "citizen_name", "citizen_contact", "content"]
        widgets = {"received_on": DATE, "content": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (
            Activity.objects.visible_to(user).filter(kind=ActivityKind.RECEPTION) if user else Activity.objects.none()
        )
        if not self.is_bound:
            self.initial.setdefault("received_on", today())


class OpinionRouteForm(ActionForm):
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=HandlingUnit.objects.none(), required=False)
    office = forms.ModelChoiceField(label=_("委室"), queryset=Office.objects.all(), required=False)
    note = forms.CharField(label=_("转办意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()


class OpinionAnswerForm(ActionForm):
    answer = forms.CharField(label=_("答复情况"), widget=forms.Textarea(attrs={"rows": 4}))


# ------------------------------------------------------------------ 代表码: the deputy's steps
class _VersionedActionForm(ActionForm):
    """An opinion step that carries the version the deputy read: a second tab or a colleague
    acting meanwhile gets a clear conflict instead of a silent overwrite."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.item is not None and not self.is_bound:
            self.initial["version"] = self.item.version


class OpinionReplyForm(_VersionedActionForm):
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("群众凭查询码可以看到这段答复。"))


class OpinionToSuggestionForm(ActionForm):
    """The API's input for turning an opinion into a suggestion draft (the page opens the full
    suggestion form instead, filled with the opinion)."""

    title = forms.CharField(label=_("标题"), max_length=200)
    situation = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    proposal = forms.CharField(label=_("具体建议"), widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ModelChoiceField(label=_("分类"), queryset=SuggestionCategory.objects.all(), required=False)


class OpinionPassStationForm(_VersionedActionForm):
    station = forms.ModelChoiceField(label=_("联络站"), queryset=LiaisonStation.objects.order_by("id"))
    note = forms.CharField(label=_("转交说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.item is not None and not self.is_bound and self.item.deputy_id and self.item.deputy.station_id:
            self.initial.setdefault("station", self.item.deputy.station_id)


class OpinionPassUnitForm(_VersionedActionForm):
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=HandlingUnit.objects.none())
    note = forms.CharField(label=_("转交说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()


# ------------------------------------------------------------------ 代表码: the citizen's public forms
class CodeOpinionForm(BootstrapFormMixin, forms.Form):
    """What a citizen fills in after scanning a deputy's code. `website` is a honeypot: a
    person never sees it (hidden by the stylesheet), a form-filling robot fills it."""

    content = forms.CharField(label=_("您的意见或建议"), widget=forms.Textarea(attrs={"rows": 6}))
    citizen_name = forms.CharField(label=_("称呼（可不填）"), required=False)
    citizen_contact = forms.CharField(
        label=_("联系电话（可不填）"), required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("只有代表和人大机关工作人员能看到，便于向您了解情况。"),
    )
    website = forms.CharField(label=_("网址"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, max_chars: int = 2000, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_chars = max_chars
        self.fields["content"].widget.attrs["maxlength"] = str(max_chars)
        self.fields["content"].help_text = _("不超过%(n)s字。") % {"n": max_chars}

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class TrackingForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=30,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


# ------------------------------------------------------------------ import
class ImportForm(BootstrapFormMixin, forms.Form):
    session = forms.ModelChoiceField(label=_("人代会"), queryset=CongressSession.objects.all())
    file = forms.FileField(label=_("大会秘书处建议汇总表（Excel）"), validators=[validate_excel_import], help_text=_(
        "列：编号、标题、领衔代表、附议代表（用顿号分隔）、分类、事由、具体建议、是否公开、提出时间。"
    ))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        return f


STATUS_FOR_NOTICE = [SuggestionStatus.ASSIGNED, SuggestionStatus.IN_PROGRESS]
