"""The reminder engine: working-day steps around holidays, exactly-once delivery, catch-up,
frozen time across 00:00 UTC (08:00 Beijing), a killed run, Redis down.

The records are real: agenda items of a planned standing-committee session, watched by
the meeting-preparation rules of congress/reminders.py."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from congress import reminder_engine
from congress.models import AgendaItem, Meeting, Notification, OutboxMessage, ReminderDispatch, ReminderEngineState
from congress.notifications import deliver_pending
from congress.reminder_engine import Step, before, days, working_days
from congress.roles import Role
from tests import factories as f

BEIJING = ZoneInfo("Asia/Shanghai")
DRAFT = "meeting.draft_report"


def at(day: dt.date, hour: int = 9, minute: int = 0):
    """Travel to a Beijing wall-clock time."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BEIJING), tick=False)


def run_on(day: dt.date) -> int:
    with at(day):
        return reminder_engine.run()


def run_daily(start: dt.date, end: dt.date) -> None:
    day = start
    while day <= end:
        run_on(day)
        day += dt.timedelta(days=1)


def sent_days(user, rule=DRAFT) -> dict[str, list[dt.date]]:
    """{step key: [days it went out]} for one person and rule (superseded steps were never sent)."""
    out: dict[str, list[dt.date]] = {}
    rows = ReminderDispatch.objects.filter(recipient=user, rule=rule).exclude(
        status=ReminderDispatch.Status.SUPERSEDED
    )
    for step, day in rows.values_list("step", "sent_on"):
        out.setdefault(step, []).append(day)
    return out


@pytest.fixture
def prep(db, staff_user, unit_clerk, unit_head, vice_director, office, unit):
    """Given a planned session whose agenda item has a lead office (staff, vice chair) and a reporting
    unit; only the draft report is outstanding unless a test says otherwise."""

    def make(start_date, **item):
        meeting = f.MeetingFactory(start_date=start_date, lead_office=office)
        done = dt.date(2026, 1, 1)
        defaults = {"lead_office": office, "reporting_unit": unit, "proposal_received_on": done,
                    "final_report_received_on": done, "notice_sent_on": done}
        defaults.update(item)
        return f.AgendaItemFactory(meeting=meeting, **defaults)

    return make


# --- Offsets and steps -------------------------------------------------------------


def test_step_dates_roll_to_working_days_before_and_after_the_deadline(db):
    # Given a deadline on Saturday 3 October 2026, inside the National Day holiday (1-7 October)
    deadline = dt.date(2026, 10, 3)
    # Then a reminder on or before it moves back to the last working day before the holiday
    assert Step("due", offset=0).send_date(deadline) == dt.date(2026, 9, 30)
    assert Step("week", offset=-7).send_date(deadline) == dt.date(2026, 9, 24)  # 26 Sep is Mid-Autumn
    # And one after it moves forward to the first working day after it
    assert Step("late", offset=1).send_date(deadline) == dt.date(2026, 10, 8)
    assert Step("esc", offset=working_days(1)).send_date(deadline) == dt.date(2026, 10, 8)
    # And Saturday 10 October, a make-up working day (调休上班), counts as a working day
    assert Step("esc", offset=working_days(3)).send_date(deadline) == dt.date(2026, 10, 10)


def test_period_offsets_are_read_at_scan_time(db):
    from congress.models import PeriodSetting
    from congress.periods import clear_cache

    # Given the draft-report period at its default of 20 days
    offset = before("draft_report_days")
    assert offset.apply(dt.date(2026, 12, 17)) == dt.date(2026, 11, 27)
    # When an administrator changes it to 25
    PeriodSetting.objects.filter(key="draft_report_days").update(value=25)
    clear_cache()
    # Then the same rule object uses the new value
    assert offset.apply(dt.date(2026, 12, 17)) == dt.date(2026, 11, 22)


