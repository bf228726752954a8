"""Meeting-preparation rules (congress/reminders.py): T-30 agenda proposal, T-20 draft
report, T-10 final report, T-7 notice to members; who is told and who is not."""

import datetime as dt

import pytest

from congress import reminder_engine
from congress.models import Meeting, Notification, ReminderDispatch
from congress.roles import Role
from tests import factories as f
from tests.congress.test_reminder_engine import run_on, sent_days

# A session on Thursday 17 December 2026: T-30 = Tue 17 Nov, T-20 = Fri 27 Nov,
# T-10 = Mon 7 Dec, T-7 = Thu 10 Dec.
SESSION = dt.date(2026, 12, 17)


@pytest.fixture
def item(db, office, unit, staff_user, unit_clerk, unit_head, vice_director):
    meeting = f.MeetingFactory(start_date=SESSION, lead_office=office)
    return f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit, title="关于全市义务教育优质均衡发展情况的报告")


def titles(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("title", flat=True))


def test_all_four_rules_are_registered():
    codes = {r.code for r in reminder_engine.rules()}
    assert {"meeting.agenda_proposal", "meeting.draft_report", "meeting.final_report", "meeting.member_notice"} <= codes


def test_agenda_proposal_due_at_t_minus_30(item, staff_user, unit_clerk, unit_head):
    # When the engine runs on T-30
    run_on(dt.date(2026, 11, 17))
    # Then the reporting unit's clerk and head and the lead office's staff are told the proposal is due today
    for user in (staff_user, unit_clerk, unit_head):
        assert sent_days(user, "meeting.agenda_proposal") == {"due": [dt.date(2026, 11, 17)]}
        assert titles(user) == [f"【议题建议提交】{item.meeting}：{item.title}"]
    body = Notification.objects.filter(recipient=unit_clerk).get().body
    assert "2026-11-17" in body and "今日到期" in body


def test_draft_report_at_t_minus_20_then_escalates_to_vice_chair(item, unit_clerk, vice_director):
    item.proposal_received_on = dt.date(2026, 11, 10)
    item.save()
    run_on(dt.date(2026, 11, 27))  # T-20
    assert sent_days(unit_clerk) == {"due": [dt.date(2026, 11, 27)]}
    assert sent_days(vice_director) == {}
    # When the report is still missing two working days later (Mon 30 Nov, Tue 1 Dec)
    run_on(dt.date(2026, 11, 30))
    run_on(dt.date(2026, 12, 1))
    # Then the lead office's vice chair (分管副主任) is told, as a warning
    assert sent_days(vice_director) == {"escalate": [dt.date(2026, 12, 1)]}
    note = Notification.objects.get(recipient=vice_director)
    assert note.level == Notification.Level.WARNING
    assert note.url == f"/meetings/{item.meeting_id}/"
    # And the unit got the overdue reminder the working day after the deadline
    assert sent_days(unit_clerk)["overdue"] == [dt.date(2026, 11, 30)]


def test_final_report_at_t_minus_10(item, unit_head):
    item.proposal_received_on = item.draft_report_received_on = dt.date(2026, 11, 20)
    item.save()
    run_on(dt.date(2026, 12, 7))
    assert sent_days(unit_head, "meeting.final_report") == {"due": [dt.date(2026, 12, 7)]}


def test_member_notice_at_t_minus_7_goes_to_the_office_not_the_unit(item, staff_user, unit_clerk, vice_director):
    received = dt.date(2026, 11, 20)
    item.proposal_received_on = item.draft_report_received_on = item.final_report_received_on = received
    item.save()
    run_on(dt.date(2026, 12, 8))  # two working days before T-7
    run_on(dt.date(2026, 12, 10))  # T-7
    run_on(dt.date(2026, 12, 11))  # the working day after: escalation
    assert sent_days(staff_user, "meeting.member_notice") == {"ahead": [dt.date(2026, 12, 8)],
                                                              "due": [dt.date(2026, 12, 10)]}
    assert sent_days(vice_director, "meeting.member_notice") == {"escalate": [dt.date(2026, 12, 11)]}
    assert not ReminderDispatch.objects.filter(recipient=unit_clerk).exists()


def test_other_units_and_offices_are_not_told(item, other_unit_clerk, other_staff_user, director, admin_user, office):
    # Given an administrator who sits in the lead office
    admin_user.office = office
    admin_user.save()
    run_on(dt.date(2026, 11, 17))
    # Then only the item's own unit and office staff hear of it
    for user in (other_unit_clerk, other_staff_user, director, admin_user):
        assert titles(user) == []


def test_chairpersons_meetings_are_not_watched(db, office, unit, unit_clerk):
    meeting = f.MeetingFactory(start_date=SESSION, kind=Meeting.Kind.CHAIRPERSONS, lead_office=office)
    f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit)
    run_on(dt.date(2026, 11, 17))
    assert titles(unit_clerk) == []


def test_item_without_office_falls_back_to_the_meeting_lead_office(db, office, staff_user):
    meeting = f.MeetingFactory(start_date=SESSION, lead_office=office)
    f.AgendaItemFactory(meeting=meeting, lead_office=None, reporting_unit=None, kind="appointment")
    run_on(dt.date(2026, 11, 17))
    assert len(titles(staff_user)) == 1


def test_for_user_lists_own_deadlines(item, unit_clerk, other_unit_clerk, staff_user, vice_director, deputy_user):
    rule = reminder_engine.get_rule("meeting.draft_report")
    pending = rule.pending_queryset()
    assert list(rule.for_user(unit_clerk, pending)) == [item]
    assert list(rule.for_user(staff_user, pending)) == [item]
    assert list(rule.for_user(vice_director, pending)) == [item]
    assert list(rule.for_user(other_unit_clerk, pending)) == []
    assert list(rule.for_user(deputy_user, pending)) == []


def test_unit_heads_role_is_told_too(item, unit_head):
    assert unit_head.role == Role.UNIT_HEAD
    run_on(dt.date(2026, 11, 17))
    assert len(titles(unit_head)) == 1


def test_home_pages_list_own_meeting_preparation_deadlines(
    item, client_as, unit_clerk, other_unit_clerk, staff_user, vice_director, deputy_user, admin_user
):
    # Given the draft report due Fri 27 Nov and not yet received; today is Mon 30 Nov
    from tests.congress.test_reminder_engine import at

    item.proposal_received_on = dt.date(2026, 11, 10)
    item.save()
    with at(dt.date(2026, 11, 30)):
        pages = {u: client_as(u).get("/").content.decode() for u in
                 (unit_clerk, other_unit_clerk, staff_user, vice_director, deputy_user, admin_user)}
    # Then the reporting unit, the lead office and its vice chair see it on their home page, in orange
    for user in (unit_clerk, staff_user, vice_director):
        assert "会议准备期限" in pages[user]
        assert "【报告初稿报送】" in pages[user]
        assert "2026-11-27" in pages[user]
    assert 'due-orange">2026-11-27' in pages[unit_clerk]
    # and another unit does not; a deputy and the administrator have no such widget
    assert "【报告初稿报送】" not in pages[other_unit_clerk]
    assert "会议准备期限" not in pages[deputy_user]
    assert "会议准备期限" not in pages[admin_user]
