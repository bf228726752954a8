from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapFormMixin


class PasswordChangeForm(BootstrapFormMixin, DjangoPasswordChangeForm):
    error_messages = {
        **DjangoPasswordChangeForm.error_messages,
        "password_incorrect": _("原密码不正确，请重新输入。"),
        "password_mismatch": _("两次输入的新密码不一致。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        if new and new == self.data.get("old_password"):
            raise forms.ValidationError(_("新密码不能与原密码相同。"))
        return new


class OtpCodeForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("验证码"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("身份验证器应用中显示的 6 位数字。"),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("验证码是 6 位数字。"))
        return code
