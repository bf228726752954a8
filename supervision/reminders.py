"""Deadline rules of supervision work (domain §3, §8), run by congress/reminder_engine.py.

Most rules watch SupervisionStep.due_date: the step tables of choices.py put every
deadline of an item on a step, so one stored date per deadline is what the engine scans.

* opinions not issued: 5 working days after the meeting [local] → the lead office on the
  day, its 分管副主任 the working day after;
* handling report on the opinions (3 months, 2 for budget and audit, or a resolution's
  date): the body at -30 and -7 days; overdue → the lead office, and after
  period("overdue_listing_days") the 主任会议 list (directors);
* audit rectification report, 6 months after the audit report (Supervision Law art. 27):
  budget office, lead office and the audit bureau (target body) at -60 and -30 days;
* inspection plan to the inspected body 10 days before the fieldwork → the lead office;
* finance calendar: final accounts and first-half execution must be heard between June
  and September (Supervision Law art. 17-18) → warned during Q2 while no session is set;
* filing review: proactive review within 3 months of filing, the maker's answer within
  30 days of an opinion;
* follow-up pending: a handling report received but not followed up after a month;
  appraisal rectification by its date; livelihood milestones slipping."""

from django.db.models import Q
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
    vice_chair,
    working_days,
)
from congress.roles import Role

from . import choices as c
from .models import AppraisalTarget, DeliberationOpinion, FiledDocument, ProjectMilestone, SupervisionStep

UNIT_ROLES = [Role.UNIT_CLERK, Role.UNIT_HEAD]


@per_scan
def office_users(office_id) -> list:
    if not office_id:
        return []
    return list(User.objects.filter(office_id=office_id, role=Role.STAFF, is_active=True).order_by("id"))


@per_scan
def unit_users(unit_ids) -> list:
    ids = [u for u in unit_ids if u]
    if not ids:
        return []
    return list(User.objects.filter(unit_id__in=ids, role__in=UNIT_ROLES, is_active=True).order_by("id"))


def body_users(item) -> list:
    """Users of the target body and the departments named on the item."""
    return unit_users([item.target_unit_id, *[d.pk for d in item.departments.all()]])


class StepRule(Rule):
    """A rule over the steps of one code (or code prefix) of open items."""

    model = SupervisionStep
    date_field = "due_date"
    codes: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    kinds: frozenset | None = None

    def get_queryset(self):
        return SupervisionStep.objects.select_related(
            "item", "item__lead_office", "item__lead_office__vice_chair", "item__target_unit"
        ).prefetch_related("item__departments")

    def pending(self, queryset):
        code_q = Q(code__in=self.codes)
        for prefix in self.prefixes:
            code_q |= Q(code__startswith=prefix)
        qs = queryset.filter(code_q, done_on__isnull=True, skipped=False, item__status__in=c.OPEN_STATUSES)
        if self.kinds is not None:
            qs = qs.filter(item__kind__in=list(self.kinds))
        return qs

    def item_label(self, step):
        return step.item.title

    def url(self, step):
        return step.item.get_absolute_url()

    def office_and_unit(self, step):
        return step.item.lead_office, step.item.target_unit

    def for_user(self, user, queryset):
        if user.office_id:
            return queryset.filter(item__lead_office_id=user.office_id)
        if user.unit_id:
            return queryset.filter(Q(item__target_unit_id=user.unit_id) | Q(item__departments=user.unit_id)).distinct()
        if user.is_leader:
            return queryset.filter(item__lead_office__vice_chair=user)
        return queryset.none()


@register
class OpinionsNotIssuedRule(StepRule):
    code = "supervision.opinions_not_issued"
    label = _("审议意见交办")
    codes = ("issue_opinions",)
    steps = [
        Step("due", _("今日为审议意见交办期限（会后5个工作日）"), 0),
        Step("overdue", _("审议意见逾期未交办"), working_days(1), escalation=Escalation.VICE_CHAIR),
    ]

    def recipients(self, step, rule_step):
        item = step.item
        people = office_users(item.lead_office_id)
        if rule_step.escalation >= Escalation.VICE_CHAIR:
            people += vice_chair(item.lead_office)
        return people


