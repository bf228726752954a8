from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "congress.security"
    label = "security"
    verbose_name = _("安全与审计")

    def ready(self):
        from . import signals  # noqa: F401

        _name_third_party_models()


def _name_third_party_models():
    """axes and django-otp ship no Chinese: name their admin sections in the product's language."""
    names = {
        ("axes", "AccessAttempt"): _("登录失败记录（锁定）"),
        ("axes", "AccessLog"): _("登录记录"),
        ("axes", "AccessFailureLog"): _("登录失败日志"),
        ("otp_totp", "TOTPDevice"): _("身份验证器"),
    }
    for (app_label, model_name), label in names.items():
        meta = apps.get_model(app_label, model_name)._meta
        meta.verbose_name = meta.verbose_name_plural = label
    apps.get_app_config("axes").verbose_name = _("登录锁定")
    apps.get_app_config("otp_totp").verbose_name = _("两步验证")
