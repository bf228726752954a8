"""Charts of the leaders' dashboard, as plain data the page hands to ECharts.

Each chart is a fixed handful of GROUP BY queries over scoped querysets, whatever the
number of records; a chart over an app that is not installed comes back empty with a
note instead of failing the page."""

import datetime as dt
import logging
from collections.abc import Callable

from django.db.models import Avg, Count, Q
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext as _

from congress.models import Meeting
from congress.periods import period
from congress.workdays import today

logger = logging.getLogger(__name__)

# Colours of static/css/app.css: blue (due soon), orange (overdue), red (long overdue).
BLUE, ORANGE, RED, GREEN, GREY, GOLD = "#0b5ed7", "#d9480f", "#c92a2a", "#2b8a3e", "#adb5bd", "#f2b632"
MAX_CATEGORIES = 20


def _chart(key, title, kind="bar", categories=None, series=None, note="", horizontal=False):
    series = series or []
    empty = not any(
        (d.get("value") if isinstance(d, dict) else d) for s in series for d in s.get("data", [])
    )
    return {
        "key": key,
        "title": title,
        "type": kind,
        "categories": categories or [],
        "series": series,
        "note": note,
        "horizontal": horizontal,
        "empty": empty,
    }


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _bands() -> tuple[int, int]:
    """The same bands as congress.reminder_engine.overdue_colour, from the period settings:
    blue within overdue_blue_days, red beyond overdue_listing_days overdue (domain §8)."""
    return period("overdue_blue_days"), period("overdue_listing_days")


def _buckets(field: str, on: dt.date) -> dict:
    """Conditional counts of open records by how late they are, computed in the database."""
    soon_days, late_days = _bands()
    return {
        "soon": Count("pk", filter=Q(**{f"{field}__gte": on, f"{field}__lte": on + dt.timedelta(days=soon_days)})),
        "late": Count("pk", filter=Q(**{f"{field}__lt": on, f"{field}__gte": on - dt.timedelta(days=late_days)})),
        "very_late": Count("pk", filter=Q(**{f"{field}__lt": on - dt.timedelta(days=late_days)})),
    }


def _bands_note(what) -> str:
    soon_days, late_days = _bands()
    return _("%(what)s；蓝色为%(soon)s日内到期，橙色为逾期%(late)s日以内，红色为逾期超过%(late)s日。") % {
        "what": what, "soon": soon_days, "late": late_days,
    }


def _bucket_series(rows: dict[str, dict]) -> tuple[list, list]:
    # Worst first: long overdue, then overdue, then due soon.
    ranked = sorted(rows.items(), key=lambda kv: (-kv[1]["very_late"], -kv[1]["late"], -kv[1]["soon"], kv[0]))
    names = [n for n, r in ranked if r["soon"] or r["late"] or r["very_late"]][:MAX_CATEGORIES]
    soon_days, late_days = _bands()
    series = [
        {
            "name": _("%(n)s日内到期") % {"n": soon_days},
            "type": "bar", "stack": "due", "color": BLUE, "data": [rows[n]["soon"] for n in names],
        },
        {
            "name": _("逾期%(n)s日以内") % {"n": late_days},
            "type": "bar", "stack": "due", "color": ORANGE, "data": [rows[n]["late"] for n in names],
        },
        {
            "name": _("逾期超过%(n)s日") % {"n": late_days},
            "type": "bar", "stack": "due", "color": RED, "data": [rows[n]["very_late"] for n in names],
        },
    ]
    return names, series


def _merge_bucket_rows(target: dict, name: str, row: dict) -> None:
    slot = target.setdefault(name, {"soon": 0, "late": 0, "very_late": 0})
    for k in slot:
        slot[k] += row.get(k) or 0


