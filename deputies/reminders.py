"""Deadlines of deputies' bills and suggestions (domain §2, §8), as rules of the reminder
engine (congress/reminder_engine.py). Every offset is a period setting where the domain
names one; each rule stops as soon as its record is no longer pending.

| rule | counted from | who |
|---|---|---|
| recess item not assigned | received + 7 working days | assigning clerks at day 5, the office's 分管副主任 at day 7 |
| session items not assigned | session end + 1 month | assigning clerks, weekly summary once late |
| not signed for | assignment + 3 working days | unit clerk, then unit head |
| return window closing | the window's last day | unit clerk two working days ahead |
| reply due | the answering unit's due date | unit at -30/-15/-7/-3 days; overdue daily to the unit head, weekly summary to the assigning office; listed for the 主任会议 after 15 days |
| co-handler opinion due | the co-handler's due date | co-handler at -7 days, then the lead unit |
| deputy rating due | reply + 10 and 15 working days | the lead deputy (then 未反馈, see tasks.py) |
| re-handling reply due | the new due date | as for the reply |
| follow-up commitment | each committed date | unit; quarterly summary to the office |
| key-supervised item | monthly from the mark | answering units report progress |
| bill referred to a committee | the report date | committee staff, then its 分管副主任 |"""

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import Office, User
from congress.reminder_engine import (
    Escalation,
    Rule,
    Step,
    after,
    days,
    directors,
    per_scan,
    register,
    working_days,
)
from congress.roles import Role

from .choices import (
    RESPONDING_ROLES,
    AssignmentRole,
    AssignmentStatus,
    BillStatus,
    FollowUpStatus,
    Period,
    ReplyStatus,
    SuggestionStatus,
)
from .models import Assignment, Bill, FollowUp, Reply, Suggestion

S = SuggestionStatus
WAITING_FOR_ASSIGNMENT = [S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED]
HANDLING = [S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REQUESTED]


def _users(qs):
    return qs.filter(is_active=True).order_by("id")


@per_scan
def assigning_clerks() -> list:
    return list(_users(User.objects.filter(role=Role.ASSIGNING_CLERK)))


@per_scan
def assigning_office():
    return Office.objects.filter(is_assigning_office=True).select_related("vice_chair").first()


def _unit_prefetch(path: str):
    return Prefetch(f"{path}__users", queryset=_users(User.objects.all()), to_attr="active_users")


def _people(unit, roles=None) -> list:
    people = list(getattr(unit, "active_users", None) or [])
    return [u for u in people if roles is None or u.role in roles]


def _suggestion_url(s) -> str:
    return reverse("deputies:suggestion-detail", args=[s.pk])


class SuggestionRuleMixin:
    def item_label(self, record):
        s = record if isinstance(record, Suggestion) else record.suggestion
        return f"{s.number} {s.title}".strip()

    def url(self, record):
        return _suggestion_url(record if isinstance(record, Suggestion) else record.suggestion)


# ------------------------------------------------------------------ assignment by the office
@register
class RecessNotAssignedRule(SuggestionRuleMixin, Rule):
    """Recess suggestions are assigned within 7 working days of receipt [local: 5 to 10]."""

    code = "deputies.recess_not_assigned"
    label = _("闭会期间建议交办")
    model = Suggestion
    date_field = "received_on"
    deadline = after("recess_assign_working_days")
    steps = [
        # Day 5 of 7 with the default periods (recess_assign_warn_working_days).
        Step("warn", _("两个工作日后到期，请尽快交办"), working_days(-2)),
        Step("due", _("今日到期，请交办"), 0, escalation=Escalation.VICE_CHAIR),
        Step("late", _("已逾期未交办"), working_days(1), escalation=Escalation.VICE_CHAIR),
    ]

    def get_queryset(self):
        return Suggestion.objects.select_related("lead_deputy")

    def pending(self, queryset):
        return queryset.filter(period=Period.RECESS, status__in=WAITING_FOR_ASSIGNMENT)

    def recipients(self, s, step):
        people = assigning_clerks()
        if step.escalation >= Escalation.VICE_CHAIR:
            office = assigning_office()
            if office and office.vice_chair and office.vice_chair.is_active:
                people.append(office.vice_chair)
        return people

    def office_and_unit(self, s):
        return assigning_office(), None


@register
class SessionNotAssignedRule(SuggestionRuleMixin, Rule):
    """Session suggestions are assigned at one meeting within a month of the session."""

    code = "deputies.session_not_assigned"
    label = _("会议期间建议交办")
    model = Suggestion
    date_field = "session__end_date"
    deadline = after("session_assign_months")
    steps = [
        Step("week", _("一周后到期，请安排交办会"), -7, summary=True),
        Step("late", _("已逾期未交办"), 1, repeat_every=7, summary=True, escalation=Escalation.OFFICE),
    ]

    def get_queryset(self):
        return Suggestion.objects.select_related("session", "lead_deputy")

    def pending(self, queryset):
        return queryset.filter(period=Period.SESSION, status__in=WAITING_FOR_ASSIGNMENT)

    def recipients(self, s, step):
        return assigning_clerks()

    def office_and_unit(self, s):
        return assigning_office(), None


