from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_periods(sender, **kwargs):
    from congress.periods import ensure_period_rows

    ensure_period_rows()


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("基础数据")

    def ready(self):
        # Every period of domain §8 exists as an editable row once the tables exist.
        post_migrate.connect(_ensure_periods, sender=self, dispatch_uid="congress-periods")
        # Reminder rules of every app register with the engine on import.
        from . import reminder_engine

        reminder_engine.autodiscover()