def test_repeating_step_occurrences_have_their_own_keys(db):
    step = Step("overdue", offset=days(1), repeat_every=7)
    occ = step.occurrences(dt.date(2026, 11, 2), dt.date(2026, 11, 20))
    assert occ == [("overdue", dt.date(2026, 11, 3)), ("overdue@20261110", dt.date(2026, 11, 10)),
                   ("overdue@20261117", dt.date(2026, 11, 17))]


# --- Each step on the right working day around holidays ------------------------------


def test_steps_fire_on_working_days_around_national_day_and_its_make_up_day(prep, unit_clerk, vice_director):
    # Given a session on Wednesday 28 October 2026: the draft report is due T-20 = Thursday 8 October
    item = prep(dt.date(2026, 10, 28))
    # When the engine runs every day (including holidays) from mid-September to mid-October
    run_daily(dt.date(2026, 9, 15), dt.date(2026, 10, 16))
    # Then the clerk was told a week ahead on the last working day before the holiday (1 Oct -> 30 Sep),
    # on the deadline, and the working day after it
    assert sent_days(unit_clerk) == {
        "week": [dt.date(2026, 9, 30)],
        "due": [dt.date(2026, 10, 8)],
        "overdue": [dt.date(2026, 10, 9)],
    }
    # And the vice chair was told two working days after it: Saturday 10 October, a make-up working day
    assert sent_days(vice_director) == {"escalate": [dt.date(2026, 10, 10)]}
    # And each message went to the inbox once
    assert Notification.objects.filter(recipient=unit_clerk, object_id=item.pk).count() == 3


def test_due_step_falls_on_spring_festival_make_up_saturday(prep, unit_clerk, vice_director):
    # Given a session on Tuesday 10 March 2026: the draft report is due T-20 = 18 February, in the
    # Spring Festival holiday (15-23 February); Saturday 14 February is a make-up working day
    prep(dt.date(2026, 3, 10))
    run_daily(dt.date(2026, 2, 5), dt.date(2026, 3, 1))
    # Then the "due today" reminder goes out on the make-up Saturday before the holiday, and the
    # overdue and escalation steps on the first working days after it
    assert sent_days(unit_clerk) == {
        "week": [dt.date(2026, 2, 11)],
        "due": [dt.date(2026, 2, 14)],
        "overdue": [dt.date(2026, 2, 24)],
    }
    assert sent_days(vice_director) == {"escalate": [dt.date(2026, 2, 25)]}


def test_nothing_goes_out_once_the_report_is_received(prep, unit_clerk):
    item = prep(dt.date(2026, 10, 28))
    run_daily(dt.date(2026, 9, 28), dt.date(2026, 10, 1))
    assert set(sent_days(unit_clerk)) == {"week"}
    # When the draft report arrives before the deadline
    item.draft_report_received_on = dt.date(2026, 10, 6)
    item.save()
    run_daily(dt.date(2026, 10, 2), dt.date(2026, 10, 20))
    # Then no further step of that rule is sent
    assert set(sent_days(unit_clerk)) == {"week"}


# --- Exactly once ----------------------------------------------------------------------


def test_second_run_sends_nothing(prep, staff_user, unit_clerk, unit_head):
    prep(dt.date(2026, 10, 28))
    day = dt.date(2026, 10, 8)
    first = run_on(day)
    notes = Notification.objects.count()
    outbox = OutboxMessage.objects.count()
    assert first == 3 and notes == 3  # staff, clerk, head: one "due today" message each
    # When the beat task runs again the same day (and the next quarter-hour)
    assert run_on(day) == 0
    with at(day, 9, 15):
        assert reminder_engine.run() == 0
    # Then nothing new was written
    assert Notification.objects.count() == notes
    assert OutboxMessage.objects.count() == outbox


