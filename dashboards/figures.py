"""Year figures (domain §7) and the registry that collects them.

A figure is one number of the year-end report ("全年共举行常委会会议11次"): a count, a sum
or a rate over typed records of the year, shown with its definition and a link to the
list of the records behind it, so a leader can check any number by clicking on it.

Two kinds of providers feed the registry:

* `Metric` declarations in this app's `figures_*.py` modules. A metric names a `Source`
  (a scoped queryset and the date that places a record in a year) and a filter. All the
  metrics of one source, for the year and the previous year together, are computed in
  ONE aggregate query, so the dashboard costs a constant number of queries however many
  records there are; and the drill-down list is built from the very same source and
  filter, so the list always shows the count the figure shows.
* Any installed app may also ship `<app>/figures.py` with `figures(year, user) ->
  list[Figure]`; those figures are taken as they are (the app knows its records best)
  and replace a metric of the same key.

Hand-entered figures (ManualFigure) are added last and flagged as such.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.core.exceptions import EmptyResultSet, FieldError
from django.db import connection
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Figure groups, in the order the year-end report reads.
GROUPS: list[tuple[str, object]] = [
    ("meetings", _("会议、决定和任免")),
    ("legislation", _("立法工作")),
    ("supervision", _("监督工作")),
    ("suggestions", _("代表议案建议")),
    ("deputies", _("代表工作")),
    ("plans", _("年度工作计划")),
    ("manual", _("手工填报")),
]
GROUP_LABELS = dict(GROUPS)
GROUP_ORDER = {key: i for i, (key, _label) in enumerate(GROUPS)}

# The figures of the year-end report's usual sentences (domain §7): shown on the large
# screen, where the full list would not fit. Hand-entered figures are shown as well.
HEADLINE_KEYS = [
    "standing_meetings", "chairpersons_meetings", "reports_heard", "three_checks", "inquiries", "appraisals",
    "decisions", "appointments", "regulations", "supervision_items", "livelihood_projects", "audit_rectification_rate",
    "bills", "suggestions", "key_supervised", "suggestion_closed_rate", "suggestion_satisfaction_rate",
    "liaison_stations", "people_received", "opinions_collected", "trainings", "plan_completion_rate",
]

# This app's own metric modules; each defines `metrics() -> list[Metric]` and returns an
# empty list when the app whose records it counts is not there (yet).
METRIC_MODULES = [
    "dashboards.figures_core",
    "dashboards.figures_plans",
    "dashboards.figures_deputies",
    "dashboards.figures_supervision",
    "dashboards.figures_legislation",
    "legislation.figures_consultation",
]


# --------------------------------------------------------------------------- figures
@dataclass
class Figure:
    """One figure of the year as shown on the dashboard, in the API and in the report."""

    key: str
    label: str
    value: int | float | Decimal | None
    unit: str = ""
    definition: str = ""
    group: str = "meetings"
    list_url: str = ""
    manual: bool = False
    order: int = 100
    is_rate: bool = False
    numerator: int | None = None
    denominator: int | None = None
    reason: str = ""
    previous: int | float | Decimal | None = None

    @property
    def display(self) -> str:
        return format_value(self.value, self.is_rate)

    @property
    def previous_display(self) -> str:
        return format_value(self.previous, self.is_rate)

    @property
    def change(self) -> float | None:
        """Difference with the previous year (percentage points for a rate)."""
        if self.value is None or self.previous is None:
            return None
        return float(Decimal(str(self.value)) - Decimal(str(self.previous)))

    @property
    def group_label(self) -> str:
        return str(GROUP_LABELS.get(self.group, self.group))

    def as_dict(self) -> dict:
        data = asdict(self)
        for name in ("value", "previous"):
            data[name] = _json_number(data[name])
        data.update(
            label=str(self.label),
            unit=str(self.unit),
            definition=str(self.definition),
            display=self.display,
            previous_display=self.previous_display,
            change=self.change,
            group_label=self.group_label,
        )
        return data


def _json_number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def format_value(value, is_rate: bool = False) -> str:
    if value is None:
        return "—"
    if is_rate:
        return f"{Decimal(str(value)).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if isinstance(value, float | Decimal):
        d = Decimal(str(value))
        if d == d.to_integral_value():
            return str(int(d))
        return str(d.normalize())
    return str(value)


def rate(numerator: int | None, denominator: int | None) -> Decimal | None:
    """A percentage with one decimal; no denominator, no rate (shown as "—", never 0%)."""
    if not denominator:
        return None
    return (Decimal(numerator or 0) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# ---------------------------------------------------------------- sources and metrics
@dataclass(frozen=True)
class Column:
    """A column of a drill-down list: a label and a dotted attribute path (or a callable)."""

    label: object
    attr: str | Callable

    def value(self, obj):
        if callable(self.attr):
            return self.attr(obj)
        value = obj
        for part in self.attr.split("."):
            if value is None:
                return ""
            value = getattr(value, part)
            if callable(value):
                value = value()
        return "" if value is None else value


@dataclass(frozen=True)
class Source:
    """A scoped queryset and the date that places each record in a year.

    `cumulative` sources count what exists at the end of the year (a liaison station set
    up in 2019 still counts in 2025); others count what happened during the year."""

    key: str
    base: Callable  # user -> QuerySet, already narrowed by visible_to(user)
    date_field: str
    columns: tuple = ()
    related: tuple = ()  # select_related for the drill-down list
    ordering: tuple = ()
    detail_url: Callable | None = None  # obj -> url of the record's own page
    cumulative: bool = False
    int_year: bool = False  # date_field is an integer year column (e.g. a plan's year)

    def year_q(self, year: int) -> Q:
        if self.int_year:
            return Q(**{self.date_field: year})
        if self.cumulative:
            return Q(**{f"{self.date_field}__year__lte": year}) | Q(**{f"{self.date_field}__isnull": True})
        # __year on a date column becomes a BETWEEN on the indexed column, not a function call.
        return Q(**{f"{self.date_field}__year": year})

    def window_q(self, years) -> Q:
        if self.int_year:
            return Q(**{f"{self.date_field}__in": list(years)})
        if self.cumulative:
            return self.year_q(max(years))
        return Q(**{f"{self.date_field}__year__gte": min(years), f"{self.date_field}__year__lte": max(years)})


@dataclass(frozen=True)
class Metric:
    """A figure declared over a source: count of the records matching `where`, or the
    sum of `sum_field` over them, or the rate numerator ÷ `where` (in percent)."""

    key: str
    label: object
    source: Source
    unit: object = ""
    group: str = "meetings"
    definition: object = ""
    where: Q | None = None
    numerator: Q | None = None  # a rate when set: share of the `where` records also matching it
    sum_field: str = ""
    order: int = 100
    enabled: Callable = field(default=lambda: True)

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None

    def records(self, user, year: int):
        qs = self.source.base(user).filter(self.source.year_q(year))
        if self.where is not None:
            qs = qs.filter(self.where)
        return qs

    def list_url(self, year: int) -> str:
        return f"{reverse('dashboards:records', args=[self.key])}?year={year}"


def all_metrics(*, include_disabled: bool = False) -> list[Metric]:
    """Every enabled metric of this app's modules (a module whose app is missing gives none)."""
    result: list[Metric] = []
    for name in METRIC_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            logger.warning("dashboard figures module %s could not be imported", name)
            continue
        try:
            metrics = module.metrics()
        except (ImportError, LookupError, AttributeError) as exc:
            # The counted app is not ready: its figures are left out, the rest still shows.
            logger.warning("dashboard figures of %s omitted: %s", name, exc)
            continue
        result.extend(m for m in metrics if include_disabled or m.enabled())
    return result