# ----------------------------------------------------------------------------- charts
def plan_progress(year: int, user) -> dict:
    from plans.choices import CLOSED_STATUSES, ItemStatus
    from plans.models import PlanItem

    on = today()
    open_q = ~Q(status__in=list(CLOSED_STATUSES))
    rows = (
        PlanItem.objects.visible_to(user)
        .leaves()
        .filter(plan__year=year)
        .exclude(status__in=[ItemStatus.CANCELLED, ItemStatus.ADJUSTED])
        .values("lead_office__short_name", "lead_office__name", "lead_office__sort_order", "lead_office_id")
        .annotate(
            done=Count("pk", filter=Q(status=ItemStatus.DONE)),
            overdue=Count("pk", filter=open_q & Q(due_date__lt=on)),
            # Not yet due: those not started are told apart from those under way.
            waiting=Count("pk", filter=open_q & Q(status=ItemStatus.NOT_STARTED)
                          & (Q(due_date__gte=on) | Q(due_date__isnull=True))),
            going=Count("pk", filter=open_q & ~Q(status=ItemStatus.NOT_STARTED)
                        & (Q(due_date__gte=on) | Q(due_date__isnull=True))),
            avg=Avg("progress"),
        )
        .order_by("lead_office__sort_order", "lead_office_id")
    )
    rows = list(rows)
    names = [r["lead_office__short_name"] or r["lead_office__name"] or _("未确定牵头委室") for r in rows]
    return _chart(
        "plan-progress",
        _("年度计划执行情况（按牵头委室）"),
        categories=names,
        series=[
            {"name": _("已完成"), "type": "bar", "stack": "items", "color": GREEN, "data": [r["done"] for r in rows]},
            {"name": _("推进中"), "type": "bar", "stack": "items", "color": BLUE, "data": [r["going"] for r in rows]},
            {"name": _("未开始"), "type": "bar", "stack": "items", "color": GREY, "data": [r["waiting"] for r in rows]},
            {"name": _("逾期"), "type": "bar", "stack": "items", "color": RED, "data": [r["overdue"] for r in rows]},
            {
                "name": _("平均进度（%）"), "type": "line", "yAxisIndex": 1, "color": GOLD,
                "data": [round(r["avg"] or 0, 1) for r in rows],
            },
        ],
        note=_("按最末一级计划事项统计；已取消、已调整的不计。"),
    )


def suggestion_handling(year: int, user) -> dict:
    from deputies import choices as dc
    from deputies.models import Assignment

    S, A = dc.SuggestionStatus, dc.AssignmentStatus
    not_closed = ~Q(suggestion__status=S.CLOSED)
    rows = list(
        Assignment.objects.visible_to(user)
        .filter(role__in=list(dc.RESPONDING_ROLES), suggestion__received_on__year=year)
        .exclude(status=A.RETURNED)
        .values("unit_id", "unit__short_name", "unit__name")
        .annotate(
            waiting=Count("pk", filter=not_closed & Q(status=A.ASSIGNED)),
            handling=Count("pk", filter=not_closed & Q(status__in=[A.SIGNED, A.RETURN_REQUESTED, A.OPINION_SUBMITTED])),
            replied=Count("pk", filter=not_closed & Q(status=A.REPLIED)),
            closed=Count("pk", filter=Q(suggestion__status=S.CLOSED)),
            total=Count("pk"),
        )
        .order_by("-total", "unit_id")[:MAX_CATEGORIES]
    )
    names = [r["unit__short_name"] or r["unit__name"] for r in rows]
    return _chart(
        "suggestion-handling",
        _("代表建议办理情况（按承办单位和状态）"),
        categories=names,
        horizontal=True,
        series=[
            {"name": _("待签收"), "type": "bar", "stack": "s", "color": GREY, "data": [r["waiting"] for r in rows]},
            {"name": _("办理中"), "type": "bar", "stack": "s", "color": BLUE, "data": [r["handling"] for r in rows]},
            {"name": _("已答复待评价"), "type": "bar", "stack": "s", "color": GOLD, "data": [r["replied"] for r in rows]},
            {"name": _("已办结"), "type": "bar", "stack": "s", "color": GREEN, "data": [r["closed"] for r in rows]},
        ],
        note=_("按负责答复的承办单位（主办、分别办理）统计，协办单位不计。"),
    )


