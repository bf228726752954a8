"""The personal calendar feed (iCalendar): meetings the person may see and their own
deadlines, at a URL holding a secret token so a phone or Outlook can subscribe without
signing in. Regenerating the token cuts off every old subscription."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from congress import reminder_engine, workdays
from congress.formatting import format_date
from congress.history import record_change
from congress.models import Meeting, User

PAST_DAYS = 90
FUTURE_DAYS = 400


def calendar_token_regenerate(*, actor: User) -> str:
    """Give the person a new secret token (their old feed URL stops working)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        had_token = bool(user.calendar_token)
        user.calendar_token = secrets.token_urlsafe(32)
        user.save(update_fields=["calendar_token"])
        # The token itself is a secret: the history says only that it changed.
        record_change(
            obj=user,
            actor=actor,
            changes={"calendar_token": ["******" if had_token else "", "******"]},
            summary=_("重新生成日历订阅地址") if had_token else _("生成日历订阅地址"),
        )
    actor.calendar_token = user.calendar_token
    return user.calendar_token


def feed_url(user: User) -> str:
    if not user.calendar_token:
        return ""
    path = reverse("congress:calendar-feed", args=[user.calendar_token])
    return settings.SITE_URL.rstrip("/") + path


def user_for_token(token: str) -> User | None:
    if not token or len(token) < 20:
        return None
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    # Constant-time comparison after the indexed lookup: no timing hint about the token.
    if user is None or not secrets.compare_digest(user.calendar_token, token):
        return None
    return user


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "localhost"


def build_calendar(user: User, today: dt.date | None = None) -> bytes:
    today = today or workdays.today()
    start, end = today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(days=FUTURE_DAYS)
    site = settings.SITE_URL.rstrip("/")
    stamp = timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//congress-tracker//reminders//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("%(name)s的会议与期限") % {"name": user})
    cal.add("x-wr-timezone", settings.TIME_ZONE)

    meetings = (
        Meeting.objects.visible_to(user)
        .filter(start_date__gte=start, start_date__lte=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("term")
        .order_by("start_date", "pk")
    )
    for m in meetings:
        ev = Event()
        ev.add("uid", f"meeting-{m.pk}@{_host()}")
        ev.add("summary", str(m))
        ev.add("dtstart", m.start_date)
        ev.add("dtend", (m.end_date or m.start_date) + dt.timedelta(days=1))
        ev.add("dtstamp", stamp)
        if m.location:
            ev.add("location", m.location)
        ev.add("url", site + reverse("congress:meeting-detail", args=[m.pk]))
        ev.add("categories", [_("会议")])
        cal.add_component(ev)

    for item in reminder_engine.user_deadlines(user, start=start, end=end):
        ev = Event()
        ev.add("uid", f"deadline-{item.rule.code}-{item.record.pk}@{_host()}")
        ev.add("summary", f"【{item.rule.label}】{item.label}")
        ev.add("dtstart", item.due)
        ev.add("dtend", item.due + dt.timedelta(days=1))
        ev.add("dtstamp", stamp)
        if item.url:
            ev.add("url", site + item.url if item.url.startswith("/") else item.url)
        ev.add("description", _("期限：%(due)s") % {"due": format_date(item.due)})
        ev.add("categories", [_("期限")])
        cal.add_component(ev)
    return cal.to_ical()