def get_metric(key: str) -> Metric | None:
    for metric in all_metrics():
        if metric.key == key:
            return metric
    return None


def _aggregates(source: Source, group: list[Metric], years: list[int]) -> dict:
    """Conditional aggregates of every metric of one source for every year. COUNT(1), not
    COUNT(pk): counting rows needs no column, so an index alone can answer."""
    aggregates = {}
    for i, metric in enumerate(group):
        for year in years:
            cond = source.year_q(year)
            if metric.where is not None:
                cond &= metric.where
            if metric.sum_field:
                aggregates[f"m{i}_{year}"] = Coalesce(Sum(metric.sum_field, filter=cond), 0)
            else:
                aggregates[f"m{i}_{year}"] = Count(Value(1), filter=cond)
            if metric.numerator is not None:
                aggregates[f"n{i}_{year}"] = Count(Value(1), filter=cond & metric.numerator)
    return aggregates


def _one_row_per_source(parts: list[tuple[str, str, tuple, list[str]]]) -> dict[str, dict]:
    """Run every source's aggregate as ONE statement: each source is a one-row subquery,
    side by side (an aggregate without GROUP BY always gives exactly one row)."""
    if not parts:
        return {}
    selects, params, names = [], [], []
    for j, (key, sql, p, cols) in enumerate(parts):
        selects.append(f"({sql}) AS s{j}")
        params.extend(p)
        names.append((key, cols))
    sql = "SELECT * FROM " + " CROSS JOIN ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    result, pos = {}, 0
    for key, cols in names:
        result[key] = dict(zip(cols, row[pos: pos + len(cols)], strict=True))
        pos += len(cols)
    return result


