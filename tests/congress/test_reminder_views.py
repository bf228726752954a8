"""Pages of the reminder engine: the per-record panel on the meeting page, my deadlines,
the leaders' overdue list with colours, the overdue colour helper and template tags,
and their query counts (same for 3 rows as for 30)."""

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from congress import reminder_engine
from congress.models import Meeting, PeriodSetting
from congress.periods import clear_cache
from tests import factories as f
from tests.congress.test_reminder_engine import at, run_on

SESSION = dt.date(2026, 12, 17)  # draft due Fri 27 Nov, final due Mon 7 Dec


@pytest.fixture
def item(db, office, unit, staff_user, unit_clerk, unit_head, vice_director):
    meeting = f.MeetingFactory(start_date=SESSION, lead_office=office)
    return f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit,
                               proposal_received_on=dt.date(2026, 11, 10), title="关于全市义务教育优质均衡发展情况的报告")


# --- Colours -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "colour"),
    [
        (dt.date(2026, 12, 20), ""),  # more than 7 days ahead
        (dt.date(2026, 12, 8), "blue"),  # due within 7 days
        (dt.date(2026, 12, 1), "blue"),  # due today
        (dt.date(2026, 11, 30), "orange"),  # overdue
        (dt.date(2026, 11, 16), "orange"),  # 15 days overdue: not yet for the directors' meeting
        (dt.date(2026, 11, 15), "red"),  # more than 15 days overdue
        (None, ""),
    ],
)
def test_overdue_colour(db, due, colour):
    assert reminder_engine.overdue_colour(due, dt.date(2026, 12, 1)) == colour


def test_overdue_colour_follows_the_listing_period(db):
    PeriodSetting.objects.filter(key="overdue_listing_days").update(value=5)
    clear_cache()
    assert reminder_engine.overdue_colour(dt.date(2026, 11, 25), dt.date(2026, 12, 1)) == "red"


def test_template_filters_and_badge(db):
    with at(dt.date(2026, 12, 1)):
        html = Template(
            "{% load reminder_tags %}<i class='{{ a|due_class }}'></i><b>{{ b|due_colour }}</b>{% due_badge c %}"
        ).render(Context({"a": dt.date(2026, 11, 1), "b": dt.date(2026, 12, 3), "c": dt.date(2026, 11, 28)}))
    assert "class='due-red'" in html
    assert "<b>blue</b>" in html
    assert "badge due-orange" in html and "逾期3天" in html


# --- Per-record panel -------------------------------------------------------------------