def test_two_scans_planning_at_once_send_once(prep, unit_clerk):
    # Given two beat processes that both planned the same reminders before either sent
    prep(dt.date(2026, 10, 28))
    day = dt.date(2026, 10, 8)
    with at(day):
        first = reminder_engine.plan(day)
        second = reminder_engine.plan(day)
        assert len(first) == len(second) == 3
        # When both deliver
        sent_a = sum(reminder_engine._deliver([c], day, late=False) for c in first)
        sent_b = sum(reminder_engine._deliver([c], day, late=False) for c in second)
    # Then the unique key let only the first through
    assert (sent_a, sent_b) == (3, 0)
    assert Notification.objects.filter(recipient=unit_clerk).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_in_threads_send_once(staff_user, unit_clerk, unit_head, office, unit):
    import threading

    from django.db import connections

    meeting = f.MeetingFactory(start_date=dt.date(2026, 10, 28), lead_office=office)
    for _ in range(5):
        done = dt.date(2026, 1, 1)
        f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit, proposal_received_on=done,
                            final_report_received_on=done, notice_sent_on=done)
    day = dt.date(2026, 10, 8)
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            reminder_engine.run(today=day)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    # 5 items x 3 people = 15 reminders, each given once whichever thread won it
    assert ReminderDispatch.objects.count() == 15
    assert Notification.objects.filter(recipient=unit_clerk).count() == 5