def satisfaction(year: int, user) -> dict:
    from deputies import choices as dc
    from deputies.models import Evaluation

    R = dc.Rating
    row = (
        Evaluation.objects.visible_to(user)
        .filter(suggestion__received_on__year=year, reply__is_current=True)
        .aggregate(
            satisfied=Count("pk", filter=Q(no_feedback=False, result=R.SATISFIED)),
            basic=Count("pk", filter=Q(no_feedback=False, result=R.BASIC)),
            unsatisfied=Count("pk", filter=Q(no_feedback=False, result=R.UNSATISFIED)),
            no_feedback=Count("pk", filter=Q(no_feedback=True)),
        )
    )
    data = [
        {"name": str(R.SATISFIED.label), "value": row["satisfied"], "color": GREEN},
        {"name": str(R.BASIC.label), "value": row["basic"], "color": BLUE},
        {"name": str(R.UNSATISFIED.label), "value": row["unsatisfied"], "color": RED},
        {"name": _("未反馈"), "value": row["no_feedback"], "color": GREY},
    ]
    return _chart(
        "satisfaction",
        _("代表对建议办理结果的评价"),
        kind="pie",
        series=[{"name": _("评价"), "type": "pie", "data": data}],
        note=_("满意率 =（满意 + 基本满意）÷ 已反馈的评价；未反馈的不计入满意率。"),
    )


def supervision_by_type(year: int, user) -> dict:
    from supervision import choices as sc
    from supervision.models import SupervisionItem

    rows = list(
        SupervisionItem.objects.visible_to(user)
        .filter(year=year)
        .exclude(status=sc.ItemStatus.CANCELLED)
        .values("kind")
        .annotate(
            planned=Count("pk", filter=Q(status=sc.ItemStatus.PLANNED)),
            done=Count("pk", filter=~Q(status=sc.ItemStatus.PLANNED)),
        )
        .order_by("kind")
    )
    labels = dict(sc.SupervisionType.choices)
    order = {k: i for i, k in enumerate(sc.SupervisionType.values)}
    rows.sort(key=lambda r: order.get(r["kind"], 99))
    return _chart(
        "supervision-by-type",
        _("监督工作（按监督方式）"),
        categories=[str(labels.get(r["kind"], r["kind"])) for r in rows],
        horizontal=True,
        series=[
            {"name": _("已开展"), "type": "bar", "stack": "k", "color": GREEN, "data": [r["done"] for r in rows]},
            {"name": _("计划中"), "type": "bar", "stack": "k", "color": GREY, "data": [r["planned"] for r in rows]},
        ],
    )


def _monthly(qs, field: str, year: int) -> list[int]:
    start, end = _year_range(year)
    counts = dict(
        qs.filter(**{f"{field}__gte": start, f"{field}__lte": end})
        .annotate(m=ExtractMonth(field))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
        .order_by()
    )
    return [counts.get(m, 0) for m in range(1, 13)]


def monthly_activity(year: int, user) -> dict:
    held = Meeting.objects.visible_to(user).filter(status=Meeting.Status.HELD)
    series = [
        {"name": _("常委会会议"), "type": "bar", "color": RED,
         "data": _monthly(held.filter(kind=Meeting.Kind.STANDING), "start_date", year)},
        {"name": _("主任会议"), "type": "bar", "color": GOLD,
         "data": _monthly(held.filter(kind=Meeting.Kind.CHAIRPERSONS), "start_date", year)},
    ]
    try:
        from supervision import choices as sc
        from supervision.models import SupervisionItem

        items = (
            SupervisionItem.objects.visible_to(user)
            .exclude(status__in=[sc.ItemStatus.PLANNED, sc.ItemStatus.CANCELLED])
            .annotate(activity_date=Coalesce("start_date", "hearing_date"))
        )
        series.append({"name": _("监督活动"), "type": "line", "color": BLUE,
                       "data": _monthly(items, "activity_date", year)})
    except ImportError:
        pass
    try:
        from deputies.models import Activity, CitizenOpinion

        series.append({"name": _("代表活动"), "type": "line", "color": GREEN,
                       "data": _monthly(Activity.objects.visible_to(user), "date", year)})
        series.append({"name": _("群众意见"), "type": "line", "color": ORANGE,
                       "data": _monthly(CitizenOpinion.objects.visible_to(user), "received_on", year)})
    except ImportError:
        pass
    return _chart(
        "monthly-activity",
        _("各月工作量"),
        categories=[_("%(m)s月") % {"m": m} for m in range(1, 13)],
        series=series,
    )