def test_meeting_page_shows_reminders_sent_and_coming(item, client_as, staff_user, unit_clerk):
    run_on(dt.date(2026, 11, 20))  # "a week ahead" of the draft deadline
    with at(dt.date(2026, 11, 21)):
        resp = client_as(staff_user).get(f"/meetings/{item.meeting_id}/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'id="reminder-panel"' in html
    assert 'data-rule="meeting.draft_report"' in html
    assert str(unit_clerk) in html  # sent: who was told
    assert "11-27 · 今日到期" in html  # coming: the deadline-day step
    assert "分管副主任" in html  # coming: the escalation


def test_panel_is_hidden_from_units(item, client_as, unit_clerk):
    run_on(dt.date(2026, 11, 20))
    resp = client_as(unit_clerk).get(f"/meetings/{item.meeting_id}/")
    assert resp.status_code == 200
    assert 'id="reminder-panel"' not in resp.content.decode()


def test_record_schedule_replans_after_a_move(item):
    entry = next(e for e in reminder_engine.record_schedule(item, today=dt.date(2026, 11, 21))
                 if e.rule.code == "meeting.draft_report")
    assert entry.due == dt.date(2026, 11, 27)
    Meeting.objects.filter(pk=item.meeting_id).update(start_date=dt.date(2026, 12, 31))
    item.refresh_from_db()
    entry = next(e for e in reminder_engine.record_schedule(item, today=dt.date(2026, 11, 21))
                 if e.rule.code == "meeting.draft_report")
    assert entry.due == dt.date(2026, 12, 11)
    assert entry.coming[0][1] == dt.date(2026, 12, 4)


def test_record_schedule_after_completion_keeps_what_was_sent(item):
    run_on(dt.date(2026, 11, 20))
    item.draft_report_received_on = dt.date(2026, 11, 23)
    item.save()
    entry = next(e for e in reminder_engine.record_schedule(item, today=dt.date(2026, 11, 24))
                 if e.rule.code == "meeting.draft_report")
    assert not entry.pending and entry.coming == [] and len(entry.sent) == 3


# --- My deadlines and the overdue list ----------------------------------------------------


def test_my_deadlines_lists_own_items_with_colours(item, client_as, unit_clerk, other_unit_clerk):
    with at(dt.date(2026, 11, 30)):
        mine = client_as(unit_clerk).get("/reminders/mine/").content.decode()
        other = client_as(other_unit_clerk).get("/reminders/mine/").content.decode()
    assert item.title in mine
    assert 'class="due-orange"' in mine  # the draft report, overdue since 27 Nov
    assert item.title not in other


def test_overdue_list_groups_by_office_and_unit(item, client_as, director, office, unit, other_office, other_unit):
    meeting = f.MeetingFactory(start_date=dt.date(2026, 12, 10), lead_office=other_office)
    other = f.AgendaItemFactory(meeting=meeting, lead_office=other_office, reporting_unit=other_unit,
                                title="关于老旧小区改造工作情况的报告")
    with at(dt.date(2026, 12, 1)):
        resp = client_as(director).get("/reminders/overdue/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert item.title in html and other.title in html
    assert html.index(f"<h2 class=\"h6 mt-3 border-bottom pb-1\">{office}</h2>") < html.index(str(unit))
    assert 'data-colour="orange"' in html
    # When filtered to one office
    with at(dt.date(2026, 12, 1)):
        html = client_as(director).get(f"/reminders/overdue/?office={office.pk}").content.decode()
    assert item.title in html and other.title not in html


def test_overdue_list_red_after_listing_days(item, client_as, director):
    with at(dt.date(2026, 12, 14)):  # the draft has been overdue 17 days: listed for the directors' meeting
        html = client_as(director).get("/reminders/overdue/").content.decode()
    assert 'data-colour="red"' in html


def test_overdue_list_refused_to_units_and_deputies(item, client_as, unit_clerk, deputy_user):
    assert client_as(unit_clerk).get("/reminders/overdue/").status_code == 403
    assert client_as(deputy_user).get("/reminders/overdue/").status_code == 403


def test_pages_need_login(client):
    for url in ("/reminders/mine/", "/reminders/overdue/", "/reminders/preferences/", "/reminders/calendar/"):
        resp = client.get(url)
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


# --- Query counts ---------------------------------------------------------------------------


def _make_items(n, office, unit):
    for i in range(n):
        meeting = f.MeetingFactory(start_date=SESSION + dt.timedelta(days=i % 3), lead_office=office)
        f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit)


def _count(client, url, day):
    with at(day), CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/reminders/overdue/", "/reminders/overdue/?soon=1", "/reminders/mine/"])
def test_list_queries_do_not_grow_with_rows(db, client_as, staff_user, office, unit, url):
    client = client_as(staff_user)
    _make_items(3, office, unit)
    _count(client, url, dt.date(2026, 12, 1))  # warm the period and calendar caches
    few = _count(client, url, dt.date(2026, 12, 1))
    _make_items(27, office, unit)
    many = _count(client, url, dt.date(2026, 12, 1))
    assert few == many


def test_meeting_panel_queries_do_not_grow_with_agenda(db, client_as, staff_user, office, unit):
    client = client_as(staff_user)
    meeting = f.MeetingFactory(start_date=SESSION, lead_office=office)
    for _ in range(3):
        f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit)
    run_on(dt.date(2026, 11, 20))
    _count(client, f"/meetings/{meeting.pk}/", dt.date(2026, 11, 21))  # warm the caches
    few = _count(client, f"/meetings/{meeting.pk}/", dt.date(2026, 11, 21))
    for _ in range(27):
        f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit)
    run_on(dt.date(2026, 11, 20))
    many = _count(client, f"/meetings/{meeting.pk}/", dt.date(2026, 11, 21))
    assert few == many


def test_scan_queries_grow_per_message_not_per_scanned_record(db, office, unit, staff_user, unit_clerk):
    # Planning reads records in batches with prefetched recipients: a fixed number of queries
    _make_items(3, office, unit)
    reminder_engine.plan(dt.date(2026, 11, 20))  # warm the caches
    with CaptureQueriesContext(connection) as few:
        reminder_engine.plan(dt.date(2026, 11, 20))
    _make_items(27, office, unit)
    with CaptureQueriesContext(connection) as many:
        reminder_engine.plan(dt.date(2026, 11, 20))
    assert len(few.captured_queries) == len(many.captured_queries)


def test_navigation_points_leaders_to_the_overdue_list(db, director, unit_clerk):
    from congress.navigation import nav_items

    leader = {i["label"] for i in nav_items(director)}
    clerk = {i["label"] for i in nav_items(unit_clerk)}
    assert "逾期清单" in leader and "期限提醒" not in leader
    assert "期限提醒" in clerk and "逾期清单" not in clerk


def test_received_list_shows_each_message_once_and_hides_superseded_steps(item, client_as, staff_user):
    # Given a first scan that finds the agenda item's proposal step superseded by a later
    # step and folds several deadlines into ONE summary message for the office's staff
    item.proposal_received_on = None
    item.save()
    with at(dt.date(2026, 11, 20)):
        run_on(dt.date(2026, 11, 20))
    rows = list(staff_user.reminder_dispatches.values_list("status", "notification_id"))
    assert any(status == "superseded" for status, _n in rows)
    summary_ids = {n for status, n in rows if status == "summary"}
    assert len(summary_ids) == 1
    # When the person opens "my deadlines"
    with at(dt.date(2026, 11, 20)):
        html = client_as(staff_user).get("/reminders/mine/").content.decode()
    received = html.split('id="received"', 1)[1].split("</ul>", 1)[0]
    # Then the summary is listed once and no raw rule/step code of a superseded step shows
    assert received.count("<li") == 1
    assert "meeting.agenda_proposal" not in received
