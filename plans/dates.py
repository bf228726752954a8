"""Dates of plan items: the end of the planned month, quarter or year."""

import calendar
import datetime as dt

from .choices import PeriodKind


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def due_date_for(year: int, period_kind: str, month: int | None, quarter: int | None) -> dt.date:
    """The last day of the planned month, quarter or year: the item is overdue after it."""
    if period_kind == PeriodKind.MONTH and month:
        return month_end(dt.date(year, month, 1))
    if period_kind == PeriodKind.QUARTER and quarter:
        return month_end(dt.date(year, quarter * 3, 1))
    return dt.date(year, 12, 31)


def next_quarter_start(day: dt.date) -> dt.date:
    """The first day of the quarter after the one containing `day`."""
    month = ((day.month - 1) // 3 + 1) * 3 + 1
    return dt.date(day.year + 1, 1, 1) if month > 12 else dt.date(day.year, month, 1)
