"""Deadline rules of annual plans (domain §4, §8), registered with the reminder engine.

* Monthly progress: the lead office reports each open item's progress by the 5th of
  the month (period "plan_progress_day"); reminded before and on the day, then the
  item's 分管领导 when it is still missing a week later.
* A session for items planned in month M: when nothing links the item to a meeting by
  the start of month M-1, its 分管领导 is told, so the item can be put on an agenda.
* Items due: the lead office seven days ahead and weekly while overdue; the 分管领导
  after five working days overdue.
* Quarter-end list: on the first day of each quarter the 主任会议 (the directors) gets
  one list of the items still overdue ("逐月查账").

"年初建账、逐月查账、年底交账": the dates each rule counts from are stored on the item
(PlanItem.save keeps them current), so the engine reads them with an indexed query."""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from congress.models import User
from congress.reminder_engine import Escalation, Rule, Step, after, directors, months, register, working_days
from congress.roles import Role
from congress.workdays import today

from .choices import CLOSED_STATUSES, ItemType
from .models import PlanItem

OFFICE_ROLES = [Role.STAFF, Role.ASSIGNING_CLERK]

# Items that are heard or decided at a standing-committee session, so need one linked.
MEETING_TYPES = [
    ItemType.LEGISLATION,
    ItemType.SUPERVISION_REPORT,
    ItemType.SUPERVISION_INSPECTION,
    ItemType.SUPERVISION_INQUIRY,
    ItemType.SUPERVISION_APPRAISAL,
    ItemType.SUPERVISION_BUDGET,
    ItemType.SUPERVISION_AUDIT,
    ItemType.SUPERVISION_FILING,
    ItemType.SUPERVISION_LIVELIHOOD,
    ItemType.DECISIONS,
]


def _members():
    return User.objects.filter(is_active=True, role__in=OFFICE_ROLES).order_by("id")


class PlanItemRule(Rule):
    """Common part: open leaf items of plans (parents roll up from their children)."""

    model = PlanItem

    def get_queryset(self):
        # Recipients come from prefetched lists: a few queries per batch, not per item.
        return PlanItem.objects.select_related(
            "plan", "lead_office", "lead_office__vice_chair", "vice_chair"
        ).prefetch_related(Prefetch("lead_office__members", queryset=_members(), to_attr="active_members"))

    def pending(self, queryset):
        return queryset.exclude(status__in=list(CLOSED_STATUSES)).exclude(
            Exists(PlanItem.objects.filter(parent=OuterRef("pk")))
        )

    def due_date(self, item):
        """Nothing in a plan is due before the plan exists: a deadline that falls before
        the plan's approval (or before its year) counts from that day."""
        due = super().due_date(item)
        if due is None:
            return None
        floor = item.plan.approved_on or dt.date(item.plan.year, 1, 1)
        return max(due, floor)

    def office_staff(self, item) -> list:
        return list(getattr(item.lead_office, "active_members", [])) if item.lead_office_id else []

    def leader(self, item) -> list:
        chair = item.vice_chair or (item.lead_office.vice_chair if item.lead_office_id else None)
        return [chair] if chair is not None else []

    def item_label(self, item):
        return f"{item.number}{item.title}"[:120]

    def office_and_unit(self, item):
        return item.lead_office, None

    def for_user(self, user, queryset):
        if user.office_id and user.role in OFFICE_ROLES:
            return queryset.filter(lead_office_id=user.office_id)
        if user.is_leader:
            return queryset.filter(Q(vice_chair=user) | Q(vice_chair__isnull=True, lead_office__vice_chair=user))
        return queryset.none()


