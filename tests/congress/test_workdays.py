"""Working days on the Chinese holiday calendar (chinese_calendar + admin overrides),
calendar months, and Beijing dates."""

import datetime as dt

import chinese_calendar
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from congress import workdays
from congress.models import CalendarYear, WorkingDayOverride
from congress.workdays import (
    add_months,
    add_working_days,
    coverage_warning,
    deadline_after_days,
    deadline_after_months,
    is_working_day,
    next_working_day,
    today,
    working_days_between,
    year_is_covered,
)

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_package_knows_the_2026_national_day_holiday():
    # The facts the tests below rely on (State Council notice for 2026): 1-7 October off,
    # Sunday 20 September and Saturday 10 October are make-up working days.
    for day in range(1, 8):
        assert not chinese_calendar.is_workday(D(2026, 10, day))
    assert chinese_calendar.is_workday(D(2026, 9, 20)) and D(2026, 9, 20).weekday() == 6
    assert chinese_calendar.is_workday(D(2026, 10, 10)) and D(2026, 10, 10).weekday() == 5
    assert 2026 in workdays.package_years()


def test_is_working_day_follows_holidays_and_make_up_days():
    assert is_working_day(D(2026, 9, 30))  # Wednesday before the holiday
    assert not is_working_day(D(2026, 10, 1))  # National Day
    assert not is_working_day(D(2026, 10, 5))  # Monday inside the holiday
    assert is_working_day(D(2026, 9, 20))  # Sunday, make-up working day
    assert is_working_day(D(2026, 10, 10))  # Saturday, make-up working day
    assert not is_working_day(D(2026, 10, 11))  # ordinary Sunday


def test_add_working_days_across_national_day():
    # 1 working day after Wednesday 30 September is Thursday 8 October
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # the make-up Saturday counts: Thu 8, Fri 9, Sat 10 October
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)
    # the make-up Sunday counts too: Friday 18 September + 1 = Sunday 20 September
    assert add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)
    # the start day is not counted; zero is the start itself
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)
    # backwards
    assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    # 7 working days (the return window) from Friday 25 September (Mid-Autumn) 2026
    assert add_working_days(D(2026, 9, 25), 7) == D(2026, 10, 12)


def test_working_days_between():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert working_days_between(D(2026, 10, 12), D(2026, 9, 30)) == -4
    assert working_days_between(D(2026, 11, 2), D(2026, 11, 2)) == 0
    # inverse of add_working_days
    start = D(2026, 9, 14)
    for n in range(0, 30):
        assert working_days_between(start, add_working_days(start, n)) == n


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # clamped to the month's end
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 3, 31), 3, D(2026, 6, 30)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # across the year
        (D(2026, 8, 15), 6, D(2027, 2, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 5, 10), 0, D(2026, 5, 10)),
        (D(2026, 5, 10), 12, D(2027, 5, 10)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_deadline_after_months_moves_off_a_holiday():
    # Assigned 1 July, a 3-month reply period ends 1 October, a holiday: the next working day is 8 October
    assert deadline_after_months(D(2026, 7, 1), 3) == D(2026, 10, 8)
    # ... ending on a make-up Saturday stays there
    assert deadline_after_months(D(2026, 7, 10), 3) == D(2026, 10, 10)
    # ... ending on an ordinary working day stays there
    assert deadline_after_months(D(2026, 6, 30), 3) == D(2026, 9, 30)


def test_deadline_after_days_moves_off_a_holiday():
    assert deadline_after_days(D(2026, 9, 24), 7) == D(2026, 10, 8)
    assert deadline_after_days(D(2026, 10, 3), 7) == D(2026, 10, 10)
    assert deadline_after_days(D(2026, 11, 2), 10) == D(2026, 11, 12)
    assert next_working_day(D(2026, 11, 14)) == D(2026, 11, 16)  # Saturday -> Monday


def test_override_wins_over_the_package():
    # Given a local decision: 9 October off, Sunday 11 October worked
    WorkingDayOverride.objects.create(date=D(2026, 10, 9), is_working_day=False, note="地方调休")
    WorkingDayOverride.objects.create(date=D(2026, 10, 11), is_working_day=True, note="地方调休上班")
    workdays.clear_cache()
    assert not is_working_day(D(2026, 10, 9))
    assert is_working_day(D(2026, 10, 11))
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 11)


def test_an_uncovered_year_warns_and_falls_back_to_weekdays():
    year = max(workdays.package_years()) + 1
    new_year = D(year, 1, 1)
    # Given a year neither the package nor an administrator has entered
    assert not year_is_covered(year)
    # Then Monday to Friday are working days (1 January included), with a visible warning
    monday = next(new_year + dt.timedelta(days=i) for i in range(7) if (new_year + dt.timedelta(days=i)).weekday() == 0)
    assert is_working_day(monday)
    assert not is_working_day(monday + dt.timedelta(days=5))
    warning = coverage_warning(D(year, 3, 1), None, D(2026, 5, 1))
    assert f"{year}年的法定节假日尚未录入" in warning
    assert "2026" not in warning
    assert coverage_warning(D(2026, 5, 1)) == ""
    # When the administrator enters the year and its holidays
    CalendarYear.objects.create(year=year, note="按国务院办公厅通知录入")
    WorkingDayOverride.objects.create(date=monday, is_working_day=False, note="元旦")
    workdays.clear_cache()
    # Then the warning is gone and the override applies
    assert year_is_covered(year)
    assert coverage_warning(D(year, 3, 1)) == ""
    assert not is_working_day(monday)


def test_admin_override_applies_at_once(client, admin_user):
    assert is_working_day(D(2026, 11, 23))  # populate the cache
    client.force_login(admin_user)
    resp = client.post(reverse("admin:congress_workingdayoverride_add"),
                       {"date": "2026-11-23", "note": "本地停工"})  # unchecked box: a day off
    assert resp.status_code == 302
    assert not is_working_day(D(2026, 11, 23))


@pytest.mark.parametrize(
    ("utc", "beijing"),
    [
        (dt.datetime(2026, 11, 20, 15, 59, tzinfo=dt.UTC), D(2026, 11, 20)),  # 23:59 in Beijing
        (dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.UTC), D(2026, 11, 21)),  # midnight in Beijing
        (dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.UTC), D(2026, 11, 21)),
        (dt.datetime(2026, 11, 20, 23, 59, tzinfo=dt.UTC), D(2026, 11, 21)),  # 07:59 Beijing
        (dt.datetime(2026, 11, 21, 0, 0, tzinfo=dt.UTC), D(2026, 11, 21)),  # UTC catches up
    ],
)
def test_today_is_the_beijing_date(utc, beijing):
    with time_machine.travel(utc, tick=False):
        assert today() == beijing
        # what the code must never use: the UTC date lags until 08:00 Beijing time
        if utc.hour >= 16:
            assert timezone.now().date() != today()