def test_killed_run_resumes_without_duplicates(prep, staff_user, unit_clerk, unit_head):
    # Given three agenda items whose draft reports are all due today
    items = [prep(dt.date(2026, 10, 28)) for _ in range(3)]
    day = dt.date(2026, 10, 8)
    import congress.notifications as notifications

    real_notify = notifications.notify
    calls = {"n": 0}

    def dying_notify(**kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise SystemExit("worker killed")  # mid-batch, inside the 5th message's transaction
        return real_notify(**kwargs)

    # When the worker dies while sending the 5th of 9 messages
    with mock.patch.object(notifications, "notify", side_effect=dying_notify), pytest.raises(SystemExit):
        run_on(day)
    # Then the 4 committed messages are logged, the 5th left no trace, and the run is not marked done
    assert ReminderDispatch.objects.count() == 4
    assert Notification.objects.count() == 4
    assert not ReminderEngineState.objects.filter(last_success_date=day).exists()
    # When the next scan runs
    assert run_on(day) == 5
    # Then every (item, step, person) has exactly one message
    assert ReminderDispatch.objects.count() == 9
    for user in (staff_user, unit_clerk, unit_head):
        assert sorted(Notification.objects.filter(recipient=user).values_list("object_id", flat=True)) == sorted(
            i.pk for i in items
        )


def test_a_person_joining_after_a_step_went_out_gets_the_next_steps_only(prep, staff_user, unit_clerk, unit, vice_director):
    # Given the draft report's step went out to the unit on 8 October
    prep(dt.date(2026, 10, 28))
    day = dt.date(2026, 10, 8)
    assert run_on(day) == 3
    # When a new clerk joins the unit and the scan runs again that day
    newcomer = f.UserFactory(username="unit1_new", role=Role.UNIT_CLERK, unit=unit)
    assert run_on(day) == 0
    # Then the record, dealt with for that step, is not read again: the past step is not repeated to them
    assert not ReminderDispatch.objects.filter(recipient=newcomer).exists()
    # but the record's next steps reach them with the rest of the unit
    run_daily(day + dt.timedelta(days=1), dt.date(2026, 10, 28))
    assert ReminderDispatch.objects.filter(recipient=newcomer).exists()
    assert set(ReminderDispatch.objects.filter(recipient=newcomer).values_list("step", flat=True)) <= set(
        ReminderDispatch.objects.filter(recipient=unit_clerk).values_list("step", flat=True)
    )


def test_redis_down_during_a_run_loses_nothing(prep, unit_clerk, settings, django_capture_on_commit_callbacks):
    # Given the broker is unreachable (the on-commit kick fails) and the clerk wants email
    settings.CELERY_TASK_ALWAYS_EAGER = False
    prep(dt.date(2026, 10, 28))
    from congress import tasks

    with mock.patch.object(tasks.deliver_outbox, "apply_async", side_effect=ConnectionError("redis down")):
        with django_capture_on_commit_callbacks(execute=True):
            sent = reminder_engine.run(today=dt.date(2026, 10, 8))
    # Then the reminders are in the database: inbox rows and pending outbox rows
    assert sent == 3
    assert Notification.objects.filter(recipient=unit_clerk).count() == 1
    pending = OutboxMessage.objects.filter(recipient=unit_clerk, status=OutboxMessage.Status.PENDING)
    assert pending.count() == 1
    # And the outbox sweep delivers them once the worker runs again
    from django.core import mail

    assert deliver_pending() >= 1
    assert any(unit_clerk.email in m.to for m in mail.outbox)
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()


# --- Time zone: 00:00 UTC is 08:00 in Beijing --------------------------------------------


def test_frozen_time_across_midnight_utc(prep, unit_clerk):
    prep(dt.date(2026, 10, 28))  # draft report due Thursday 8 October
    # At 23:30 Beijing on 7 October (15:30 UTC) the "due" step is not yet due
    with time_machine.travel(dt.datetime(2026, 10, 7, 15, 30, tzinfo=dt.UTC), tick=False):
        reminder_engine.run()
    assert "due" not in sent_days(unit_clerk)
    # At 07:30 Beijing on 8 October the UTC date is still the 7th, but the Beijing date decides
    with time_machine.travel(dt.datetime(2026, 10, 7, 23, 30, tzinfo=dt.UTC), tick=False):
        reminder_engine.run()
    assert sent_days(unit_clerk)["due"] == [dt.date(2026, 10, 8)]
    # And a run just after 00:00 UTC (08:00 Beijing) the same day sends it no second time
    with time_machine.travel(dt.datetime(2026, 10, 8, 0, 5, tzinfo=dt.UTC), tick=False):
        assert reminder_engine.run() == 0


# --- Catch-up after missed runs ------------------------------------------------------------


def test_catch_up_after_three_missed_days_sends_one_summary_per_person(prep, staff_user, unit_clerk, vice_director):
    # Given the engine last ran on Monday 9 November and the machine was off until Friday the 13th
    ReminderEngineState.objects.create(last_success_date=dt.date(2026, 11, 9))
    # And draft reports due on the 10th, 11th and 12th (sessions on 30 Nov, 1 and 2 Dec)
    items = [prep(dt.date(2026, 11, 30)), prep(dt.date(2026, 12, 1)), prep(dt.date(2026, 12, 2))]
    # When the engine runs on the 13th
    run_on(dt.date(2026, 11, 13))
    # Then the clerk gets ONE message summarising all that became due (due, overdue and today's steps)
    notes = Notification.objects.filter(recipient=unit_clerk)
    assert notes.count() == 1
    summary = notes.get()
    assert "提醒汇总" in summary.title
    for item in items:
        assert item.title in summary.body
    rows = ReminderDispatch.objects.filter(recipient=unit_clerk).exclude(status=ReminderDispatch.Status.SUPERSEDED)
    assert rows.count() == 3  # the latest step of each item; the earlier ones are logged as superseded
    assert set(rows.values_list("status", flat=True)) == {ReminderDispatch.Status.IN_SUMMARY}
    assert set(rows.values_list("notification", flat=True)) == {summary.pk}
    superseded = ReminderDispatch.objects.filter(recipient=unit_clerk, status=ReminderDispatch.Status.SUPERSEDED)
    assert superseded.exists() and not superseded.filter(notification__isnull=False).exists()
    # And the vice chair, owed escalations for the reports due on the 10th and 11th, also gets one
    assert Notification.objects.filter(recipient=vice_director).count() == 1
    # And a rerun sends nothing
    assert run_on(dt.date(2026, 11, 13)) == 0
    assert ReminderEngineState.objects.get().last_success_date == dt.date(2026, 11, 13)


def test_catch_up_is_bounded(prep, unit_clerk):
    # Given the engine last ran 60 days ago
    ReminderEngineState.objects.create(last_success_date=dt.date(2026, 9, 14))
    # And a report due 40 days ago, and one due yesterday
    old = prep(dt.date(2026, 10, 23))  # draft due 3 Oct
    recent = prep(dt.date(2026, 12, 2))  # draft due 12 Nov
    run_on(dt.date(2026, 11, 13))
    # Then the look-back stops at MAX_LOOKBACK_DAYS: nothing about the old item's one-off steps
    note = Notification.objects.get(recipient=unit_clerk)
    text = note.title + note.body
    assert recent.title in text and old.title not in text


# --- Re-planning -------------------------------------------------------------------------


def test_moved_meeting_replans_future_steps_and_keeps_sent_ones(prep, unit_clerk):
    # Given a session on 17 December: draft due 27 November, "a week ahead" on Friday 20 November
    item = prep(dt.date(2026, 12, 17))
    run_daily(dt.date(2026, 11, 18), dt.date(2026, 11, 21))
    assert sent_days(unit_clerk) == {"week": [dt.date(2026, 11, 20)]}
    # When the session moves two weeks later (draft now due 11 December)
    Meeting.objects.filter(pk=item.meeting_id).update(start_date=dt.date(2026, 12, 31))
    run_daily(dt.date(2026, 11, 22), dt.date(2026, 12, 14))
    # Then the sent step stays sent (not repeated on 4 December) and the later steps follow the new date
    assert sent_days(unit_clerk) == {
        "week": [dt.date(2026, 11, 20)],
        "due": [dt.date(2026, 12, 11)],
        "overdue": [dt.date(2026, 12, 14)],
    }


def test_a_meeting_that_is_held_or_cancelled_stops_reminders(prep, unit_clerk):
    item = prep(dt.date(2026, 12, 17))
    Meeting.objects.filter(pk=item.meeting_id).update(status=Meeting.Status.CANCELLED)
    run_daily(dt.date(2026, 11, 18), dt.date(2026, 12, 1))
    assert sent_days(unit_clerk) == {}


# --- Preferences respected ------------------------------------------------------------------


def test_digest_users_get_inbox_only_and_email_users_get_email(prep, unit_clerk, unit_head):
    unit_head.notify_daily_digest = True
    unit_head.save()
    prep(dt.date(2026, 10, 28))
    run_on(dt.date(2026, 10, 8))
    assert Notification.objects.filter(recipient=unit_head).count() == 1
    assert not OutboxMessage.objects.filter(recipient=unit_head).exists()
    assert OutboxMessage.objects.filter(recipient=unit_clerk, channel="email").count() == 1


def test_inactive_users_are_not_told(prep, unit_clerk):
    unit_clerk.is_active = False
    unit_clerk.save()
    prep(dt.date(2026, 10, 28))
    run_on(dt.date(2026, 10, 8))
    assert not ReminderDispatch.objects.filter(recipient=unit_clerk).exists()


def test_repeating_step_skips_far_past_occurrences_with_the_same_keys(db):
    step = Step("overdue", offset=days(1), repeat_every=7)
    deadline = dt.date(2026, 1, 5)
    full = step.occurrences(deadline, dt.date(2026, 11, 20))
    quick = step.occurrences(deadline, dt.date(2026, 11, 20), since=dt.date(2026, 11, 1))
    assert quick[-1] == full[-1]
    assert set(quick) <= set(full) and len(quick) < 10 < len(full)


# --- A rule written the way apps write theirs: repeats and a weekly summary ------------------


class WeeklyOverdueRule(reminder_engine.Rule):
    """Overdue draft reports: daily to the unit, a weekly summary to the office's staff."""

    code = "test.weekly_overdue"
    label = "测试：报告逾期"
    model = AgendaItem
    date_field = "meeting__start_date"
    deadline = before("draft_report_days")
    steps = [
        Step("daily", "每日逾期提醒", working_days(1), repeat_every=1),
        Step("weekly", "每周逾期汇总", 7, repeat_every=7, escalation=reminder_engine.Escalation.OFFICE, summary=True),
    ]

    def pending(self, queryset):
        return queryset.filter(draft_report_received_on__isnull=True)

    def recipients(self, item, step):
        if step.escalation >= reminder_engine.Escalation.OFFICE:
            return reminder_engine.office_staff(item.lead_office)
        return reminder_engine.unit_users(item.reporting_unit, roles=["unit_clerk"])


@pytest.fixture
def weekly_rule():
    saved = dict(reminder_engine._registry)
    reminder_engine._registry.clear()
    reminder_engine.register(WeeklyOverdueRule)
    yield reminder_engine.get_rule("test.weekly_overdue")
    reminder_engine._registry.clear()
    reminder_engine._registry.update(saved)


def test_daily_repeat_and_weekly_summary(weekly_rule, prep, staff_user, unit_clerk, unit_head):
    # Given two reports due Monday 2 November (sessions on 22 November)
    a, b = prep(dt.date(2026, 11, 22)), prep(dt.date(2026, 11, 22))
    # When the engine runs every day for two weeks
    run_daily(dt.date(2026, 11, 2), dt.date(2026, 11, 16))
    # Then the clerk is told every working day from the 3rd (weekends skipped: their occurrences
    # roll to Monday and only the latest is sent), one message per report per day
    clerk_days = sorted({d for days_ in sent_days(unit_clerk, weekly_rule.code).values() for d in days_})
    assert clerk_days == [dt.date(2026, 11, d) for d in (3, 4, 5, 6, 9, 10, 11, 12, 13, 16)]
    assert Notification.objects.filter(recipient=unit_clerk).count() == 20
    # And the unit head (not a recipient of this rule) hears nothing
    assert not Notification.objects.filter(recipient=unit_head).exists()
    # And the office staff get ONE weekly summary listing both reports, on 9 and 16 November
    notes = list(Notification.objects.filter(recipient=staff_user).order_by("id"))
    assert len(notes) == 2
    assert all(a.title in n.body and b.title in n.body for n in notes)
    assert notes[0].title == "每周逾期汇总：2项"
    assert notes[0].level == Notification.Level.WARNING
    assert sent_days(staff_user, weekly_rule.code) == {
        "weekly": [dt.date(2026, 11, 9)] * 2, "weekly@20261116": [dt.date(2026, 11, 16)] * 2,
    }


def test_rule_without_code_is_refused():
    class NoCode(reminder_engine.Rule):
        pass

    with pytest.raises(ValueError):
        reminder_engine.register(NoCode)


class BrokenRule(WeeklyOverdueRule):
    code = "test.broken"

    def pending(self, queryset):
        raise RuntimeError("bug in an app's rule")


def test_a_broken_rule_does_not_silence_the_others(prep, unit_clerk):
    saved = dict(reminder_engine._registry)
    reminder_engine.register(BrokenRule)
    try:
        prep(dt.date(2026, 10, 28))
        run_on(dt.date(2026, 10, 8))
    finally:
        reminder_engine._registry.clear()
        reminder_engine._registry.update(saved)
    # The meeting rule still sent its reminder, and the run is not marked successful (retry later)
    assert sent_days(unit_clerk) == {"due": [dt.date(2026, 10, 8)]}
    assert not ReminderEngineState.objects.filter(last_success_date=dt.date(2026, 10, 8)).exists()


def test_beat_task_runs_the_scan_for_the_beijing_date(prep, unit_clerk):
    from congress.tasks import scan_reminders

    prep(dt.date(2026, 10, 28))
    with time_machine.travel(dt.datetime(2026, 10, 7, 23, 30, tzinfo=dt.UTC), tick=False):
        assert scan_reminders.apply().get() == 3
    assert sent_days(unit_clerk) == {"due": [dt.date(2026, 10, 8)]}


def test_beat_schedule_is_in_beijing_office_hours(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["scan-reminders"]
    assert entry["task"] == "congress.tasks.scan_reminders"
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    assert 7 in entry["schedule"].hour and 3 not in entry["schedule"].hour
