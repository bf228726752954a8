"""Fixtures of the supervision tests: a standing-committee meeting with an agenda item,
a reporting body, and a helper that records an item through the service."""

import datetime as dt

import pytest
import time_machine

from congress.models import HandlingUnit, Meeting
from supervision import services
from supervision.choices import SupervisionType
from tests import factories as f

# A fixed "today" for deterministic deadlines: Wednesday 2025-06-25 (a working day).
TODAY = dt.date(2025, 6, 25)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2025, 6, 25, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield TODAY


@pytest.fixture
def government(db):
    return f.HandlingUnitFactory(name="江州市人民政府", group=HandlingUnit.Group.GOVERNMENT)


@pytest.fixture
def meeting(db, term):
    return f.MeetingFactory(term=term, number=29, start_date=dt.date(2025, 6, 20), status=Meeting.Status.HELD)


@pytest.fixture
def chair_meeting(db, term):
    return f.MeetingFactory(term=term, kind=Meeting.Kind.CHAIRPERSONS, number=101, start_date=dt.date(2025, 6, 24))


@pytest.fixture
def agenda_item(db, meeting, office, unit):
    return f.AgendaItemFactory(meeting=meeting, title="关于全市义务教育优质均衡发展情况的报告", lead_office=office,
                               reporting_unit=unit)


@pytest.fixture
def make_item(db, staff_user, unit):
    """make_item(kind=..., **fields) -> an item recorded by the lead office's staff."""

    def make(kind=SupervisionType.SPECIAL_REPORT, actor=None, **fields):
        fields.setdefault("title", f"关于{kind}的监督事项")
        fields.setdefault("year", 2025)
        fields.setdefault("target_unit", unit)
        if kind == SupervisionType.BUDGET_REVIEW:
            fields.setdefault("finance_kind", "final_accounts")
        return services.item_create(actor=actor or staff_user, kind=kind, **fields)

    return make


@pytest.fixture
def heard_item(make_item, agenda_item, frozen):
    """A special report heard at the meeting of 2025-06-20 (a Friday)."""
    return make_item(agenda_item=agenda_item, title=agenda_item.title)


def refresh(obj):
    obj.refresh_from_db()
    return obj
