"""Working days on the Chinese public-holiday calendar, and calendar-month arithmetic.

Holidays and make-up working days (调休) come from the `chinesecalendar` package;
administrators add WorkingDayOverride rows for years it does not cover yet (it stops
at the year its release was made). Every deadline in the product goes through here,
in Asia/Shanghai local dates."""

import calendar
import datetime as dt
import threading
from contextlib import contextmanager
from functools import lru_cache

import chinese_calendar
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

OVERRIDE_CACHE_KEY = "congress:workday-overrides"


def today() -> dt.date:
    """Today's date in Beijing time (never the UTC date, which lags until 08:00)."""
    return timezone.localdate()


def _load_overrides() -> tuple[dict[dt.date, bool], frozenset[int]]:
    from congress.models import CalendarYear, WorkingDayOverride

    days = dict(WorkingDayOverride.objects.values_list("date", "is_working_day"))
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return days, years


class _Pinned(threading.local):
    overrides: tuple | None = None
    answers: dict | None = None


_pinned = _Pinned()


@contextmanager
def pinned():
    """Within the block (a reminder scan, a long export), the overrides are read once and
    each day's answer is remembered: hundreds of thousands of date checks cost dictionary
    look-ups instead of a cache read each. Nested blocks share the outer one."""
    if _pinned.overrides is not None:
        yield
        return
    _pinned.overrides, _pinned.answers = _overrides(), {}
    try:
        yield
    finally:
        _pinned.overrides = _pinned.answers = None


def _overrides() -> tuple[dict[dt.date, bool], frozenset[int]]:
    if _pinned.overrides is not None:
        return _pinned.overrides
    data = cache.get(OVERRIDE_CACHE_KEY)
    if data is None:
        data = _load_overrides()
        cache.set(OVERRIDE_CACHE_KEY, data, 300)
    return data


def clear_cache() -> None:
    cache.delete(OVERRIDE_CACHE_KEY)
    if _pinned.overrides is not None:
        _pinned.overrides, _pinned.answers = _load_overrides(), {}


@lru_cache(maxsize=1)
def package_years() -> frozenset[int]:
    """Years the holiday package knows."""
    return frozenset(d.year for d in chinese_calendar.holidays) | frozenset(
        d.year for d in chinese_calendar.workdays
    )


def year_is_covered(year: int) -> bool:
    return year in package_years() or year in _overrides()[1]


def _package_says_working(day: dt.date) -> bool:
    # The package's own is_workday() recomputes its first and last year on every call;
    # the year is already known to be covered here, so read its tables directly.
    return day in chinese_calendar.workdays or (day.weekday() < 5 and day not in chinese_calendar.holidays)


def _is_working_day(day: dt.date) -> bool:
    days, _years = _overrides()
    if day in days:
        return days[day]
    if day.year in package_years():
        return _package_says_working(day)
    # Year not covered: weekdays work, weekends rest; callers show coverage_warning().
    return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    answers = _pinned.answers
    if answers is None:
        return _is_working_day(day)
    known = answers.get(day)
    if known is None:
        known = answers[day] = _is_working_day(day)
    return known


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date n working days after `start` (before it when n < 0); `start` itself is
    not counted, so 3 working days after a Friday assignment is the next Wednesday."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative if end < start)."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    lo, hi = (start, end) if sign > 0 else (end, start)
    count = 0
    day = lo
    while day < hi:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return sign * count


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, clamped to the month's end
    (31 January + 1 month = 28/29 February)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def deadline_after_months(start: dt.date, months: int) -> dt.date:
    """A period counted in months; when its last day is a public holiday or rest day
    the period ends on the next working day (Civil Code art. 203)."""
    return next_working_day(add_months(start, months))


def deadline_after_days(start: dt.date, days: int) -> dt.date:
    """A period counted in calendar days, extended past a closing holiday (Civil Code art. 203)."""
    return next_working_day(start + dt.timedelta(days=days))


def coverage_warning(*days: dt.date | None) -> str:
    """A visible warning when a deadline falls in a year whose holidays nobody has entered."""
    missing = sorted({d.year for d in days if d is not None and not year_is_covered(d.year)})
    if not missing:
        return ""
    years = "、".join(str(y) for y in missing)
    return _("%(years)s年的法定节假日尚未录入，期限按周一至周五为工作日估算，请管理员在“工作日调整”中补录。") % {
        "years": years
    }