@register
class HandlingReportRule(StepRule):
    code = "supervision.handling_report"
    label = _("审议意见研究处理情况报告")
    codes = ("handling_report",)
    prefixes = ("re_report_",)
    steps = [
        Step("month", _("30天后到期，请按时报送研究处理情况"), -30),
        Step("week", _("7天后到期，请按时报送研究处理情况"), -7),
        Step("overdue", _("研究处理情况报告已逾期"), 1, escalation=Escalation.OFFICE),
        Step("listing", _("逾期未报，列入主任会议督办"), after("overdue_listing_days"), escalation=Escalation.DIRECTORS),
    ]

    def recipients(self, step, rule_step):
        item = step.item
        if rule_step.escalation >= Escalation.DIRECTORS:
            return directors() + office_users(item.lead_office_id)
        if rule_step.escalation >= Escalation.OFFICE:
            return office_users(item.lead_office_id) + body_users(item)
        return body_users(item)


@register
class AuditRectificationRule(StepRule):
    code = "supervision.audit_rectification"
    label = _("审计查出问题整改情况报告")
    codes = ("rectification_report",)
    kinds = frozenset({c.SupervisionType.AUDIT_RECTIFICATION})
    steps = [
        Step("sixty", _("60天后到期：审计查出问题整改情况报告"), -60),
        Step("thirty", _("30天后到期：审计查出问题整改情况报告"), -30),
    ]

    def recipients(self, step, rule_step):
        item = step.item
        budget = Office.objects.filter(is_budget_office=True).values_list("pk", flat=True)
        people = office_users(item.lead_office_id)
        for office_id in budget:
            people += office_users(office_id)
        return people + body_users(item)


@register
class InspectionPlanRule(StepRule):
    code = "supervision.inspection_plan"
    label = _("执法检查方案送被检查单位")
    codes = ("plan_sent",)
    steps = [
        Step("ahead", _("3个工作日后应将检查方案送被检查单位"), working_days(-3)),
        Step("due", _("今日应将检查方案送被检查单位（检查前10日）"), 0),
    ]

    def recipients(self, step, rule_step):
        return office_users(step.item.lead_office_id)


@register
class FinanceCalendarRule(StepRule):
    """Warned during Q2 (the step's date is 30 June) while no session is set."""

    code = "supervision.finance_calendar"
    label = _("决算和上半年执行情况审议安排")
    codes = ("schedule",)
    kinds = frozenset({c.SupervisionType.BUDGET_REVIEW})
    steps = [
        Step("q2_start", _("须在6至9月的常委会会议上审议，尚未安排会议"), days(-60)),
        Step("q2_mid", _("须在6至9月的常委会会议上审议，尚未安排会议"), days(-30)),
        Step("q2_end", _("二季度末仍未安排审议会议"), 0, escalation=Escalation.VICE_CHAIR),
    ]

    def pending(self, queryset):
        # The step is done only once a June-September session is linked (services
        # ._sync_schedule_step), so an open step means "not scheduled in the window".
        return super().pending(queryset).filter(item__finance_kind__in=list(c.SUMMER_FINANCE_KINDS))

    def recipients(self, step, rule_step):
        item = step.item
        people = office_users(item.lead_office_id)
        if rule_step.escalation >= Escalation.VICE_CHAIR:
            people += vice_chair(item.lead_office)
        return people


class FilingRule(Rule):
    model = FiledDocument

    def get_queryset(self):
        return FiledDocument.objects.select_related("item", "item__lead_office", "maker")

    def item_label(self, doc):
        return doc.title

    def url(self, doc):
        return doc.item.get_absolute_url()

    def office_and_unit(self, doc):
        return doc.item.lead_office, doc.maker


@register
class FilingReviewRule(FilingRule):
    code = "supervision.filing_review"
    label = _("规范性文件主动审查")
    date_field = "review_due"
    steps = [
        Step("ahead", _("10天后审查期满"), -10),
        Step("overdue", _("审查已超期"), 1, escalation=Escalation.OFFICE),
    ]

    def pending(self, queryset):
        return queryset.filter(status__in=[c.FilingStatus.FILED, c.FilingStatus.REVIEWING])

    def recipients(self, doc, rule_step):
        return office_users(doc.item.lead_office_id)


