"""Demo data: a believable city committee, one account per role, idempotent."""

import datetime as dt
import io

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from congress.demo import DEMO_PASSWORD, seed_core
from congress.models import Appointment, Decision, Deputy, HandlingUnit, Meeting, Office, Term, User
from congress.roles import Role

pytestmark = pytest.mark.django_db

# A fixed "today" keeps the test independent of the calendar day it runs on.
TODAY = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

ROLES = {
    "staff": Role.STAFF,
    "staff2": Role.STAFF,
    "assign": Role.ASSIGNING_CLERK,
    "director": Role.DIRECTOR,
    "vice": Role.VICE_DIRECTOR,
    "deputy1": Role.DEPUTY,
    "deputy2": Role.DEPUTY,
    "unit1_clerk": Role.UNIT_CLERK,
    "unit1_head": Role.UNIT_HEAD,
    "unit2_clerk": Role.UNIT_CLERK,
    "unit2_head": Role.UNIT_HEAD,
    "admin": Role.ADMIN,
}


def counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture
def seeded():
    with time_machine.travel(TODAY, tick=False):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()


def test_seed_demo_is_idempotent(seeded):
    first = counts()
    with time_machine.travel(TODAY, tick=False):
        call_command("seed_demo", "--quiet")
    second = counts()
    changed = {k: (first[k], second[k]) for k in first if first[k] != second[k]}
    assert not changed, f"a second run created more rows: {changed}"


def test_one_account_per_role_and_the_printed_list(seeded):
    for username, role in ROLES.items():
        user = User.objects.get(username=username)
        assert user.role == role, username
        assert authenticate(username=username, password=DEMO_PASSWORD) == user, username
        assert username in seeded, username
    assert DEMO_PASSWORD in seeded
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.get(username="staff").is_staff
    # staff belong to offices, unit users to two different units, the assigning clerk to the assigning office
    assert User.objects.get(username="staff").office.name == "财政经济委员会"
    assert User.objects.get(username="assign").office.is_assigning_office
    assert User.objects.get(username="unit1_clerk").unit != User.objects.get(username="unit2_clerk").unit
    assert User.objects.get(username="unit1_head").unit == User.objects.get(username="unit1_clerk").unit
    # the vice director is responsible for the staff member's office
    assert User.objects.get(username="staff").office.vice_chair.username == "vice"
    # two deputies in different delegations
    d1, d2 = Deputy.objects.get(user__username="deputy1"), Deputy.objects.get(user__username="deputy2")
    assert d1.delegation != d2.delegation


def test_a_believable_city_committee(seeded):
    term = Term.objects.get(is_current=True)
    assert term.name == "第十七届"
    assert Office.objects.filter(kind=Office.Kind.SPECIAL_COMMITTEE).exists()
    assert Office.objects.filter(kind=Office.Kind.WORKING_BODY).count() >= 5
    for group in HandlingUnit.Group.values[:4]:  # 一府一委两院
        assert HandlingUnit.objects.filter(group=group, parent__isnull=True).exists(), group
    assert HandlingUnit.objects.filter(parent__name="江州市人民政府").count() >= 5
    assert Deputy.objects.count() >= 10
    assert all("委员会" in o.name or o.name == "办公室" for o in Office.objects.all())


def test_this_years_meetings(seeded):
    today = TODAY.date()
    standing = list(Meeting.objects.filter(kind=Meeting.Kind.STANDING, start_date__year=today.year)
                    .order_by("start_date"))
    # standing-committee sessions about every two months (law: at least once every two months)
    assert len(standing) >= 6
    gaps = [(b.start_date - a.start_date).days for a, b in zip(standing, standing[1:], strict=False)]
    assert max(gaps) <= 70, gaps
    # numbered per term in date order, with names like 第十七届人大常委会第三十次会议
    assert [m.number for m in standing] == sorted(m.number for m in standing)
    assert all(m.name.startswith("第十七届人大常委会第") for m in standing)
    # one within the next four weeks, planned
    upcoming = [m for m in standing if today <= m.start_date <= today + dt.timedelta(days=28)]
    assert upcoming and upcoming[0].status == Meeting.Status.PLANNED
    assert upcoming[0].agenda_items.exists()
    # councils of chairpersons are much more frequent
    chair = Meeting.objects.filter(kind=Meeting.Kind.CHAIRPERSONS, start_date__year=today.year).count()
    assert chair > len(standing) * 2
    # held meetings are in the past, planned ones ahead
    assert not Meeting.objects.filter(status=Meeting.Status.HELD, start_date__gte=today).exists()


def test_decisions_and_appointments_are_linked_to_the_agenda(seeded):
    assert Decision.objects.count() >= 3
    assert Appointment.objects.count() >= 3
    for record in [*Decision.objects.all(), *Appointment.objects.all()]:
        assert record.agenda_item is not None
        assert record.agenda_item.meeting_id == record.meeting_id
    assert Appointment.objects.filter(oath_taken=True).exists()
    assert Decision.objects.filter(meeting__kind=Meeting.Kind.STANDING).count() == Decision.objects.count()


# congress/demo.py appends the "next few weeks" session after the fixed dates, so before
# late October its number is out of date order, and from 29 December no session is ahead.
@pytest.mark.parametrize(
    "today",
    [
        pytest.param(dt.date(2026, 1, 5)),
        pytest.param(dt.date(2026, 3, 1)),
        pytest.param(dt.date(2026, 6, 30)),
        dt.date(2026, 11, 21),
        dt.date(2026, 12, 10),
        pytest.param(dt.date(2026, 12, 30)),
    ],
)
def test_demo_meetings_on_any_day_of_the_year(today):
    seed_core(today=today)
    standing = list(Meeting.objects.filter(kind=Meeting.Kind.STANDING).order_by("start_date"))
    assert [m.number for m in standing] == sorted(m.number for m in standing), "numbers follow dates"
    assert any(today <= m.start_date <= today + dt.timedelta(days=28) for m in standing), "a session within 4 weeks"
