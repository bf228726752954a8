from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("统计与年终报告")

    def ready(self):
        from dashboards.figure_store import connect_signals

        connect_signals()
