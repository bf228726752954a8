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