def compute_values(metrics: list[Metric], user, years: list[int]) -> dict[tuple[str, int], tuple]:
    """(total, numerator) of every metric for every year, every source in a single query.

    A numerator is None for a metric that is not a rate; a source left out (a renamed
    field) gives no entries, so its figures are left out rather than shown as zero."""
    by_source: dict[str, list[Metric]] = {}
    sources: dict[str, Source] = {}
    for metric in metrics:
        by_source.setdefault(metric.source.key, []).append(metric)
        sources[metric.source.key] = metric.source
    parts, omitted = [], set()
    for source_key, group in by_source.items():
        source = sources[source_key]
        try:
            sql, params, cols = _source_sql(source, group, user, years)
        except EmptyResultSet:
            continue  # nothing visible: every figure of the source is zero
        except FieldError as exc:
            # A counted app renamed a field: leave its figures out rather than break the page.
            logger.warning("dashboard source %s omitted: %s", source_key, exc)
            omitted.add(source_key)
            continue
        parts.append((source_key, sql, params, cols))
    rows = _one_row_per_source(parts)
    result: dict[tuple[str, int], tuple] = {}
    for source_key, group in by_source.items():
        if source_key in omitted:
            continue
        row = rows.get(source_key, {})
        for i, metric in enumerate(group):
            for year in years:
                numerator = (row.get(f"n{i}_{year}") or 0) if metric.is_rate else None
                result[(metric.key, year)] = (row.get(f"m{i}_{year}") or 0, numerator)
    return result


def _source_sql(source: Source, group: list[Metric], user, years: list[int]) -> tuple[str, tuple, list[str]]:
    """The one-row aggregate statement of one source (compiled here, so a renamed field
    fails for this source alone)."""
    qs = (source.base(user).filter(source.window_q(years)).order_by()
          .values(_one=Value(1)).annotate(**_aggregates(source, group, years)))
    sql, params = qs.query.sql_with_params()
    return sql, params, list(qs.query.annotation_select)