def overdue_by_office(year: int, user) -> dict:
    on = today()
    rows: dict[str, dict] = {}
    try:
        from plans.choices import CLOSED_STATUSES
        from plans.models import PlanItem

        for r in (
            PlanItem.objects.visible_to(user)
            .leaves()
            .filter(plan__year=year, due_date__isnull=False)
            .exclude(status__in=list(CLOSED_STATUSES))
            .values("lead_office__short_name", "lead_office__name")
            .annotate(**_buckets("due_date", on))
            .order_by()
        ):
            _merge_bucket_rows(rows, r["lead_office__short_name"] or r["lead_office__name"] or _("未确定"), r)
    except ImportError:
        pass
    try:
        from supervision import choices as sc
        from supervision.models import SupervisionStep

        for r in (
            SupervisionStep.objects.visible_to(user)
            .filter(item__year=year, due_date__isnull=False, done_on__isnull=True, skipped=False)
            .filter(item__status__in=list(sc.OPEN_STATUSES))
            .values("item__lead_office__short_name", "item__lead_office__name")
            .annotate(**_buckets("due_date", on))
            .order_by()
        ):
            _merge_bucket_rows(rows, r["item__lead_office__short_name"] or r["item__lead_office__name"], r)
    except ImportError:
        pass
    names, series = _bucket_series(rows)
    return _chart(
        "overdue-offices",
        _("到期和逾期事项（按委室）"),
        categories=names,
        series=series,
        horizontal=True,
        note=_bands_note(_("年度计划事项和监督工作步骤")),
    )


def overdue_by_unit(year: int, user) -> dict:
    on = today()
    rows: dict[str, dict] = {}
    try:
        from deputies import choices as dc
        from deputies.models import Assignment

        A = dc.AssignmentStatus
        for r in (
            Assignment.objects.visible_to(user)
            .filter(
                suggestion__received_on__year=year,
                role__in=list(dc.RESPONDING_ROLES),
                status__in=[A.ASSIGNED, A.SIGNED, A.RETURN_REQUESTED],
            )
            .values("unit__short_name", "unit__name")
            .annotate(**_buckets("due_date", on))
            .order_by()
        ):
            _merge_bucket_rows(rows, r["unit__short_name"] or r["unit__name"], r)
    except ImportError:
        pass
    try:
        from supervision import choices as sc
        from supervision.models import AuditProblem, DeliberationOpinion

        for r in (
            AuditProblem.objects.visible_to(user)
            .filter(item__year=year, due_date__isnull=False)
            .exclude(status=sc.ProblemStatus.RECTIFIED)
            .values("responsible_unit__short_name", "responsible_unit__name")
            .annotate(**_buckets("due_date", on))
            .order_by()
        ):
            name = r["responsible_unit__short_name"] or r["responsible_unit__name"] or _("未确定")
            _merge_bucket_rows(rows, name, r)
        for r in (
            DeliberationOpinion.objects.visible_to(user)
            .filter(item__year=year, report_due__isnull=False, report_submitted_on__isnull=True)
            .values("item__target_unit__short_name", "item__target_unit__name")
            .annotate(**_buckets("report_due", on))
            .order_by()
        ):
            name = r["item__target_unit__short_name"] or r["item__target_unit__name"] or _("未确定")
            _merge_bucket_rows(rows, name, r)
    except ImportError:
        pass
    names, series = _bucket_series(rows)
    return _chart(
        "overdue-units",
        _("到期和逾期事项（按承办单位）"),
        categories=names,
        series=series,
        horizontal=True,
        note=_("代表建议答复、审计查出问题整改和审议意见研究处理情况报告；颜色含义同上。"),
    )


CHARTS: dict[str, tuple[str, Callable]] = {
    "plan-progress": ("plans", plan_progress),
    "suggestion-handling": ("deputies", suggestion_handling),
    "satisfaction": ("deputies", satisfaction),
    "supervision-by-type": ("supervision", supervision_by_type),
    "monthly-activity": ("congress", monthly_activity),
    "overdue-offices": ("congress", overdue_by_office),
    "overdue-units": ("congress", overdue_by_unit),
}


def build(name: str, year: int, user) -> dict | None:
    entry = CHARTS.get(name)
    if entry is None:
        return None
    _app, fn = entry
    try:
        return fn(year, user)
    except (ImportError, LookupError) as exc:
        logger.warning("chart %s unavailable: %s", name, exc)
        return _chart(name, name, note=_("相关功能模块尚未启用，暂无数据。"))
