from django import forms
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapFormMixin

from .models import key_validator


class SummaryForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("每段一行；以“一、”“二、”开头的行是节标题。用 {代码} 引用数据，例如 {standing_meetings}；{year} 为年度。"),
    )
    reason = forms.CharField(label=_("修改说明"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ManualFigureForm(BootstrapFormMixin, forms.Form):
    figure_key = forms.CharField(
        label=_("代码"), max_length=50, validators=[key_validator],
        help_text=_("小写英文字母、数字和下划线，在年终总结中以 {代码} 引用，例如 press_articles。"),
    )
    label = forms.CharField(label=_("名称"), max_length=100)
    value = forms.DecimalField(label=_("数值"), max_digits=14, decimal_places=2, min_value=0)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    reason = forms.CharField(
        label=_("手工填报理由"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("说明为什么系统无法统计以及数据来源。"),
    )
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, required=False, initial=100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # The code is what the summary text refers to: it stays as created.
            self.fields["figure_key"].disabled = True


def apply_service_errors(form, exc) -> None:
    """Put a service's refusal next to the fields it names (input is kept)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