@register
class MonthlyProgressRule(PlanItemRule):
    code = "plans.monthly_progress"
    label = _("计划事项月度进度报送")
    date_field = "progress_base_on"  # the last day of the month already reported
    deadline = after("plan_progress_day")  # by the 5th of the next month (a setting)
    steps = [
        Step("ahead", _("请于本月报送日前报送上月进度"), -3),
        Step("due", _("今日为进度报送截止日"), 0),
        Step("late", _("本月进度逾期未报送"), working_days(1)),
        Step("escalate", _("分管委室本月进度逾期未报送"), working_days(5), escalation=Escalation.VICE_CHAIR),
    ]

    def pending(self, queryset):
        return super().pending(queryset).filter(lead_office__isnull=False)

    def recipients(self, item, step):
        if step.escalation >= Escalation.VICE_CHAIR:
            return self.leader(item)
        return self.office_staff(item)


@register
class MeetingNotLinkedRule(PlanItemRule):
    code = "plans.meeting_not_linked"
    label = _("计划事项尚未安排会议")
    date_field = "planned_start"  # the first day of the planned month M
    deadline = months(-1)  # by the start of month M-1
    steps = [
        Step("notice", _("该事项计划下月提请审议，尚未关联会议或议题"), 0, escalation=Escalation.VICE_CHAIR),
    ]

    def pending(self, queryset):
        no_agenda = ~Exists(PlanItem.agenda_items.through.objects.filter(planitem_id=OuterRef("pk")))
        return super().pending(queryset).filter(item_type__in=MEETING_TYPES, meeting__isnull=True).filter(no_agenda)

    def recipients(self, item, step):
        return self.leader(item)


@register
class ItemDueRule(PlanItemRule):
    code = "plans.item_due"
    label = _("计划事项完成时限")
    date_field = "due_date"
    steps = [
        Step("week", _("七天后到期"), -7),
        Step("overdue", _("已逾期，请抓紧推进或按程序申请调整"), 1, repeat_every=7),
        Step("escalate", _("分管委室的计划事项逾期未完成"), working_days(5), escalation=Escalation.VICE_CHAIR),
    ]

    def pending(self, queryset):
        return super().pending(queryset).filter(lead_office__isnull=False)

    def recipients(self, item, step):
        if step.escalation >= Escalation.VICE_CHAIR:
            return self.leader(item)
        return self.office_staff(item)


@register
class QuarterOverdueListRule(PlanItemRule):
    code = "plans.quarter_overdue_list"
    label = _("季度逾期计划事项清单")
    date_field = "quarter_list_on"  # the first day of the quarter after the item fell due
    # Listed at each quarter start while it stays open, for up to a year.
    steps = [
        Step("q0", _("上季度末逾期未完成"), 0, escalation=Escalation.DIRECTORS, summary=True),
        Step("q1", _("上季度末仍逾期未完成"), months(3), escalation=Escalation.DIRECTORS, summary=True),
        Step("q2", _("上季度末仍逾期未完成"), months(6), escalation=Escalation.DIRECTORS, summary=True),
        Step("q3", _("上季度末仍逾期未完成"), months(9), escalation=Escalation.DIRECTORS, summary=True),
    ]

    def pending(self, queryset):
        # Only what is overdue on the day of the scan: when the quarter's first day is a
        # holiday the step rolls back a working day, and an item due that day is not late yet.
        return super().pending(queryset).filter(due_date__lt=today())

    def recipients(self, item, step):
        return directors()

    def item_label(self, item):
        # The list's own date is the quarter start; the reader needs the item's.
        office = item.lead_office or _("未确定牵头委室")
        return _("%(item)s（%(office)s，完成时限%(due)s）") % {
            "item": super().item_label(item), "office": office, "due": f"{item.due_date:%Y-%m-%d}"
        }

    def message(self, item, step, due, today):
        title = f"【{self.label}】{self.item_label(item)}"
        body = _("%(step)s：完成时限%(due)s，已逾期%(n)d天，进度%(p)d%%。") % {
            "step": step.label, "due": f"{item.due_date:%Y-%m-%d}", "n": (today - item.due_date).days,
            "p": item.progress,
        }
        return title, body

    def for_user(self, user, queryset):
        return queryset if user.is_leader else queryset.none()