# ------------------------------------------------------------------ handling units
class AssignmentRule(SuggestionRuleMixin, Rule):
    model = Assignment

    def get_queryset(self):
        return Assignment.objects.select_related("suggestion", "unit").prefetch_related(_unit_prefetch("unit"))

    def office_and_unit(self, a):
        return assigning_office(), a.unit

    def for_user(self, user, queryset):
        if user.is_unit_user and user.unit_id:
            return queryset.filter(unit_id=user.unit_id)
        return queryset.none()


@register
class NotSignedRule(AssignmentRule):
    code = "deputies.not_signed"
    label = _("建议签收")
    date_field = "assigned_on"
    deadline = after("sign_for_working_days")
    steps = [
        Step("due", _("今日应签收"), 0),
        Step("late", _("逾期未签收"), working_days(2), escalation=Escalation.UNIT_HEAD),
    ]

    def pending(self, queryset):
        return queryset.filter(status=AssignmentStatus.ASSIGNED, suggestion__status__in=HANDLING)

    def recipients(self, a, step):
        if step.escalation >= Escalation.UNIT_HEAD:
            return _people(a.unit)
        return _people(a.unit, [Role.UNIT_CLERK])


@register
class ReturnWindowRule(AssignmentRule):
    """After the window the return button is gone: warn while a unit can still ask."""

    code = "deputies.return_window"
    label = _("申请退回期限")
    date_field = "return_deadline"
    steps = [Step("closing", _("两个工作日后不能再申请退回"), working_days(-2))]
    overdue_listing = False

    def pending(self, queryset):
        return queryset.filter(status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED],
                               suggestion__status__in=HANDLING)

    def recipients(self, a, step):
        return _people(a.unit, [Role.UNIT_CLERK])


REPLY_STEPS = [
    Step("d30", _("30天后到期"), -30),
    Step("d15", _("15天后到期"), -15),
    Step("d7", _("7天后到期"), -7),
    Step("d3", _("3天后到期"), -3),
    Step("overdue", _("已逾期，请尽快答复"), 1, repeat_every=1, escalation=Escalation.UNIT_HEAD),
    Step("weekly", _("逾期未答复（每周汇总）"), 1, repeat_every=7, escalation=Escalation.OFFICE, summary=True),
    Step("listing", _("逾期超过15天，列入主任会议通报"), after("overdue_listing_days"), escalation=Escalation.DIRECTORS,
         summary=True),
]


class ReplyDueBase(AssignmentRule):
    date_field = "due_date"
    steps = REPLY_STEPS

    def recipients(self, a, step):
        if step.escalation >= Escalation.DIRECTORS:
            return directors()
        if step.escalation >= Escalation.OFFICE:
            return assigning_clerks()
        if step.escalation >= Escalation.UNIT_HEAD:
            return _people(a.unit, [Role.UNIT_HEAD])
        return _people(a.unit)


@register
class ReplyDueRule(ReplyDueBase):
    """Deputies Law art. 51: reply within 3 months of assignment (6 if complex)."""

    code = "deputies.reply_due"
    label = _("建议答复")

    def pending(self, queryset):
        return queryset.filter(
            role__in=RESPONDING_ROLES,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED, AssignmentStatus.RETURN_REQUESTED],
            suggestion__status__in=HANDLING,
        )


@register
class RehandlingDueRule(ReplyDueBase):
    """The new reply after 不满意 is due within a month [local: 1 to 2]."""

    code = "deputies.rehandling_due"
    label = _("重新办理答复")
    steps = [s for s in REPLY_STEPS if s.code not in ("d30", "d15")]

    def pending(self, queryset):
        return queryset.filter(role__in=RESPONDING_ROLES, status=AssignmentStatus.SIGNED,
                               suggestion__status=S.REHANDLING)


@register
class CoHandlerOpinionRule(AssignmentRule):
    """A co-handler gives its opinion to the lead unit within a month [local: 1 to 2]."""

    code = "deputies.cohandler_opinion"
    label = _("协办意见")
    date_field = "due_date"
    steps = [
        Step("week", _("7天后到期，请向主办单位提出协办意见"), -7),
        Step("late", _("协办意见逾期未提交"), 1, escalation=Escalation.UNIT_HEAD),
    ]

    def get_queryset(self):
        leads = Assignment.objects.filter(role=AssignmentRole.LEAD).exclude(status=AssignmentStatus.RETURNED)
        return super().get_queryset().prefetch_related(
            Prefetch("suggestion__assignments", queryset=leads.prefetch_related(_unit_prefetch("unit")), to_attr="leads")
        )

    def pending(self, queryset):
        return queryset.filter(role=AssignmentRole.CO, status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED],
                               suggestion__status__in=HANDLING)

    def recipients(self, a, step):
        people = _people(a.unit)
        if step.escalation >= Escalation.UNIT_HEAD:
            for lead in getattr(a.suggestion, "leads", []):
                people += _people(lead.unit)
        return people


