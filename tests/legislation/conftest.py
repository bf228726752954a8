"""Fixtures of the legislation tests: the 法工委 and its staff, the lead committee's
staff (the shared `staff_user` of 财经委), an adopted 2026 plan and a draft 2027 plan,
standing-committee meetings with regulation agenda items, and a frozen "today"."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine

from congress.models import AgendaItem, Meeting
from congress.roles import Role
from legislation import services_projects as services
from legislation.choices import Category, PlanKind, PlanStatus, ProjectKind
from tests import factories as f

SAMPLES = Path(__file__).parent / "samples"
BEIJING = dt.timezone(dt.timedelta(hours=8))
# Wednesday 2026-11-18, late in the plan year.
TODAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 18, 10, 0, tzinfo=BEIJING), tick=False):
        yield TODAY


@pytest.fixture(autouse=True)
def _legislation_on(settings):
    settings.LEGISLATION_ENABLED = True
    settings.LEGISLATION_READINGS = 3
    settings.LEGISLATION_NEEDS_APPROVAL = True


@pytest.fixture
def legal_office(db):
    return f.OfficeFactory(name="法制工作委员会", short_name="法工委")


@pytest.fixture
def legal_staff(db, legal_office):
    return f.UserFactory(username="legal", name="钟立法", role=Role.STAFF, office=legal_office)


@pytest.fixture
def plan(db, legal_staff):
    return services.plan_create(actor=legal_staff, kind=PlanKind.ANNUAL, year=2026, status=PlanStatus.ADOPTED,
                                adopted_on=dt.date(2026, 1, 8))


@pytest.fixture
def next_plan(db, legal_staff):
    return services.plan_create(actor=legal_staff, kind=PlanKind.ANNUAL, year=2027)


@pytest.fixture
def project(db, plan, legal_staff, office, vice_director):
    """A regulation led by 财经委 (the shared staff_user's office)."""
    return services.project_add(actor=legal_staff, plan=plan, title="《江州市养犬管理条例》", category=Category.FIRST,
                                kind=ProjectKind.ENACT, lead_office=office, drafting_body="市公安局",
                                vice_chair=vice_director)


@pytest.fixture
def meetings(db, term):
    """Four held standing-committee meetings of 2026, each with a regulation agenda item."""
    items = []
    for n, day in enumerate([dt.date(2026, 2, 26), dt.date(2026, 4, 24), dt.date(2026, 6, 25),
                             dt.date(2026, 8, 27)], start=1):
        m = f.MeetingFactory(term=term, number=30 + n, start_date=day, status=Meeting.Status.HELD)
        items.append(f.AgendaItemFactory(meeting=m, title=f"法规案审议{n}", kind=AgendaItem.Kind.REGULATION))
    return items


def advance(project, actor, step, **kw):
    project.refresh_from_db()
    return services.project_advance(actor=actor, project=project, step=step, version=project.version, **kw)


def walk(project, actor, until, agenda=None, start=dt.date(2026, 1, 10)):
    """Take a project through its steps up to `until` (readings at the given agenda items)."""
    from legislation.choices import READINGS, step_sequence

    agenda = list(agenda or [])
    day = start
    for step in step_sequence():
        kw = {}
        if step in READINGS and agenda:
            kw["agenda_item"] = agenda.pop(0)
            day = kw["agenda_item"].meeting.start_date
        else:
            day = day + dt.timedelta(days=3)
            kw["date"] = day
        advance(project, actor, step, **kw)
        if step == "approval":
            project.refresh_from_db()
            services.project_record_approval(actor=actor, project=project, approved_on=day + dt.timedelta(days=5),
                                             version=project.version)
            day = day + dt.timedelta(days=5)
        if step == until:
            break
    project.refresh_from_db()
    return project
