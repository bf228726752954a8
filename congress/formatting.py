"""The one way a date or a time is shown to people: pages, history, exports, messages.

Times are stored in UTC; people read them in the installation's time zone (Asia/Shanghai),
as `2026-12-02 15:24`, and dates as `2026-12-02`. Templates use the `local_time` filters,
Python code (exports, notifications, widgets) calls these functions."""

import datetime as dt

from django.utils import timezone

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def local_datetime(value: dt.datetime | None) -> dt.datetime | None:
    """An aware datetime converted to the installation's time zone (naive ones are taken as local)."""
    if value is None:
        return None
    if timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_datetime(value: dt.datetime | None) -> str:
    """`2026-12-02 15:24` in local time; "" for nothing."""
    if value is None:
        return ""
    return local_datetime(value).strftime(DATETIME_FORMAT)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """`2026-12-02`; a datetime gives its local date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local_datetime(value).date()
    return value.strftime(DATE_FORMAT)


def format_date_long(value: dt.date | dt.datetime | None) -> str:
    """The date as printed on an official letter: `2026年12月2日` (no leading zeros)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local_datetime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def format_moment(value) -> str:
    """A date or a datetime, each in its own format; anything else unchanged as text."""
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return "" if value is None else str(value)
