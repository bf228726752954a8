from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "congress.security"
    label = "security"
    verbose_name = _("安全与审计")

    def ready(self):
        from . import signals  # noqa: F401