# ------------------------------------------------------------------ deputies
@register
class EvaluationDueRule(SuggestionRuleMixin, Rule):
    """The deputy rates within 15 working days of the reply [local: 10 to 20]: reminded on
    day 10 and day 15; afterwards the item closes as 未反馈 (tasks.expire_evaluations)."""

    code = "deputies.evaluation_due"
    label = _("代表评价")
    model = Suggestion
    date_field = "replied_on"
    steps = [
        Step("day10", _("请对答复作出评价"), after("evaluation_first_reminder_working_days")),
        Step("day15", _("今日为评价期限最后一天，逾期按未反馈处理"), after("evaluation_working_days"), level="reminder"),
    ]

    def get_queryset(self):
        return Suggestion.objects.select_related("lead_deputy__user")

    def pending(self, queryset):
        unrated = Reply.objects.filter(suggestion_id=OuterRef("pk"), status=ReplyStatus.SENT, is_current=True,
                                       evaluation__isnull=True)
        return queryset.filter(status=S.REPLIED).filter(Exists(unrated))

    def recipients(self, s, step):
        user = s.lead_deputy.user
        return [user] if user is not None and user.is_active else []

    def for_user(self, user, queryset):
        return queryset.filter(lead_deputy__user=user) if user.is_deputy else queryset.none()

    def office_and_unit(self, s):
        return assigning_office(), None


# ------------------------------------------------------------------ follow-up and key supervision
@register
class FollowUpRule(SuggestionRuleMixin, Rule):
    code = "deputies.followup"
    label = _("承诺事项")
    model = FollowUp
    date_field = "due_date"
    steps = [
        Step("week", _("7天后到承诺完成日期"), -7),
        Step("late", _("承诺事项逾期未落实"), 1),
        Step("quarterly", _("未落实的承诺事项（季度汇总）"), 1, repeat_every=91, escalation=Escalation.OFFICE, summary=True),
    ]

    def get_queryset(self):
        return FollowUp.objects.select_related("suggestion", "assignment__unit").prefetch_related(
            _unit_prefetch("assignment__unit"))

    def pending(self, queryset):
        return queryset.filter(status=FollowUpStatus.OPEN)

    def recipients(self, f, step):
        if step.escalation >= Escalation.OFFICE:
            return assigning_clerks()
        return _people(f.assignment.unit)

    def office_and_unit(self, f):
        return assigning_office(), f.assignment.unit

    def for_user(self, user, queryset):
        if user.is_unit_user and user.unit_id:
            return queryset.filter(assignment__unit_id=user.unit_id)
        return queryset.none()


@register
class KeyProgressRule(SuggestionRuleMixin, Rule):
    """Key-supervised items report progress monthly to the supervising office (art. 52)."""

    code = "deputies.key_progress"
    label = _("重点督办建议办理进展")
    model = Suggestion
    date_field = "key_marked_on"
    steps = [Step("monthly", _("请报送本月办理进展"), days(30), repeat_every=30, level="reminder")]

    def get_queryset(self):
        answering = Assignment.objects.filter(role__in=RESPONDING_ROLES).exclude(status=AssignmentStatus.RETURNED)
        return Suggestion.objects.prefetch_related(
            Prefetch("assignments", queryset=answering.prefetch_related(_unit_prefetch("unit")), to_attr="answering")
        )

    def pending(self, queryset):
        return queryset.exclude(key_level="").filter(status__in=[*HANDLING, S.REHANDLING])

    def recipients(self, s, step):
        people = []
        for a in getattr(s, "answering", []):
            people += _people(a.unit)
        return people

    def office_and_unit(self, s):
        return s.key_office or assigning_office(), None


@register
class CommitteeBillReportRule(Rule):
    """A special committee reports on a bill referred to it within 3 months [local]."""

    code = "deputies.bill_report"
    label = _("议案审议结果报告")
    model = Bill
    date_field = "report_due"
    steps = [
        Step("week", _("7天后到期"), -7),
        Step("late", _("议案审议结果报告逾期"), working_days(1), escalation=Escalation.VICE_CHAIR),
    ]

    def get_queryset(self):
        return Bill.objects.select_related("committee__vice_chair")

    def pending(self, queryset):
        return queryset.filter(status=BillStatus.REFERRED)

    def recipients(self, b, step):
        people = list(_users(User.objects.filter(office_id=b.committee_id)))
        if step.escalation >= Escalation.VICE_CHAIR and b.committee and b.committee.vice_chair:
            people.append(b.committee.vice_chair)
        return people

    def item_label(self, b):
        return f"{b.number} {b.title}".strip()

    def url(self, b):
        return reverse("deputies:bill-detail", args=[b.pk])

    def office_and_unit(self, b):
        return b.committee, None

    def for_user(self, user, queryset):
        return queryset.filter(committee_id=user.office_id) if user.office_id else queryset.none()
