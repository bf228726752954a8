"""Reminders that fall due when nobody can be told (a handling unit without any active
user): logged once as "unreached" without any message, never read again by the scan,
still escalated to the assigning office, listed on the system status page, and the
deadline's next step reaches a person added to the unit later."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress import reminder_engine
from congress.models import Notification, ReminderDispatch
from congress.roles import Role
from deputies.choices import AssignmentStatus
from deputies.choices import SuggestionStatus as S
from deputies.models import Assignment
from tests import factories as f

BJ = ZoneInfo("Asia/Shanghai")
REPLY = "deputies.reply_due"
MONDAY = dt.date(2026, 6, 8)


def at(day, hour=9):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=BJ), tick=False)


@pytest.fixture
def empty_unit(db):
    """A handling unit nobody works in yet."""
    return f.HandlingUnitFactory(name="江州市数据资源局")


def _assign(world, unit, due):
    s = world.suggestion(S.IN_PROGRESS, unit=unit, assigned_on=due - dt.timedelta(days=90))
    a = s.assignments.get()
    Assignment.objects.filter(pk=a.pk).update(due_date=due)
    return a


def _unreached(**filters):
    return ReminderDispatch.objects.filter(status=ReminderDispatch.Status.UNREACHED, **filters)


def test_first_scan_settles_a_due_step_nobody_can_be_told_without_any_message(world, empty_unit):
    # Given an item of a unit without users whose reply is due in 7 days
    a = _assign(world, empty_unit, MONDAY + dt.timedelta(days=7))
    # When the scan runs on the day of the "7 days left" step
    with at(MONDAY):
        assert reminder_engine.run() == 0
    # Then nothing was sent, and one row without recipient records the step nobody got
    assert not Notification.objects.exists()
    row = _unreached(rule=REPLY, object_id=a.pk).get()
    assert (row.step, row.recipient, row.notification, row.sent_on) == ("d7", None, None, MONDAY)
    # And a rerun that day writes it no second time and still sends nothing
    with at(MONDAY, 15):
        assert reminder_engine.run() == 0
    assert _unreached(rule=REPLY, object_id=a.pk).count() == 1
    assert not Notification.objects.exists()
    # The log allows one such row per step occurrence only
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderDispatch.objects.create(
            rule=REPLY, content_type=row.content_type, object_id=a.pk, step="d7", recipient=None,
            due_date=row.due_date, planned_for=row.planned_for, sent_on=MONDAY,
            status=ReminderDispatch.Status.UNREACHED,
        )


def _add_due(world, unit, n, day):
    # Due in 7 days, or overdue by 2 or 16 days: one-off and repeating steps for the unit,
    # the weekly summary for the assigning office, the directors' listing.
    return [_assign(world, unit, day + dt.timedelta(days=(7, -2, -16)[i % 3])) for i in range(n)]


def _scan_queries():
    with CaptureQueriesContext(connection) as q:
        assert reminder_engine.run() == 0
    return len(q)


def test_rescan_reads_none_of_the_records_nobody_can_be_told_about(world, users, empty_unit, monkeypatch):
    # Small batches, so that reading the records again would show in the count
    monkeypatch.setattr(reminder_engine, "BATCH_SIZE", 2)
    day = dt.date(2026, 6, 10)  # a Wednesday
    with at(day):
        first = _add_due(world, empty_unit, 3, day)
        reminder_engine.run()
        small = _scan_queries()
        more = _add_due(world, empty_unit, 27, day)
        reminder_engine.run()
        looked_up = []
        real = reminder_engine._recipients
        monkeypatch.setattr(reminder_engine, "_recipients", lambda *a: looked_up.append(a) or real(*a))
        again = _scan_queries()
    # Then the second scan of the day cost what it cost for 3 such records, and asked no record who to tell
    assert again == small
    assert looked_up == []
    # every one of the 30 items had its unit-level step settled as unreached, and the unit was told nothing
    ids = [a.pk for a in first + more]
    assert _unreached(rule=REPLY, object_id__in=ids).values("object_id").distinct().count() == 30
    assert not ReminderDispatch.objects.filter(rule=REPLY, object_id__in=ids, recipient__unit=empty_unit).exists()


def test_overdue_items_with_nobody_in_the_unit_still_reach_the_assigning_office(world, users, empty_unit):
    # Given an item of a unit without users, two days overdue
    day = dt.date(2026, 6, 10)
    a = _assign(world, empty_unit, day - dt.timedelta(days=2))
    with at(day):
        reminder_engine.run()
    # Then the unit head's daily overdue step went to nobody and is logged so
    assert _unreached(rule=REPLY, object_id=a.pk, step__startswith="overdue").exists()
    # And the weekly summary of overdue items still reached the assigning office's clerk, with a message
    weekly = ReminderDispatch.objects.get(rule=REPLY, object_id=a.pk, step="weekly", recipient=users["office"])
    assert weekly.notification is not None
    assert weekly.status in (ReminderDispatch.Status.SENT, ReminderDispatch.Status.IN_SUMMARY)


def test_a_user_added_later_gets_the_next_step_and_not_the_missed_one(world, empty_unit):
    # Given an item due on Monday 15 June, its unit without users when the "7 days" step fell due
    a = _assign(world, empty_unit, MONDAY + dt.timedelta(days=7))
    with at(MONDAY):
        reminder_engine.run()
    assert _unreached(object_id=a.pk, step="d7").exists()
    # When a clerk joins the unit on Tuesday and the scan runs every day until Friday
    clerk = f.UserFactory(username="sjj_clerk", role=Role.UNIT_CLERK, unit=empty_unit)
    day = MONDAY + dt.timedelta(days=1)
    while day <= MONDAY + dt.timedelta(days=4):
        with at(day):
            reminder_engine.run()
        day += dt.timedelta(days=1)
    # Then the clerk got the deadline's next step ("3 days left", Friday) and the missed step was not replayed
    rows = ReminderDispatch.objects.filter(rule=REPLY, object_id=a.pk, recipient=clerk)
    assert list(rows.values_list("step", "sent_on")) == [("d3", MONDAY + dt.timedelta(days=4))]
    assert Notification.objects.filter(recipient=clerk).count() == 1
    assert _unreached(object_id=a.pk).count() == 1  # only the missed "7 days" step


def _status_page(client_as, admin_user):
    page = client_as(admin_user).get(reverse("ops:status"))
    assert page.status_code == 200
    return page.content.decode()


def test_status_page_lists_deadlines_nobody_was_told_about_until_someone_is(
    world, users, empty_unit, admin_user, client_as
):
    # Given nothing unreached: the page says so
    assert "没有无人接收的提醒" in _status_page(client_as, admin_user)
    # When two items of a unit without users fall due
    a1 = _assign(world, empty_unit, MONDAY + dt.timedelta(days=7))
    _assign(world, empty_unit, MONDAY + dt.timedelta(days=8))
    with at(MONDAY):
        reminder_engine.run()
    # Then the operator's status page lists them by rule, office and unit
    lines = reminder_engine.unreached_deadlines()
    assert [(line.rule.code, line.unit, line.count) for line in lines] == [(REPLY, empty_unit, 2)]
    assert lines[0].office is not None and lines[0].office.is_assigning_office
    html = _status_page(client_as, admin_user)
    assert "无人接收的提醒" in html and "建议答复" in html and "江州市数据资源局" in html
    assert f'data-rule="{REPLY}"' in html
    # When a clerk joins and gets the first item's next step, and the second item is replied to (no longer pending)
    f.UserFactory(username="sjj_clerk2", role=Role.UNIT_CLERK, unit=empty_unit)
    Assignment.objects.exclude(pk=a1.pk).filter(unit=empty_unit).update(status=AssignmentStatus.REPLIED)
    with at(MONDAY + dt.timedelta(days=4)):
        reminder_engine.run()
    # Then the gap is closed
    assert reminder_engine.unreached_deadlines() == []
    assert "没有无人接收的提醒" in _status_page(client_as, admin_user)

