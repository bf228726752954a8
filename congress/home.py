"""The core's widgets on every role's home page."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from congress import reminder_engine
from congress.formatting import format_date, format_datetime
from congress.models import AgendaItem, Meeting, Notification
from congress.navigation import Widget, WidgetRow
from congress.workdays import today


def widgets(user) -> list[Widget]:
    result = []
    unread = list(Notification.objects.visible_to(user).unread().order_by("-created_at")[:5])
    result.append(
        Widget(
            title=_("未读消息"),
            rows=[
                WidgetRow(n.title, n.url or reverse("congress:inbox"), format_datetime(n.created_at),
                          "red" if n.level == Notification.Level.OVERDUE else "")
                for n in unread
            ],
            count=Notification.objects.visible_to(user).unread().count(),
            more_url=reverse("congress:inbox"),
            empty_text=_("没有未读消息"),
            order=90,
        )
    )
    upcoming = list(
        Meeting.objects.visible_to(user)
        .filter(start_date__gte=today(), start_date__lte=today() + timedelta(days=60))
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("term")
        .order_by("start_date")[:5]
    )
    result.append(
        Widget(
            title=_("近期会议"),
            rows=[
                WidgetRow(str(m), reverse("congress:meeting-detail", args=[m.pk]), format_date(m.start_date))
                for m in upcoming
            ],
            more_url=reverse("congress:meeting-list"),
            empty_text=_("60天内没有会议安排"),
            order=80,
        )
    )
    # Those the meeting rules can name: office staff, leaders, handling units (not deputies, not the admin).
    if user.office_id or user.is_leader or user.is_unit_user:
        result.append(_meeting_preparation(user))
    return result


def _meeting_preparation(user) -> Widget:
    """The person's own meeting-preparation deadlines (agenda proposal, reports, notice
    to members): overdue ones and those due within 30 days, coloured like every list."""
    end = today() + timedelta(days=30)
    items = []
    for rule in reminder_engine.rules_for(AgendaItem):
        # Plain queryset (no recipient prefetches): the widget renders labels and dates only.
        queryset = rule.pending(AgendaItem.objects.select_related(
            "meeting", "meeting__term", "meeting__lead_office", "lead_office", "reporting_unit"
        ))
        items.extend(reminder_engine.user_deadlines_for_rule(rule, user, queryset, end=end))
    items.sort(key=lambda i: (i.due, i.rule.code, i.label))
    return Widget(
        title=_("会议准备期限"),
        rows=[
            WidgetRow(f"【{i.rule.label}】{i.label}", i.url, format_date(i.due), i.colour)
            for i in items[:5]
        ],
        count=len(items),
        more_url=reverse("congress:my-deadlines"),
        empty_text=_("30天内没有会议准备期限"),
        order=85,
    )
