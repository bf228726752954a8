"""The leaders' home page shows the year's headline figures, each linked to its list;
the full dashboard is one click away. Only a few sources are queried (not every figure)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from congress.navigation import Widget, WidgetRow
from congress.workdays import today

from .figure_store import current_values
from .figures import all_metrics, build_figures, compute_metrics

HOME_KEYS = [
    "standing_meetings",
    "chairpersons_meetings",
    "reports_heard",
    "decisions",
    "suggestions",
    "suggestion_closed_rate",
    "suggestion_satisfaction_rate",
]


def widgets(user) -> list[Widget]:
    if not user.is_leader:
        return []
    year = today().year
    metrics = all_metrics()
    wanted = [m for m in metrics if m.key in HOME_KEYS]
    # The dashboard's stored figures when current; otherwise only these few sources are counted.
    stored = current_values(metrics, user, [year])
    computed = build_figures(wanted, stored, [year]) if stored is not None else compute_metrics(wanted, user, [year])
    rows = []
    for key in HOME_KEYS:
        fig = computed.get((key, year))
        if fig is None:
            continue
        unit = "" if fig.is_rate else str(fig.unit)
        rows.append(WidgetRow(str(fig.label), fig.list_url, f"{fig.display}{unit if fig.value is not None else ''}"))
    return [
        Widget(
            title=_("%(year)s年主要数据") % {"year": year},
            rows=rows,
            more_url=reverse("dashboards:year"),
            empty_text=_("暂无数据"),
            order=5,
        )
    ]
