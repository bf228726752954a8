"""Home-page widgets of annual plans: for committee staff their office's items due or
overdue and those still awaiting this month's progress; for leaders the overdue items
of the offices they supervise."""

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.formatting import format_date
from congress.navigation import Todo, Widget, WidgetRow
from congress.periods import period
from congress.reminder_engine import overdue_colour
from congress.roles import Role
from congress.workdays import today

from . import selectors
from .choices import CLOSED_STATUSES
from .models import PlanItem

LIMIT = 6
DUE_SOON_DAYS = 30


def _colour(item, on) -> str:
    return overdue_colour(item.due_date, on)


def _row(item, on) -> WidgetRow:
    note = item.period_label
    if item.due_date:
        note = _("%(p)s · 时限 %(d)s") % {"p": note, "d": format_date(item.due_date)}
    return WidgetRow(f"{item.number}{item.title}"[:60], item.get_absolute_url(), note, _colour(item, on))


def _open_leaves(user):
    return PlanItem.objects.visible_to(user).leaves().exclude(status__in=list(CLOSED_STATUSES))


def _is_office_staff(user) -> bool:
    return user.role in {Role.STAFF, Role.ASSIGNING_CLERK} and bool(user.office_id)


def widgets(user) -> list[Widget]:
    if not user.is_authenticated or not user.is_internal:
        return []
    on = today()
    items = _open_leaves(user)
    more = reverse("plans:item-list")
    result = []
    if _is_office_staff(user):
        mine = items.filter(lead_office_id=user.office_id)
        due = mine.filter(due_date__lte=on + dt.timedelta(days=DUE_SOON_DAYS)).select_related("plan").order_by("due_date", "path")
        result.append(
            Widget(
                title=_("本委室到期和逾期的计划事项"),
                rows=[_row(i, on) for i in due[:LIMIT]],
                count=due.count(),
                more_url=f"{more}?office={user.office_id}",
                empty_text=_("30天内没有到期的计划事项"),
                order=15,
            )
        )
        awaiting = selectors.awaiting_progress(mine, on).select_related("plan").order_by("due_date", "path")
        by_day = period("plan_progress_day")
        result.append(
            Widget(
                title=_("待报送本月进度（每月%(d)d日前）") % {"d": by_day},
                rows=[
                    WidgetRow(f"{i.number}{i.title}"[:60], i.get_absolute_url(),
                              _("上次报送 %s") % (format_date(i.last_progress_on) if i.last_progress_on else _("无")),
                              "orange" if on.day > by_day else "blue")
                    for i in awaiting[:LIMIT]
                ],
                count=awaiting.count(),
                more_url=f"{more}?office={user.office_id}",
                empty_text=_("本月进度均已报送"),
                order=16,
            )
        )
    if user.is_leader:
        offices = selectors.offices_supervised_by(user)
        overdue = (
            items.filter(lead_office__in=offices, due_date__lt=on)
            .select_related("plan", "lead_office")
            .order_by("due_date", "path")
        )
        result.append(
            Widget(
                title=_("分管委室逾期的计划事项"),
                rows=[
                    WidgetRow(f"{i.number}{i.title}"[:50], i.get_absolute_url(),
                              f"{i.lead_office} · {format_date(i.due_date)}", _colour(i, on))
                    for i in overdue[:LIMIT]
                ],
                count=overdue.count(),
                more_url=f"{more}?overdue=true",
                empty_text=_("分管委室没有逾期的计划事项"),
                order=15,
            )
        )
    return result


def todos(user) -> list[Todo]:
    """Plan work waiting for someone: the office's progress reports and overdue items;
    a leader's overdue items in the offices he supervises (one aggregate each)."""
    if not (user.is_authenticated and user.is_internal):
        return []
    on, items, more, result = today(), _open_leaves(user), reverse("plans:item-list"), []
    if _is_office_staff(user):
        mine = items.filter(lead_office_id=user.office_id)
        c = mine.aggregate(
            awaiting=Count("pk", filter=Q(last_progress_on__isnull=True) | Q(last_progress_on__lt=selectors.month_start(on))),
            overdue=Count("pk", filter=Q(due_date__lt=on)),
        )
        result += [
            Todo(_("待报送进度的计划事项"), c["awaiting"], f"{more}?office={user.office_id}",
                 _("每月%(d)d日前报送上月进度") % {"d": period("plan_progress_day")}, order=30),
            Todo(_("逾期的计划事项"), c["overdue"], f"{more}?office={user.office_id}&overdue=true",
                 _("抓紧推进或按程序申请调整"), "danger", order=31),
        ]
    if user.is_leader:
        overdue = items.filter(lead_office__in=selectors.offices_supervised_by(user), due_date__lt=on).count()
        result.append(Todo(_("分管委室逾期的计划事项"), overdue, f"{more}?overdue=true", _("督促牵头委室推进"),
                           "danger", order=30))
    return result
