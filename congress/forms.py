import functools

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congress.scoping import scope_choice_fields


class ScopedChoicesMixin:
    """A form built for a user (`user=` or `self.user`) lists, and accepts, only model
    choices that user may see: every subclass's `__init__` ends by scoping them, after
    it has set its own querysets."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None or getattr(init, "scopes_choices", False):
            return

        @functools.wraps(init)
        def __init__(self, *args, **kw):
            user = kw.get("user")
            init(self, *args, **kw)
            user = user or getattr(self, "user", None)
            if user is not None:
                scope_choice_fields(self, user)

        __init__.scopes_choices = True
        cls.__init__ = __init__


class BootstrapFormMixin(ScopedChoicesMixin):
    """Give every widget Bootstrap's classes so the shared field template renders it well."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                w = self.fields[name].widget
                w.attrs["class"] = (w.attrs.get("class", "") + " is-invalid").strip()


class VersionedForm(BootstrapFormMixin, forms.ModelForm):
    """A model form that carries the version it was read at, so a stale save is refused
    and the user keeps what they typed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal next to the field it names (or above the form), keeping what the user typed."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, [m for e in errors for m in e.messages])
    else:
        form.add_error(None, exc.messages)
