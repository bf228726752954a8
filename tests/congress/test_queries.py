"""Lists cost the same number of queries for 3 rows as for 30."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.history import record_change
from congress.models import Appointment, Attendance, Decision, Meeting, Notification
from congress.workdays import today
from tests import factories as f

pytestmark = pytest.mark.django_db


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = fn()
    assert resp.status_code == 200
    return len(ctx.captured_queries)


def add_rows(n, *, user, term, office, start):
    soon = today() + dt.timedelta(days=5)
    for i in range(n):
        kind = Meeting.Kind.STANDING if i % 2 == 0 else Meeting.Kind.CHAIRPERSONS
        f.MeetingFactory(term=term, kind=kind, number=start + i, start_date=soon + dt.timedelta(days=i % 50),
                         lead_office=office)
        Notification.objects.create(recipient=user, title=f"消息{start + i}", url="/meetings/",
                                    level=Notification.Level.OVERDUE if i % 3 == 0 else Notification.Level.INFO)


@pytest.fixture
def grow(staff_user, term, office):
    """grow(n): add n meetings and n messages for staff_user."""
    state = {"next": 1}

    def add(n):
        add_rows(n, user=staff_user, term=term, office=office, start=state["next"])
        state["next"] += n

    return add


PAGES = ["/", "/inbox/", "/inbox/?unread=1", "/meetings/", "/meetings/?kind=standing&year=2026",
         "/api/v1/meetings/", "/api/v1/notifications/", "/api/v1/decisions/", "/api/v1/appointments/",
         "/api/v1/agenda-items/", "/api/v1/deputies/", "/api/v1/notifications/unread-count/"]


@pytest.mark.parametrize("url", PAGES)
def test_same_queries_for_3_and_30_rows(client, staff_user, grow, url):
    client.force_login(staff_user)
    grow(3)
    client.get(url)  # warm caches (content types, periods) as in a running server
    small = queries(lambda: client.get(url))
    grow(27)
    large = queries(lambda: client.get(url))
    assert small == large, f"{url}: {small} queries for 3 rows, {large} for 30"


def _fill_meeting(meeting, n, actor):
    for i in range(n):
        item = f.AgendaItemFactory(meeting=meeting, lead_office=actor.office)
        Decision.objects.create(meeting=meeting, agenda_item=item, title=f"决定{i}", adopted_on=meeting.start_date)
        Appointment.objects.create(meeting=meeting, agenda_item=item, person_name=f"人员{i}", position="局长",
                                   effective_on=meeting.start_date)
        Attendance.objects.create(meeting=meeting, person_name=f"委员{i}")
        record_change(obj=meeting, actor=actor, changes={"location": [f"旧{i}", f"新{i}"]})


@pytest.mark.parametrize("url", ["/meetings/{pk}/", "/api/v1/meetings/{pk}/"])
def test_meeting_detail_queries_do_not_grow_with_its_agenda(client, staff_user, term, url):
    client.force_login(staff_user)
    small_m = f.MeetingFactory(term=term, number=1)
    large_m = f.MeetingFactory(term=term, number=2)
    _fill_meeting(small_m, 3, staff_user)
    _fill_meeting(large_m, 30, staff_user)
    client.get(url.format(pk=small_m.pk))
    small = queries(lambda: client.get(url.format(pk=small_m.pk)))
    large = queries(lambda: client.get(url.format(pk=large_m.pk)))
    assert small == large, f"{url}: {small} vs {large}"


def test_home_meeting_preparation_widget_queries_do_not_grow(client, staff_user, term, office, unit):
    # Given pending agenda items of planned sessions in the next weeks, led by the staff's office
    def add(n):
        for i in range(n):
            meeting = f.MeetingFactory(term=term, start_date=today() + dt.timedelta(days=15 + i % 10),
                                       lead_office=office)
            f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit)

    client.force_login(staff_user)
    add(3)
    client.get("/")
    small = queries(lambda: client.get("/"))
    add(27)
    large = queries(lambda: client.get("/"))
    assert small == large
