"""The plans' deadline rules run through the engine for frozen dates: who gets which
inbox message, and only once."""

import datetime as dt

import pytest
import time_machine

from congress import reminder_engine
from congress.models import Notification
from plans import services
from plans.choices import ItemStatus, ItemType, PeriodKind

from .conftest import add_item

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))


def run_on(day: dt.date, rule: str) -> int:
    with time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=BEIJING), tick=False):
        return reminder_engine.run(today=day, rule_codes=[rule])


def inbox(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("title", flat=True))


@pytest.fixture
def leaf(plan, office, staff_user, vice_director):
    section = add_item(plan, "强化监督")
    return add_item(plan, "听取审议财政预算执行情况报告", parent=section, office=office, vice_chair=vice_director,
                    period_kind=PeriodKind.MONTH, month=6, last_progress_on=dt.date(2026, 5, 20))


def test_rules_are_registered():
    codes = {r.code for r in reminder_engine.rules()}
    assert {"plans.monthly_progress", "plans.meeting_not_linked", "plans.item_due", "plans.quarter_overdue_list"} <= codes


class TestMonthlyProgress:
    RULE = "plans.monthly_progress"

    def test_lead_office_reminded_before_and_on_the_5th_once(self, leaf, staff_user, other_staff_user, vice_director):
        assert leaf.progress_base_on == dt.date(2026, 5, 31)
        assert run_on(dt.date(2026, 6, 1), self.RULE) == 0
        assert run_on(dt.date(2026, 6, 2), self.RULE) == 1  # three days before the 5th
        assert run_on(dt.date(2026, 6, 2), self.RULE) == 0  # never twice
        assert inbox(staff_user) == ["【计划事项月度进度报送】1.听取审议财政预算执行情况报告"]
        assert run_on(dt.date(2026, 6, 5), self.RULE) == 1
        assert inbox(other_staff_user) == [] and inbox(vice_director) == []

    def test_escalates_to_the_vice_chair_when_still_missing(self, leaf, staff_user, vice_director):
        for day in (2, 5, 8):
            run_on(dt.date(2026, 6, day), self.RULE)
        assert len(inbox(staff_user)) == 3
        assert inbox(vice_director) == []
        assert run_on(dt.date(2026, 6, 12), self.RULE) == 1  # five working days after the 5th
        assert inbox(vice_director) == ["【计划事项月度进度报送】1.听取审议财政预算执行情况报告"]

    def test_reporting_stops_the_reminders(self, leaf, staff_user, vice_director):
        run_on(dt.date(2026, 6, 2), self.RULE)
        with time_machine.travel(dt.datetime(2026, 6, 3, 10, tzinfo=BEIJING), tick=False):
            services.item_post_progress(actor=staff_user, item=leaf, percent=40, text="已完成调研", version=leaf.version)
        leaf.refresh_from_db()
        assert leaf.progress_base_on == dt.date(2026, 6, 30)  # next report due by July 5
        for day in (5, 8, 12):
            assert run_on(dt.date(2026, 6, day), self.RULE) == 0
        assert inbox(vice_director) == []

    def test_closed_and_parent_items_are_not_reminded(self, leaf, staff_user, planner):
        services.item_change_status(actor=planner, item=leaf, status=ItemStatus.DONE, outcome="报告已审议",
                                    version=leaf.version)
        assert run_on(dt.date(2026, 6, 5), self.RULE) == 0
        assert inbox(staff_user) == []

    def test_report_day_is_a_setting(self, leaf, staff_user):
        from congress.models import PeriodSetting
        from congress.periods import clear_cache, ensure_period_rows

        ensure_period_rows()
        PeriodSetting.objects.filter(key="plan_progress_day").update(value=10)
        clear_cache()
        assert run_on(dt.date(2026, 6, 2), self.RULE) == 0
        assert run_on(dt.date(2026, 6, 10), self.RULE) == 1  # due on the 10th now


