"""The reminder scan asks the database for what is due: its query count does not grow
with records that are not due, and nothing is read for them."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress import reminder_engine
from congress.models import ReminderDispatch
from congress.workdays import today
from deputies.choices import SuggestionStatus as S
from deputies.models import Assignment


def _scan_queries():
    with CaptureQueriesContext(connection) as q:
        assert reminder_engine.run() == 0
    return len(q)


def _add_not_due(world, n):
    # Signed, replying in two months: no step of any rule falls in the scan's window.
    for _ in range(n):
        s = world.suggestion(S.IN_PROGRESS, assigned_on=today() - dt.timedelta(days=30))
        Assignment.objects.filter(suggestion=s).update(due_date=today() + dt.timedelta(days=60))


def test_scan_costs_the_same_for_3_and_30_records_not_due(world):
    _add_not_due(world, 3)
    reminder_engine.run()  # whatever the fixtures made due goes out once
    small = _scan_queries()
    _add_not_due(world, 27)
    assert _scan_queries() == small
    assert Assignment.objects.count() >= 30
    assert not ReminderDispatch.objects.filter(object_id__in=Assignment.objects.values("pk"),
                                               rule__startswith="deputies.reply").exists()


def _add_due(world, n, day):
    # Due in 7 days, or overdue by 2 or 16 days (each kind among any 3): one-off steps and repeating steps whose
    # occurrence keys differ from record to record.
    for i in range(n):
        s = world.suggestion(S.IN_PROGRESS, assigned_on=day - dt.timedelta(days=80))
        due = day + dt.timedelta(days=(7, -2, -16)[i % 3])
        Assignment.objects.filter(suggestion=s).update(due_date=due)


def test_rescan_the_same_day_costs_the_same_for_3_and_30_records_due(world, monkeypatch):
    import time_machine

    # Small batches, so that reading the due records again would show in the count
    monkeypatch.setattr(reminder_engine, "BATCH_SIZE", 2)
    day = dt.date(2026, 6, 10)  # a Wednesday
    with time_machine.travel(dt.datetime(2026, 6, 10, 1, tzinfo=dt.UTC), tick=False):
        _add_due(world, 3, day)
        assert reminder_engine.run() > 0
        small = _scan_queries()
        _add_due(world, 27, day)
        assert reminder_engine.run() > 0
        looked_up = []
        real = reminder_engine._recipients
        monkeypatch.setattr(reminder_engine, "_recipients", lambda *a: looked_up.append(a) or real(*a))
        again = _scan_queries()
    # Then the second scan of the day read none of the 30 due records and asked no per-record question
    assert again == small
    assert looked_up == []
    told = ReminderDispatch.objects.filter(rule="deputies.reply_due").values("object_id").distinct().count()
    assert told == Assignment.objects.filter(due_date__isnull=False).count() >= 30
