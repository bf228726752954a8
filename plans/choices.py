"""Kinds, types and statuses of annual plans and their items (domain §4), with the
allowed status transitions next to them."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    WORK_POINTS = "work_points", _("年度工作要点")
    SUPERVISION = "supervision", _("年度监督工作计划")
    LEGISLATION = "legislation", _("年度立法计划")
    DEPUTIES = "deputies", _("代表工作计划")


class ItemType(models.TextChoices):
    LEGISLATION = "legislation", _("立法")
    SUPERVISION_REPORT = "supervision_report", _("监督：听取审议专项工作报告")
    SUPERVISION_INSPECTION = "supervision_inspection", _("监督：执法检查")
    SUPERVISION_INQUIRY = "supervision_inquiry", _("监督：专题询问")
    SUPERVISION_RESEARCH = "supervision_research", _("监督：视察调研")
    SUPERVISION_APPRAISAL = "supervision_appraisal", _("监督：工作评议")
    SUPERVISION_BUDGET = "supervision_budget", _("监督：预算决算审查")
    SUPERVISION_AUDIT = "supervision_audit", _("监督：审计整改")
    SUPERVISION_FILING = "supervision_filing", _("监督：备案审查")
    SUPERVISION_LIVELIHOOD = "supervision_livelihood", _("监督：民生实事")
    SUPERVISION_OTHER = "supervision_other", _("监督：其他")
    DEPUTIES = "deputies", _("代表工作")
    DECISIONS = "decisions", _("决定任免")
    SELF_BUILDING = "self_building", _("自身建设")
    OTHER = "other", _("其他")


SUPERVISION_TYPES = {t for t in ItemType.values if t.startswith("supervision_")}


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月份")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("全年")


def month_label(month: int) -> str:
    return gettext("%d月") % month


# One whole phrase per quarter, so each language writes its own ("第一季度", "Q1"), never a
# Chinese numeral inside a translated pattern.
QUARTER_LABELS = (_("第一季度"), _("第二季度"), _("第三季度"), _("第四季度"))


def quarter_label(quarter: int) -> str:
    return str(QUARTER_LABELS[quarter - 1])


def month_choices() -> list[tuple]:
    return [("", "—")] + [(m, month_label(m)) for m in range(1, 13)]


def quarter_choices() -> list[tuple]:
    return [("", "—")] + [(q, quarter_label(q)) for q in range(1, 5)]


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    DELAYED = "delayed", _("延期")
    CANCELLED = "cancelled", _("已取消")
    ADJUSTED = "adjusted", _("已调整")


# Statuses that end an item's year: it no longer counts as due or overdue.
CLOSED_STATUSES = {ItemStatus.DONE, ItemStatus.CANCELLED, ItemStatus.ADJUSTED}

# Statuses that must carry a reason: the 主任会议 adjusts or cancels plan items, and a
# delay is explained to the leaders reading the quarter-end list.
REASON_REQUIRED = {ItemStatus.DELAYED, ItemStatus.CANCELLED, ItemStatus.ADJUSTED}

# Allowed status changes. A closed item can be reopened (back to in progress) with a
# reason, because the 主任会议 may revise a decision; everything else is forward only.
TRANSITIONS: dict[str, set[str]] = {
    ItemStatus.NOT_STARTED: {ItemStatus.IN_PROGRESS, ItemStatus.DONE, ItemStatus.DELAYED, ItemStatus.CANCELLED, ItemStatus.ADJUSTED},
    ItemStatus.IN_PROGRESS: {ItemStatus.DONE, ItemStatus.DELAYED, ItemStatus.CANCELLED, ItemStatus.ADJUSTED},
    ItemStatus.DELAYED: {ItemStatus.IN_PROGRESS, ItemStatus.DONE, ItemStatus.CANCELLED, ItemStatus.ADJUSTED},
    ItemStatus.DONE: {ItemStatus.IN_PROGRESS},
    ItemStatus.CANCELLED: {ItemStatus.IN_PROGRESS},
    ItemStatus.ADJUSTED: {ItemStatus.IN_PROGRESS, ItemStatus.DONE},
}


def can_transition(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, set())