class TestMeetingNotLinked:
    RULE = "plans.meeting_not_linked"

    @pytest.fixture
    def august(self, plan, office, staff_user, vice_director):
        return add_item(plan, "听取审议环境状况报告", office=office, vice_chair=vice_director,
                        period_kind=PeriodKind.MONTH, month=8, item_type=ItemType.SUPERVISION_REPORT)

    def test_vice_chair_told_at_the_start_of_the_month_before(self, august, vice_director, staff_user):
        assert run_on(dt.date(2026, 6, 30), self.RULE) == 0
        assert run_on(dt.date(2026, 7, 1), self.RULE) == 1
        assert run_on(dt.date(2026, 7, 2), self.RULE) == 0
        assert inbox(vice_director) == ["【计划事项尚未安排会议】1.听取审议环境状况报告"]
        assert inbox(staff_user) == []

    def test_linked_agenda_item_or_meeting_stops_it(self, august, planner, vice_director):
        from tests import factories as f

        agenda = f.AgendaItemFactory()
        services.item_update(actor=planner, item=august, version=august.version, agenda_items=[agenda])
        assert run_on(dt.date(2026, 7, 1), self.RULE) == 0
        assert inbox(vice_director) == []

    def test_items_not_heard_at_sessions_are_left_alone(self, plan, office, vice_director):
        add_item(plan, "机关学习培训", office=office, vice_chair=vice_director, period_kind=PeriodKind.MONTH, month=8,
                 item_type=ItemType.SELF_BUILDING)
        assert run_on(dt.date(2026, 7, 1), self.RULE) == 0


class TestItemDue:
    RULE = "plans.item_due"

    def test_week_ahead_overdue_weekly_then_vice_chair(self, leaf, staff_user, vice_director):
        assert leaf.due_date == dt.date(2026, 6, 30)
        assert run_on(dt.date(2026, 6, 22), self.RULE) == 0
        assert run_on(dt.date(2026, 6, 23), self.RULE) == 1  # seven days ahead
        assert run_on(dt.date(2026, 7, 1), self.RULE) == 1  # overdue
        assert run_on(dt.date(2026, 7, 2), self.RULE) == 0
        assert run_on(dt.date(2026, 7, 7), self.RULE) == 1  # five working days overdue: the vice-chair
        assert inbox(vice_director) == ["【计划事项完成时限】1.听取审议财政预算执行情况报告"]
        assert run_on(dt.date(2026, 7, 8), self.RULE) == 1  # weekly while overdue
        assert len(inbox(staff_user)) == 3
        assert Notification.objects.filter(recipient=staff_user, level="overdue").count() == 2

    def test_adjusted_item_is_no_longer_chased(self, leaf, staff_user, director):
        services.item_change_status(actor=director, item=leaf, status=ItemStatus.ADJUSTED,
                                    reason="主任会议决定调整至下半年", version=leaf.version)
        assert run_on(dt.date(2026, 7, 1), self.RULE) == 0


class TestQuarterOverdueList:
    RULE = "plans.quarter_overdue_list"

    def test_directors_get_one_list_at_the_quarter_start(self, plan, office, other_office, director, vice_director,
                                                          staff_user):
        may = add_item(plan, "五月事项", office=office, period_kind=PeriodKind.MONTH, month=5)
        add_item(plan, "二季度事项", office=other_office, period_kind=PeriodKind.QUARTER, quarter=2)
        add_item(plan, "三季度事项", office=office, period_kind=PeriodKind.QUARTER, quarter=3)
        assert may.quarter_list_on == dt.date(2026, 7, 1)
        assert run_on(dt.date(2026, 7, 1), self.RULE) == 2  # one list each for the director and the vice-director
        for leader in (director, vice_director):
            notes = Notification.objects.filter(recipient=leader)
            assert notes.count() == 1
            note = notes.get()
            assert "五月事项" in note.body and "二季度事项" in note.body and "三季度事项" not in note.body
        assert inbox(staff_user) == []
        assert run_on(dt.date(2026, 7, 1), self.RULE) == 0
        # Still open at the next quarter start: listed again.
        assert run_on(dt.date(2026, 10, 9), self.RULE) == 2  # Oct 1-8 is the National Day holiday

    def test_item_due_on_a_holiday_quarter_start_is_not_listed_early(self, plan, office, director):
        # 2026-10-01 is a holiday: the Q4 list rolls back to 30 September, when a
        # September item is only just due; it is listed at the first scan after.
        add_item(plan, "九月事项", office=office, period_kind=PeriodKind.MONTH, month=9)

        def full_run(day):  # full scans, so the engine knows its last run and catches up
            with time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=BEIJING), tick=False):
                reminder_engine.run(today=day)

        full_run(dt.date(2026, 9, 30))
        assert inbox(director) == []
        full_run(dt.date(2026, 10, 9))
        note = Notification.objects.get(recipient=director)
        assert note.title == "【季度逾期计划事项清单】1.九月事项（财经委，完成时限2026-09-30）"
        assert "已逾期9天" in note.body
