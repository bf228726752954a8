from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_code_tables(sender, apps=None, **kwargs):
    """The reply codes (A/B/C/D) and subject categories exist whenever the tables do: after
    migrate, and after a database flush, which empties the rows the migration created."""
    from django.apps import apps as global_apps

    from deputies.migrations import _codes

    _codes.seed(apps or global_apps)


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("代表议案建议")

    def ready(self):
        post_migrate.connect(_ensure_code_tables, sender=self, dispatch_uid="deputies-code-tables")
