"""The personal iCalendar feed: meetings and the person's own deadlines, behind a secret token."""

import datetime as dt

import pytest
from icalendar import Calendar

from congress.models import AuditEntry, Meeting
from tests import factories as f
from tests.congress.test_reminder_engine import at

SESSION = dt.date(2026, 12, 17)


@pytest.fixture
def item(db, office, unit, unit_clerk, staff_user):
    meeting = f.MeetingFactory(start_date=SESSION, lead_office=office, location="第一会议室")
    return f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit,
                               proposal_received_on=dt.date(2026, 11, 10), title="关于全市义务教育优质均衡发展情况的报告")


def _subscribe(client_as, user) -> str:
    client = client_as(user)
    resp = client.post("/reminders/calendar/token/")
    assert resp.status_code == 302
    user.refresh_from_db()
    assert len(user.calendar_token) >= 32
    page = client.get("/reminders/calendar/").content.decode()
    assert f"/calendar/{user.calendar_token}.ics" in page
    client.logout()
    return f"/calendar/{user.calendar_token}.ics"


def _events(resp):
    cal = Calendar.from_ical(resp.content)
    return {str(ev["summary"]): ev for ev in cal.walk("VEVENT")}


def test_feed_has_meetings_and_own_deadlines(item, client, client_as, unit_clerk):
    url = _subscribe(client_as, unit_clerk)
    # When a phone fetches the feed without any session
    with at(dt.date(2026, 11, 21)):
        resp = client.get(url)
    # Then it is a valid calendar with the session and the clerk's deadlines as all-day events
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/calendar")
    events = _events(resp)
    meeting = events[str(item.meeting)]
    assert meeting.decoded("dtstart") == SESSION
    assert str(meeting["location"]) == "第一会议室"
    draft = events[f"【报告初稿报送】{item.meeting}：{item.title}"]
    assert draft.decoded("dtstart") == dt.date(2026, 11, 27)
    assert f"【报告正式稿报送】{item.meeting}：{item.title}" in events
    # The proposal was received: no longer a deadline
    assert not any(s.startswith("【议题建议提交】") for s in events)
    assert all(ev.get("uid") for ev in events.values())


def test_feed_shows_only_what_the_person_may_see(item, client, client_as, other_unit_clerk, office):
    f.MeetingFactory(start_date=SESSION, kind=Meeting.Kind.CHAIRPERSONS, lead_office=office, name="主任会议第九十次")
    url = _subscribe(client_as, other_unit_clerk)
    with at(dt.date(2026, 11, 21)):
        events = _events(client.get(url))
    assert str(item.meeting) in events  # standing-committee sessions are public to units
    assert "主任会议第九十次" not in events  # councils of chairpersons are internal
    assert not any(item.title in s for s in events)  # another unit's deadlines


def test_wrong_or_missing_token_is_404(item, client, client_as, unit_clerk):
    _subscribe(client_as, unit_clerk)
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404
    assert client.get("/calendar/short.ics").status_code == 404


def test_empty_token_never_matches(item, client, unit_clerk):
    # A user who never subscribed has an empty token: no URL may reach them
    assert unit_clerk.calendar_token == ""
    assert client.get("/calendar/.ics").status_code == 404


def test_regenerating_the_token_cuts_off_the_old_url(item, client, client_as, unit_clerk):
    old = _subscribe(client_as, unit_clerk)
    new = _subscribe(client_as, unit_clerk)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    # And the change is in the user's history, without the secret itself
    entries = AuditEntry.objects.filter(object_id=unit_clerk.pk, summary__contains="订阅地址")
    assert entries.count() == 2
    assert unit_clerk.calendar_token not in str(list(entries.values_list("changes", flat=True)))


def test_inactive_user_feed_is_404(item, client, client_as, unit_clerk):
    url = _subscribe(client_as, unit_clerk)
    unit_clerk.is_active = False
    unit_clerk.save()
    assert client.get(url).status_code == 404


def test_token_regeneration_needs_post_and_login(client, client_as, unit_clerk):
    assert client.post("/reminders/calendar/token/").status_code == 302  # to the login page
    unit_clerk.refresh_from_db()
    assert unit_clerk.calendar_token == ""
    assert client_as(unit_clerk).get("/reminders/calendar/token/").status_code == 405
