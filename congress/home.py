"""The core's widgets on every role's home page."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from congress.models import Meeting, Notification
from congress.navigation import Widget, WidgetRow
from congress.workdays import today


def widgets(user) -> list[Widget]:
    result = []
    unread = list(Notification.objects.visible_to(user).unread().order_by("-created_at")[:5])
    result.append(
        Widget(
            title=_("未读消息"),
            rows=[
                WidgetRow(n.title, n.url or reverse("congress:inbox"), f"{n.created_at:%m-%d %H:%M}",
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
                WidgetRow(str(m), reverse("congress:meeting-detail", args=[m.pk]), f"{m.start_date:%Y-%m-%d}")
                for m in upcoming
            ],
            more_url=reverse("congress:meeting-list"),
            empty_text=_("60天内没有会议安排"),
            order=80,
        )
    )
    return result
