"""The pure rules: the satisfaction-vote rule on its boundaries, the interpellation counts
and the deadlines the step tables give, including around public holidays."""

import datetime as dt

import pytest

from supervision import choices as c
from supervision import rules
from supervision.choices import VoteResult


@pytest.mark.parametrize(
    "members,satisfied,basic,expected",
    [
        # 满意 needs MORE than half of all members: exactly half is not enough.
        (40, 21, 0, VoteResult.SATISFIED),
        (40, 20, 19, VoteResult.BASICALLY_SATISFIED),
        (40, 20, 0, VoteResult.DISSATISFIED),
        # 满意 + 基本满意 exactly half → 不满意; one more → 基本满意.
        (40, 10, 10, VoteResult.DISSATISFIED),
        (40, 10, 11, VoteResult.BASICALLY_SATISFIED),
        # Odd membership: half of 41 is 20.5, so 21 is more than half and 20 is not.
        (41, 21, 0, VoteResult.SATISFIED),
        (41, 20, 1, VoteResult.BASICALLY_SATISFIED),
        (41, 20, 0, VoteResult.DISSATISFIED),
        # Absent members count against: 30 of 40 present, all 基本满意 except 20 满意.
        (40, 20, 10, VoteResult.BASICALLY_SATISFIED),
        (1, 1, 0, VoteResult.SATISFIED),
        (1, 0, 0, VoteResult.DISSATISFIED),
    ],
)
def test_satisfaction_rule_boundaries(members, satisfied, basic, expected):
    # given the counts, when the rule is applied, then the result follows domain §3
    outcome = rules.satisfaction_result(members_total=members, satisfied=satisfied, basically_satisfied=basic)
    assert outcome.result == expected
    assert str(members) in outcome.explanation or str(satisfied + basic) in outcome.explanation


def test_satisfaction_rule_explains_exact_half():
    outcome = rules.satisfaction_result(members_total=40, satisfied=20, basically_satisfied=0)
    assert "半数（20）" in outcome.explanation
    assert "不满意" in outcome.explanation


def test_satisfaction_rule_refuses_empty_membership():
    with pytest.raises(ValueError):
        rules.satisfaction_result(members_total=0, satisfied=0, basically_satisfied=0)


@pytest.mark.parametrize("proposers,dissatisfied,required", [(5, 3, True), (6, 3, False), (6, 4, True), (5, 2, False)])
def test_second_answer_when_more_than_half_of_proposers_dissatisfied(proposers, dissatisfied, required):
    assert rules.second_answer_required(proposer_count=proposers, dissatisfied=dissatisfied) is required


def test_rectification_rate():
    assert rules.rectification_rate(3, 4) == 75.0
    assert rules.rectification_rate(0, 0) is None


def test_every_type_has_a_step_table_with_unique_codes():
    for kind in c.SupervisionType.values:
        codes = [s.code for s in c.steps_for(kind)]
        assert codes, kind
        assert len(codes) == len(set(codes)), kind
    for kind in c.OPINION_LOOP_TYPES:
        codes = [s.code for s in c.steps_for(kind)]
        assert {"compile_opinions", "approve_opinions", "issue_opinions", "handling_report"} <= set(codes)


class _Item:
    def __init__(self, **kw):
        self.hearing_date = kw.get("hearing_date")
        self.start_date = kw.get("start_date")
        self.end_date = kw.get("end_date")
        self.audit_report_date = kw.get("audit_report_date")
        self.year = kw.get("year", 2025)


@pytest.mark.django_db
def test_preparation_deadlines_count_back_from_the_meeting():
    anchors = rules.anchors_for(_Item(hearing_date=dt.date(2025, 8, 27)))
    assert rules.apply_rule(c.DRAFT_T20, anchors) == dt.date(2025, 8, 7)
    assert rules.apply_rule(c.FINAL_T10, anchors) == dt.date(2025, 8, 17)
    assert rules.apply_rule(c.NOTICE_T7, anchors) == dt.date(2025, 8, 20)


@pytest.mark.django_db
def test_opinions_due_five_working_days_after_meeting_across_national_day():
    # given a meeting on Friday 26 September 2025: Sunday 28 September is a make-up working
    # day and 1-8 October are the National Day holiday
    anchors = rules.anchors_for(_Item(hearing_date=dt.date(2025, 9, 26)))
    # then the fifth working day is Friday 10 October
    assert rules.apply_rule(c.ISSUE_OPINIONS, anchors) == dt.date(2025, 10, 10)


@pytest.mark.django_db
def test_handling_report_due_rolls_past_a_holiday():
    # 3 months after 1 July 2025 is 1 October, a holiday: the period ends on the next working day.
    anchors = rules.anchors_for(_Item(), opinions_issued=dt.date(2025, 7, 1))
    assert rules.apply_rule(c.HANDLING_REPORT, anchors) == dt.date(2025, 10, 9)
    # budget and audit opinions: 2 months
    assert rules.apply_rule(c.HANDLING_REPORT_BUDGET, anchors) == dt.date(2025, 9, 1)


@pytest.mark.django_db
def test_audit_rectification_report_six_months_after_the_audit_report():
    anchors = rules.anchors_for(_Item(audit_report_date=dt.date(2025, 6, 26)))
    assert rules.apply_rule(c.AUDIT_REPORT, anchors) == dt.date(2025, 12, 26)


@pytest.mark.django_db
def test_inspection_plan_sent_ten_days_before_fieldwork():
    anchors = rules.anchors_for(_Item(start_date=dt.date(2025, 5, 12)))
    assert rules.apply_rule(c.PLAN_NOTICE, anchors) == dt.date(2025, 5, 2)


@pytest.mark.django_db
def test_period_setting_changes_the_deadline():
    from congress.models import PeriodSetting
    from congress.periods import clear_cache

    PeriodSetting.objects.update_or_create(
        key="opinion_issue_working_days",
        defaults={"label": "x", "value": 10, "unit": "working_days", "default_value": 5},
    )
    clear_cache()
    anchors = rules.anchors_for(_Item(hearing_date=dt.date(2025, 6, 20)))
    assert rules.apply_rule(c.ISSUE_OPINIONS, anchors) == dt.date(2025, 7, 4)


def test_missing_anchor_gives_no_deadline():
    assert rules.apply_rule(c.DRAFT_T20, rules.anchors_for(_Item())) is None
