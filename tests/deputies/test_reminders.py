"""The deadline rules of deputies' suggestions run by the reminder engine on frozen days:
who gets which inbox message, once, and nothing after the item moved on."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from congress import reminder_engine
from congress.models import Notification, ReminderDispatch
from deputies import services as svc
from deputies.choices import AssignmentRole, AssignmentStatus, ClosingKind, FollowUpStatus, Period
from deputies.choices import SuggestionStatus as S
from deputies.models import FollowUp, Suggestion
from deputies.tasks import expire_evaluations

BJ = ZoneInfo("Asia/Shanghai")


def at(day, hour=9):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=BJ), tick=False)


def run_daily(start, end):
    day = start
    while day <= end:
        with at(day):
            reminder_engine.run()
        day += dt.timedelta(days=1)


def sent(user, rule):
    """{step: [days]} actually sent to a person for a rule."""
    out = {}
    rows = ReminderDispatch.objects.filter(recipient=user, rule=rule).exclude(status=ReminderDispatch.Status.SUPERSEDED)
    for step, day in rows.values_list("step", "sent_on").order_by("sent_on"):
        out.setdefault(step.split("@")[0], []).append(day)
    return out


def test_expiry_task_is_on_the_beat_schedule():
    from congress.celery import app

    entry = app.conf.beat_schedule["deputies-expire-evaluations"]
    assert entry["task"] == "deputies.tasks.expire_evaluations"


def test_rules_are_registered():
    codes = {r.code for r in reminder_engine.rules()}
    assert {"deputies.reply_due", "deputies.not_signed", "deputies.evaluation_due", "deputies.cohandler_opinion",
            "deputies.recess_not_assigned", "deputies.rehandling_due", "deputies.followup",
            "deputies.key_progress", "deputies.return_window", "deputies.session_not_assigned"} <= codes


def test_reply_due_steps_escalation_and_exactly_once(world, users):
    # Given an item assigned on 2 March 2026 and signed for: reply due 2 June 2026
    with at(dt.date(2026, 3, 2)):
        s = world.suggestion(S.IN_PROGRESS)
    a = s.assignments.get()
    assert a.due_date == dt.date(2026, 6, 2)
    # When the engine runs every day until three weeks after the deadline
    run_daily(dt.date(2026, 4, 28), dt.date(2026, 6, 24))
    clerk = sent(users["unit_clerk"], "deputies.reply_due")
    head = sent(users["unit_head"], "deputies.reply_due")
    # Then the unit heard at -30, -15, -7 and -3 days, once each, on working days
    assert {k: len(v) for k, v in clerk.items()} == {"d30": 1, "d15": 1, "d7": 1, "d3": 1}
    assert clerk["d3"] == [dt.date(2026, 5, 29)]  # 30 May is a Saturday: sent the working day before
    # the unit head is told daily once overdue (working days)
    assert head["overdue"][0] == dt.date(2026, 6, 3) and len(head["overdue"]) >= 10
    # the assigning office gets a weekly summary; the directors the 主任会议 list after 15 days
    assert len(sent(users["office"], "deputies.reply_due")["weekly"]) >= 3
    assert sent(users["director"], "deputies.reply_due")["listing"] == [dt.date(2026, 6, 17)]
    # nobody at the other unit heard anything
    assert not ReminderDispatch.objects.filter(recipient=users["other_unit_clerk"]).exists()
    # a second run on the same day sends nothing again
    before = Notification.objects.count()
    with at(dt.date(2026, 6, 24), 15):
        assert reminder_engine.run() == 0
    assert Notification.objects.count() == before


def test_reminders_stop_once_replied(world, users):
    with at(dt.date(2026, 3, 2)):
        s = world.suggestion(S.IN_PROGRESS)
    run_daily(dt.date(2026, 5, 18), dt.date(2026, 5, 19))
    with at(dt.date(2026, 5, 20)):
        world.reply(s)
        svc.suggestion_approve_reply(actor=users["unit_head"], suggestion=Suggestion.objects.get(pk=s.pk))
    run_daily(dt.date(2026, 5, 20), dt.date(2026, 6, 10))
    clerk = sent(users["unit_clerk"], "deputies.reply_due")
    assert "d3" not in clerk and "overdue" not in sent(users["unit_head"], "deputies.reply_due")


def test_not_signed_goes_to_the_clerk_then_the_head(world, users):
    # Assigned on Friday 27 March 2026: three working days → Wednesday 1 April
    with at(dt.date(2026, 3, 27)):
        s = world.suggestion(S.ASSIGNED)
    run_daily(dt.date(2026, 3, 27), dt.date(2026, 4, 8))
    assert sent(users["unit_clerk"], "deputies.not_signed")["due"] == [dt.date(2026, 4, 1)]
    head = sent(users["unit_head"], "deputies.not_signed")
    assert list(head) == ["late"] and head["late"] == [dt.date(2026, 4, 3)]
    assert s.assignments.get().status == AssignmentStatus.ASSIGNED


def test_return_window_closing_warning(world, users):
    with at(dt.date(2026, 9, 28)):
        s = world.suggestion(S.ACCEPTED)
        svc.suggestion_assign(actor=users["office"], suggestion=s, lead_unit=world.unit)
    run_daily(dt.date(2026, 9, 28), dt.date(2026, 10, 14))
    # window ends 13 October; two working days before is Saturday 10 October, a make-up working day
    assert sent(users["unit_clerk"], "deputies.return_window") == {"closing": [dt.date(2026, 10, 10)]}


def test_co_handler_then_lead_unit(world, users):
    with at(dt.date(2026, 3, 2)):
        s = world.suggestion(S.IN_PROGRESS)
        world.assign(s, world.other_unit, role=AssignmentRole.CO, status=AssignmentStatus.SIGNED)
    co = s.assignments.get(role=AssignmentRole.CO)
    run_daily(co.due_date - dt.timedelta(days=10), co.due_date + dt.timedelta(days=5))
    assert list(sent(users["other_unit_clerk"], "deputies.cohandler_opinion")) == ["week", "late"]
    assert list(sent(users["unit_clerk"], "deputies.cohandler_opinion")) == ["late"]


def test_deputy_reminded_on_days_10_and_15_then_no_feedback(world, users):
    # Given a reply sent on 1 June 2026
    with at(dt.date(2026, 6, 1)):
        s = world.suggestion(S.REPLIED)
    # 15 working days: the Dragon Boat Festival (19 June) does not count
    assert s.evaluation_due == dt.date(2026, 6, 23)
    run_daily(dt.date(2026, 6, 1), dt.date(2026, 6, 24))
    got = sent(users["lead"], "deputies.evaluation_due")
    assert got == {"day10": [dt.date(2026, 6, 15)], "day15": [dt.date(2026, 6, 23)]}
    # When the daily task runs after the window, the item closes as 未反馈
    with at(dt.date(2026, 6, 23), 23):
        assert expire_evaluations() == 0
    with at(dt.date(2026, 6, 24), 1):
        assert expire_evaluations() == 1
    s.refresh_from_db()
    assert s.status == S.CLOSED and s.closing == ClosingKind.NO_FEEDBACK


def test_rated_item_gets_no_rating_reminder(world, users):
    with at(dt.date(2026, 6, 1)):
        s = world.suggestion(S.REPLIED)
        svc.suggestion_evaluate(actor=users["lead"], suggestion=s, attitude="satisfied", result="satisfied")
    run_daily(dt.date(2026, 6, 1), dt.date(2026, 6, 24))
    assert sent(users["lead"], "deputies.evaluation_due") == {}


def test_recess_item_not_assigned(world, users, assigning_office, vice_director):
    assigning_office.vice_chair = vice_director
    assigning_office.save()
    # Received Monday 7 September 2026 between sessions
    with at(dt.date(2026, 9, 7)):
        s = world.suggestion(S.UNDER_REVIEW)
    Suggestion.objects.filter(pk=s.pk).update(period=Period.RECESS)
    run_daily(dt.date(2026, 9, 7), dt.date(2026, 9, 18))
    clerk = sent(users["office"], "deputies.recess_not_assigned")
    assert clerk["warn"] == [dt.date(2026, 9, 14)] and clerk["due"] == [dt.date(2026, 9, 16)]
    assert sent(vice_director, "deputies.recess_not_assigned")["due"] == [dt.date(2026, 9, 16)]


def test_follow_up_commitment_and_rehandling(world, users):
    with at(dt.date(2026, 6, 1)):
        s = world.suggestion(S.CLOSED)
        FollowUp.objects.create(suggestion=s, assignment=s.assignments.get(), text="新建学校",
                                due_date=dt.date(2026, 9, 30), year=2026, status=FollowUpStatus.OPEN)
        r = world.suggestion(S.REHANDLING, title="重新办理的建议")
    Suggestion.objects.filter(pk=r.pk).update(due_date=dt.date(2026, 7, 1))
    r.assignments.update(due_date=dt.date(2026, 7, 1))
    run_daily(dt.date(2026, 6, 20), dt.date(2026, 7, 3))
    assert "d7" in sent(users["unit_clerk"], "deputies.rehandling_due")
    run_daily(dt.date(2026, 9, 20), dt.date(2026, 10, 9))
    assert set(sent(users["unit_clerk"], "deputies.followup")) == {"week", "late"}


@pytest.mark.parametrize("rule", ["deputies.reply_due", "deputies.evaluation_due", "deputies.followup"])
def test_users_see_their_deadlines(world, users, rule):
    r = reminder_engine.get_rule(rule)
    assert r.for_user(users["director"], r.get_queryset()).count() == 0
