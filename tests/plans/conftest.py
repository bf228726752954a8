"""Fixtures of the plan tests: a plan drafted by the general office, the sample
imported through the services, and a helper that adds items quickly."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine

from plans import services
from plans.choices import PeriodKind, PlanKind
from plans.models import Plan, PlanItem
from tests import factories as f

SAMPLES = Path(__file__).parent / "samples"
# A fixed "today": Wednesday 2026-06-17, a working day in the middle of the plan year.
TODAY = dt.date(2026, 6, 17)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 17, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield TODAY


@pytest.fixture
def sample_text():
    return (SAMPLES / "plan-municipal-work-points.txt").read_text(encoding="utf-8")


@pytest.fixture
def general_office(db):
    return f.OfficeFactory(name="办公室", short_name="办公室")


@pytest.fixture
def planner(db, general_office):
    """Staff of the general office, which drafts the plan and assigns its items."""
    return f.UserFactory(username="planner", name="钱立平", role="staff", office=general_office)


@pytest.fixture
def plan(db, general_office, planner):
    return Plan.objects.create(
        kind=PlanKind.WORK_POINTS, year=2026, title="江州市人大常委会2026年工作要点",
        owner_office=general_office, created_by=planner,
    )


@pytest.fixture
def published_plan(db, general_office, planner):
    return Plan.objects.create(
        kind=PlanKind.SUPERVISION, year=2026, title="2026年监督工作计划", owner_office=general_office,
        created_by=planner, is_published=True,
    )


def add_item(plan, title="事项", parent=None, office=None, vice_chair=None, period_kind=PeriodKind.YEAR,
             month=None, quarter=None, **extra) -> PlanItem:
    """An item saved directly (tests of reads); writes under test go through services."""
    siblings = PlanItem.objects.filter(plan=plan, parent=parent).count()
    position = siblings + 1
    path = f"{parent.path}.{position:04d}" if parent else f"{position:04d}"
    return PlanItem.objects.create(
        plan=plan, parent=parent, level=parent.level + 1 if parent else 1, position=position, number=f"{position}.",
        path=path, title=title, lead_office=office, vice_chair=vice_chair, period_kind=period_kind,
        planned_month=month, planned_quarter=quarter,
        due_date=services.due_date_for(plan.year, period_kind, month, quarter), **extra,
    )


@pytest.fixture
def item(plan, office, vice_director):
    """A leaf item led by the staff user's office (财经委)."""
    section = add_item(plan, "强化监督")
    return add_item(plan, "听取和审议财政报告", parent=section, office=office, vice_chair=vice_director,
                    period_kind=PeriodKind.MONTH, month=6)


@pytest.fixture
def imported(plan, planner, sample_text):
    """The sample document imported and confirmed through the services."""
    draft = services.plan_import_preview(actor=planner, plan=plan, text=sample_text)
    services.draft_confirm(actor=planner, draft=draft)
    return plan


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Users are created in almost every test; hashing their passwords slowly buys nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