def build_figures(metrics: list[Metric], values: dict[tuple[str, int], tuple], years: list[int]
                  ) -> dict[tuple[str, int], Figure]:
    """The figures of the computed (or stored) totals: labels, units, definitions and the
    link to the records come from the metric, the numbers from `values`."""
    result: dict[tuple[str, int], Figure] = {}
    for metric in metrics:
        for year in years:
            if (metric.key, year) not in values:
                continue
            total, numerator = values[(metric.key, year)]
            fig = Figure(
                key=metric.key,
                label=metric.label,
                value=total,
                unit=metric.unit,
                definition=metric.definition,
                group=metric.group,
                list_url=metric.list_url(year),
                order=metric.order,
            )
            if metric.is_rate:
                fig.is_rate = True
                fig.unit = "%"
                fig.numerator = numerator or 0
                fig.denominator = total
                fig.value = rate(fig.numerator, total)
            result[(metric.key, year)] = fig
    return result


def compute_metrics(metrics: list[Metric], user, years: list[int]) -> dict[tuple[str, int], Figure]:
    """All the metrics for all the years, computed now from the records."""
    return build_figures(metrics, compute_values(metrics, user, years), years)


# ------------------------------------------------------------------------- registry
def _app_figure_providers():
    for config in apps.get_app_configs():
        if config.name == "dashboards":
            continue
        try:
            module = importlib.import_module(f"{config.name}.figures")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.figures":
                raise
            continue
        fn = getattr(module, "figures", None)
        if callable(fn):
            yield config.name, fn


def collect(year: int, user, *, compare: bool = True) -> list[Figure]:
    """Every figure of `year` visible to `user`, each with last year's value beside it."""
    return collect_dated(year, user, compare=compare)[0]


def collect_dated(year: int, user, *, compare: bool = True):
    """The figures of `collect` and when their numbers were computed (an aware datetime):
    the stored figures' time when they are served from the year summary, now otherwise.

    The number of queries does not depend on the number of records: the stored figures
    with their freshness in one query (or, when they are stale, one aggregate statement
    for every source), one for the hand-entered figures, and whatever the apps' own
    providers use."""
    from dashboards.figure_store import metric_values

    years = [year - 1, year] if compare else [year]
    figures: dict[str, Figure] = {}

    metrics = all_metrics()
    values, computed_at = metric_values(metrics, user, years)
    computed = build_figures(metrics, values, years)
    for (key, y), fig in computed.items():
        if y == year:
            figures[key] = fig
    for key, fig in figures.items():
        prev = computed.get((key, year - 1))
        if prev is not None:
            fig.previous = prev.value

    for app_name, provider in _app_figure_providers():
        try:
            current = provider(year, user)
            previous = {f.key: f for f in provider(year - 1, user)} if compare else {}
        except Exception:  # an app's provider must not take the whole dashboard down
            logger.exception("figures of %s failed", app_name)
            continue
        for fig in current:
            if fig.key in previous:
                fig.previous = previous[fig.key].value
            figures[fig.key] = fig

    from dashboards.models import ManualFigure

    manual_rows = ManualFigure.objects.visible_to(user).filter(year__in=years).order_by("order", "id")
    manual_prev = {}
    for row in manual_rows:
        if row.year == year:
            figures[row.figure_key] = row.as_figure()
        else:
            manual_prev[row.figure_key] = row.value
    for key, value in manual_prev.items():
        fig = figures.get(key)
        if fig is not None and fig.manual:
            fig.previous = value

    return sorted(figures.values(), key=lambda f: (GROUP_ORDER.get(f.group, 99), f.order, f.key)), computed_at


def grouped(figures: list[Figure]) -> list[dict]:
    """Figures by group, in report order, for templates and the API."""
    groups: dict[str, list[Figure]] = {}
    for fig in figures:
        groups.setdefault(fig.group, []).append(fig)
    return [
        {"key": key, "label": str(GROUP_LABELS.get(key, key)), "figures": figs}
        for key, figs in sorted(groups.items(), key=lambda kv: GROUP_ORDER.get(kv[0], 99))
    ]


def safe_reverse(name: str, *args) -> str:
    """The URL of another app's page, or "" while that page does not exist."""
    from django.urls import NoReverseMatch

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