@register
class FilingAnswerRule(FilingRule):
    code = "supervision.filing_answer"
    label = _("制定机关书面答复审查意见")
    date_field = "answer_due"
    steps = [
        Step("ahead", _("7天后答复期满"), -7),
        Step("overdue", _("答复已逾期"), 1, escalation=Escalation.OFFICE),
    ]

    def pending(self, queryset):
        return queryset.filter(status=c.FilingStatus.OPINION_SENT, answered_on__isnull=True)

    def recipients(self, doc, rule_step):
        people = unit_users([doc.maker_id])
        if rule_step.escalation >= Escalation.OFFICE:
            people += office_users(doc.item.lead_office_id)
        return people


@register
class FollowUpPendingRule(Rule):
    """A handling report received a month ago and not yet followed up (跟踪监督)."""

    code = "supervision.follow_up"
    label = _("跟踪监督")
    model = DeliberationOpinion
    date_field = "report_submitted_on"
    steps = [Step("month", _("研究处理情况报告已收到一个月，请开展跟踪监督或办结"), 30)]

    def get_queryset(self):
        return DeliberationOpinion.objects.select_related("item", "item__lead_office")

    def pending(self, queryset):
        return queryset.filter(status=c.OpinionStatus.REPORTED, item__status__in=c.OPEN_STATUSES)

    def recipients(self, opinion, rule_step):
        return office_users(opinion.item.lead_office_id)

    def item_label(self, opinion):
        return opinion.item.title

    def url(self, opinion):
        return opinion.item.get_absolute_url()

    def office_and_unit(self, opinion):
        return opinion.item.lead_office, opinion.item.target_unit


@register
class AppraisalRectificationRule(Rule):
    code = "supervision.appraisal_rectification"
    label = _("评议整改情况报告")
    model = AppraisalTarget
    date_field = "rectification_due"
    steps = [
        Step("month", _("30天后到期"), -30),
        Step("week", _("7天后到期"), -7),
        Step("overdue", _("整改情况报告已逾期"), 1, escalation=Escalation.OFFICE),
    ]

    def get_queryset(self):
        return AppraisalTarget.objects.select_related("item", "item__lead_office", "unit")

    def pending(self, queryset):
        return queryset.filter(rectified_on__isnull=True, item__status__in=c.OPEN_STATUSES)

    def recipients(self, target, rule_step):
        people = unit_users([target.unit_id])
        if rule_step.escalation >= Escalation.OFFICE:
            people += office_users(target.item.lead_office_id)
        return people

    def item_label(self, target):
        return f"{target.item.title}：{target.person_name}"

    def url(self, target):
        return target.item.get_absolute_url()

    def office_and_unit(self, target):
        return target.item.lead_office, target.unit


@register
class MilestoneRule(Rule):
    """Livelihood projects: a milestone due soon, then slipping (a progress-reminder letter follows)."""

    code = "supervision.livelihood_milestone"
    label = _("民生实事项目节点")
    model = ProjectMilestone
    date_field = "due_date"
    steps = [
        Step("week", _("7天后到期"), -7),
        Step("slipped", _("节点已滞后，请加快推进"), 1, escalation=Escalation.OFFICE),
    ]

    def get_queryset(self):
        return ProjectMilestone.objects.select_related("project", "project__department", "item", "item__lead_office")

    def pending(self, queryset):
        return queryset.filter(done_on__isnull=True, project__status=c.ProjectStatus.ELECTED)

    def recipients(self, milestone, rule_step):
        people = unit_users([milestone.project.department_id])
        if rule_step.escalation >= Escalation.OFFICE:
            people += office_users(milestone.item.lead_office_id)
        return people

    def item_label(self, milestone):
        return f"{milestone.project.name}：{milestone.title}"

    def url(self, milestone):
        return milestone.item.get_absolute_url()

    def office_and_unit(self, milestone):
        return milestone.item.lead_office, milestone.project.department
