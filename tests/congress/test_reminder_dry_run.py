"""`manage.py reminders_dry_run`: what would be sent on a date, to whom, writing nothing;
and the demo: after seeding, the right demo users' inboxes hold the meeting reminders."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from congress.models import Notification, OutboxMessage, ReminderDispatch, ReminderEngineState
from tests import factories as f
from tests.congress.test_reminder_engine import at


@pytest.fixture
def item(db, office, unit, staff_user, unit_clerk, unit_head, vice_director):
    meeting = f.MeetingFactory(start_date=dt.date(2026, 12, 17), lead_office=office)
    return f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit,
                               proposal_received_on=dt.date(2026, 11, 10), draft_report_received_on=dt.date(2026, 11, 20))


def dry_run(*args) -> str:
    out = StringIO()
    call_command("reminders_dry_run", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_recipients_without_writing(item, unit_clerk, staff_user):
    out = dry_run("--date", "2026-12-07")
    assert "2026-12-07 将发送 3 条提醒" in out
    assert "[meeting.final_report / due]" in out
    assert f"（{unit_clerk.username}）" in out and f"（{staff_user.username}）" in out
    assert not ReminderDispatch.objects.exists()
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not ReminderEngineState.objects.exists()


def test_dry_run_filters_by_rule_and_names_rest_days(item):
    assert "将发送 0 条" in dry_run("--date", "2026-12-07", "--rule", "meeting.draft_report")
    assert "（非工作日）" in dry_run("--date", "2026-12-06")


def test_dry_run_with_since_shows_catch_up(item, vice_director):
    item.draft_report_received_on = None
    item.save()
    out = dry_run("--date", "2026-12-01", "--since", "2026-11-26")
    assert "补发" in out
    assert "[meeting.draft_report / escalate]" in out and f"（{vice_director.username}）" in out


def test_dry_run_matches_what_the_run_sends(item):
    out = dry_run("--date", "2026-12-07")
    from congress import reminder_engine

    reminder_engine.run(today=dt.date(2026, 12, 7))
    assert ReminderDispatch.objects.exclude(status="superseded").count() == 3
    assert "将发送 3 条" in out
    # And once sent, the dry run shows nothing left to send
    assert "将发送 0 条" in dry_run("--date", "2026-12-07")


def test_dry_run_rejects_bad_input(db):
    with pytest.raises(CommandError):
        dry_run("--date", "2026-13-01")
    with pytest.raises(CommandError):
        dry_run("--rule", "no.such.rule")
    with pytest.raises(CommandError):
        dry_run("--date", "2026-12-01", "--since", "2026-12-05")


def test_demo_seed_puts_meeting_reminders_in_the_right_inboxes(db):
    # Given the demo is seeded on 21 November 2026 (the next session 26 days ahead)
    with at(dt.date(2026, 11, 21), 10):
        call_command("seed_demo", "--quiet")

    def messages_about(username, *words):
        """Inbox messages of a demo user mentioning every word (other apps' rules may fold
        the meeting reminder into a summary with their own items)."""
        notes = Notification.objects.filter(recipient__username=username).values_list("title", "body")
        return [t + b for t, b in notes if all(w in t + b for w in words)]

    # Then the education report's people are told the draft report is due in six days
    for username in ("staff2", "unit1_clerk", "unit1_head"):
        assert len(messages_about(username, "报告初稿报送", "义务教育")) == 1, username
        assert not messages_about(username, "议题建议提交", "义务教育"), username  # proposal received
    # And the housing report's people, whose agenda proposal is late too, get both in ONE message
    for username in ("staff", "unit2_clerk", "unit2_head"):
        both = messages_about(username, "议题建议提交", "报告初稿报送", "保障性住房")
        assert len(both) == 1 and "提醒汇总" in both[0], username
    # And people with no part in this session hear nothing of it
    for username in ("deputy1", "deputy2", "unit1_clerk"):
        assert not messages_about(username, "保障性住房"), username
    # And seeding again (idempotent) sends nothing twice
    before = Notification.objects.count()
    with at(dt.date(2026, 11, 21), 11):
        call_command("seed_demo", "--quiet")
    assert Notification.objects.count() == before
