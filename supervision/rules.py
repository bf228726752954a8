"""Pure rules of supervision work: deadlines from the step table, the satisfaction-vote
rule and the interpellation counts. No database writes here; services call them."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from congress import workdays
from congress.periods import period

from .choices import Anchor, DeadlineRule, VoteResult


def setting(key: str) -> int:
    """A configurable period or count (congress/periods.py)."""
    return period(key)


def apply_rule(rule: DeadlineRule, anchors: dict[str, dt.date | None]) -> dt.date | None:
    """The deadline a rule gives for the item's stored dates (None while its anchor is unknown)."""
    start = anchors.get(rule.anchor)
    if start is None:
        return None
    amount = period(rule.period_key) if rule.period_key else (rule.fixed or 0)
    if rule.before:
        # Preparation deadlines before a meeting are plain calendar days (T-20, T-10, T-7).
        return start - dt.timedelta(days=amount)
    if rule.unit == "working_days":
        return workdays.add_working_days(start, amount)
    if rule.unit == "months":
        return workdays.deadline_after_months(start, amount)
    if amount == 0:
        return start
    return workdays.deadline_after_days(start, amount)


def anchors_for(item, opinions_issued: dt.date | None = None) -> dict[str, dt.date | None]:
    return {
        Anchor.HEARING: item.hearing_date,
        Anchor.FIELDWORK_START: item.start_date,
        Anchor.FIELDWORK_END: item.end_date,
        Anchor.OPINIONS_ISSUED: opinions_issued,
        Anchor.AUDIT_REPORT: item.audit_report_date,
        Anchor.YEAR_MIDDLE: dt.date(item.year, 6, 30),
        Anchor.YEAR_END: dt.date(item.year, 12, 31),
    }


@dataclass(frozen=True)
class VoteOutcome:
    result: str
    explanation: str


def satisfaction_result(*, members_total: int, satisfied: int, basically_satisfied: int) -> VoteOutcome:
    """Domain §3: 满意 when 满意 votes are more than half of ALL members; 基本满意 when they
    are not, but 满意 + 基本满意 are; otherwise 不满意. Exactly half is not "more than half"."""
    if members_total <= 0:
        raise ValueError("members_total must be positive")
    half = members_total / 2
    if satisfied * 2 > members_total:
        return VoteOutcome(
            VoteResult.SATISFIED,
            _("满意%(s)d票，超过组成人员%(n)d人的半数（%(h)s），结果为满意。")
            % {"s": satisfied, "n": members_total, "h": _half(half)},
        )
    both = satisfied + basically_satisfied
    if both * 2 > members_total:
        return VoteOutcome(
            VoteResult.BASICALLY_SATISFIED,
            _("满意%(s)d票未超过半数（%(h)s），满意与基本满意合计%(b)d票超过半数，结果为基本满意。")
            % {"s": satisfied, "b": both, "h": _half(half)},
        )
    return VoteOutcome(
        VoteResult.DISSATISFIED,
        _("满意与基本满意合计%(b)d票未超过组成人员%(n)d人的半数（%(h)s），结果为不满意，须整改后再次报告。")
        % {"b": both, "n": members_total, "h": _half(half)},
    )


def _half(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def second_answer_required(*, proposer_count: int, dissatisfied: int) -> bool:
    """Supervision Law art. 37: a second answer when more than half of the proposers are dissatisfied."""
    return proposer_count > 0 and dissatisfied * 2 > proposer_count


def rectification_rate(rectified: int, total: int) -> float | None:
    """整改率 = problems rectified (对账销号) ÷ problems found; None when there are none."""
    if not total:
        return None
    return round(rectified * 100 / total, 1)
