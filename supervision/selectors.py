"""Reads beyond a filter: year counts for the year-end report, what is due at a meeting,
the lists on the home page. Every function takes a queryset already scoped by
`visible_to(user)` (or the user, to scope itself)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from congress.models import AgendaItem
from congress.periods import period
from congress.workdays import today

from . import choices as c
from . import rules
from .models import (
    AppraisalTarget,
    AuditProblem,
    DeliberationOpinion,
    LivelihoodProject,
    SupervisionItem,
    SupervisionStep,
)

# Items heard (or carried out) count once their status shows it.
DONE_STATUSES = [
    c.ItemStatus.HEARD, c.ItemStatus.OPINIONS_ISSUED, c.ItemStatus.REPORTED, c.ItemStatus.FOLLOW_UP, c.ItemStatus.CLOSED,
]
CARRIED_OUT = [c.ItemStatus.IN_PROGRESS, *DONE_STATUSES]


@dataclass
class Figure:
    key: str
    label: str
    value: int | float | None
    definition: str


def _of_year(items: QuerySet, year: int) -> QuerySet:
    return items.filter(year=year)


def reports_heard(items: QuerySet, year: int) -> int:
    """听取和审议“一府一委两院”工作报告x项: reports heard at a standing-committee meeting."""
    return _of_year(items, year).filter(kind__in=c.REPORT_TYPES, status__in=DONE_STATUSES).count()


def three_checks(items: QuerySet, year: int) -> int:
    """“三查(察)” = 视察 + 调研 + 执法检查 carried out in the year (domain §3)."""
    return _of_year(items, year).filter(kind__in=c.THREE_CHECKS_TYPES, status__in=CARRIED_OUT).count()


def inquiries(items: QuerySet, year: int) -> int:
    return _of_year(items, year).filter(kind__in=c.INQUIRY_TYPES, status__in=DONE_STATUSES).count()


def appraisals(items: QuerySet, year: int) -> dict:
    """Appraisals held and persons appraised (e.g. "1 appraisal of 9 judges and prosecutors")."""
    qs = _of_year(items, year).filter(kind__in=c.APPRAISAL_TYPES, status__in=CARRIED_OUT)
    persons = AppraisalTarget.objects.filter(item__in=qs.values("pk")).count()
    return {"appraisals": qs.count(), "persons": persons}


def livelihood_projects(items: QuerySet, year: int) -> int:
    """全年监督民生实事项目x个: projects voted through (and completed) in the year."""
    qs = _of_year(items, year).filter(kind=c.SupervisionType.LIVELIHOOD)
    return LivelihoodProject.objects.filter(
        item__in=qs.values("pk"), status__in=[c.ProjectStatus.ELECTED, c.ProjectStatus.COMPLETED]
    ).count()


def audit_problems(items: QuerySet, year: int) -> dict:
    """Audit problems of the year and the rectification rate (整改率 = 已对账销号 ÷ 问题总数)."""
    qs = _of_year(items, year).filter(kind=c.SupervisionType.AUDIT_RECTIFICATION)
    agg = AuditProblem.objects.filter(item__in=qs.values("pk")).aggregate(
        total=Count("*"),
        rectified=Count("pk", filter=Q(status=c.ProblemStatus.RECTIFIED)),
        deadline=Count("pk", filter=Q(rectification_kind=c.RectificationKind.DEADLINE)),
        ongoing=Count("pk", filter=Q(rectification_kind=c.RectificationKind.ONGOING)),
    )
    agg["rate"] = rules.rectification_rate(agg["rectified"], agg["total"])
    return agg


def year_figures(items: QuerySet, year: int) -> list[Figure]:
    """Every supervision figure of the year-end report, with its definition."""
    ap = appraisals(items, year)
    au = audit_problems(items, year)
    return [
        Figure("reports_heard", str(_("听取和审议工作报告")), reports_heard(items, year),
               str(_("在常委会会议上听取和审议的专项工作报告、执法检查报告、预决算和审计报告、专题询问（已审议）"))),
        Figure("three_checks", str(_("“三查(察)”活动")), three_checks(items, year), str(_("视察 + 调研 + 执法检查（已开展）"))),
        Figure("inquiries", str(_("专题询问")), inquiries(items, year), str(_("专题询问和面对面询问（已开展）"))),
        Figure("appraisals", str(_("工作评议、履职评议")), ap["appraisals"], str(_("已开展的评议"))),
        Figure("persons_appraised", str(_("评议人员")), ap["persons"], str(_("评议对象人数"))),
        Figure("livelihood_projects", str(_("监督民生实事项目")), livelihood_projects(items, year),
               str(_("代表票决通过的项目（含已完成）"))),
        Figure("audit_problems", str(_("审计查出问题")), au["total"], str(_("审计查出问题清单中的问题数"))),
        Figure("rectification_rate", str(_("审计整改率（%）")), au["rate"],
               str(_("整改率 = 已整改（对账销号）问题数 ÷ 问题总数"))),
    ]


def counts_by_kind(items: QuerySet, year: int) -> list[dict]:
    rows = _of_year(items, year).values("kind").annotate(n=Count("*")).order_by("kind")
    labels = dict(c.SupervisionType.choices)
    return [{"kind": r["kind"], "label": str(labels.get(r["kind"], r["kind"])), "count": r["n"]} for r in rows]


# --- what is due at a meeting ---------------------------------------------------------

@dataclass
class MeetingPrep:
    item: SupervisionItem
    draft_due: dt.date
    final_due: dt.date
    notice_due: dt.date
    draft_done: dt.date | None
    final_done: dt.date | None
    notice_done: dt.date | None


def meeting_agenda(items: QuerySet, meeting) -> dict:
    """Everything due at a meeting: the items heard there with their preparation
    deadlines (T-20 draft, T-10 final report, T-7 to members; Supervision Law art. 15),
    and the handling reports on opinions that fall due by then."""
    day = meeting.start_date
    heard = list(
        items.filter(Q(meeting=meeting) | Q(agenda_item__meeting=meeting))
        .distinct()
        .select_related("lead_office", "target_unit", "agenda_item", "meeting")
        .prefetch_related(Prefetch("steps", queryset=SupervisionStep.objects.order_by("order")))
        .order_by("agenda_item__order", "id")
    )
    draft, final, notice = (
        day - dt.timedelta(days=period("draft_report_days")),
        day - dt.timedelta(days=period("final_report_days")),
        day - dt.timedelta(days=period("member_notice_days")),
    )
    prep = []
    for item in heard:
        steps = {s.code: s for s in item.steps.all()}
        agenda = item.agenda_item

        def done(code, field, steps=steps, agenda=agenda):
            step = steps.get(code)
            if step and step.done_on:
                return step.done_on
            return getattr(agenda, field, None) if agenda else None

        prep.append(
            MeetingPrep(item, draft, final, notice, done("draft_report", "draft_report_received_on"),
                        done("final_report", "final_report_received_on"), done("member_notice", "notice_sent_on"))
        )
    reports_due = list(
        DeliberationOpinion.objects.filter(
            item__in=items.values("pk"), status=c.OpinionStatus.ISSUED, report_due__lte=day
        )
        .select_related("item", "item__lead_office", "item__target_unit")
        .order_by("report_due")
    )
    unlinked_agenda = list(
        AgendaItem.objects.filter(meeting=meeting, kind__in=SUPERVISION_AGENDA_KINDS)
        .exclude(pk__in=[i.agenda_item_id for i in heard if i.agenda_item_id])
        .select_related("lead_office", "reporting_unit")
        .order_by("order")
    )
    return {"prep": prep, "reports_due": reports_due, "unlinked_agenda": unlinked_agenda,
            "draft_due": draft, "final_due": final, "notice_due": notice}


SUPERVISION_AGENDA_KINDS = [
    AgendaItem.Kind.SPECIAL_REPORT, AgendaItem.Kind.INSPECTION_REPORT, AgendaItem.Kind.INQUIRY, AgendaItem.Kind.BUDGET,
    AgendaItem.Kind.AUDIT, AgendaItem.Kind.OPINION_REPORT, AgendaItem.Kind.SATISFACTION_VOTE,
]
# The agenda kind a new item of each type is usually heard under.
AGENDA_KIND_TO_TYPE = {
    AgendaItem.Kind.SPECIAL_REPORT: c.SupervisionType.SPECIAL_REPORT,
    AgendaItem.Kind.INSPECTION_REPORT: c.SupervisionType.LAW_INSPECTION,
    AgendaItem.Kind.INQUIRY: c.SupervisionType.SPECIAL_INQUIRY,
    AgendaItem.Kind.BUDGET: c.SupervisionType.BUDGET_REVIEW,
    AgendaItem.Kind.AUDIT: c.SupervisionType.AUDIT_RECTIFICATION,
}


# --- home-page lists ----------------------------------------------------------------------

def opinions_to_issue(items: QuerySet) -> QuerySet:
    """Opinions compiled or approved and not yet issued, earliest deadline first."""
    return (
        DeliberationOpinion.objects.filter(
            item__in=items.values("pk"), status__in=[c.OpinionStatus.COMPILING, c.OpinionStatus.APPROVED]
        )
        .select_related("item")
        .order_by("issue_due", "id")
    )


def opinions_not_issued(items: QuerySet) -> QuerySet:
    """The issue-opinions steps still open for items already heard, earliest deadline first
    (5 working days after the meeting [local])."""
    return (
        SupervisionStep.objects.filter(
            item__in=items.filter(hearing_date__lte=today()).exclude(status=c.ItemStatus.CANCELLED).values("pk"),
            code="issue_opinions", done_on__isnull=True, skipped=False,
        )
        .select_related("item")
        .order_by("due_date", "id")
    )


def reports_due(items: QuerySet) -> QuerySet:
    """Handling reports the bodies owe, earliest first."""
    return (
        DeliberationOpinion.objects.filter(item__in=items.values("pk"), status=c.OpinionStatus.ISSUED)
        .select_related("item", "item__target_unit")
        .order_by("report_due", "id")
    )


def open_steps_due(items: QuerySet, until: dt.date) -> QuerySet:
    return (
        SupervisionStep.objects.filter(
            item__in=items.filter(status__in=c.OPEN_STATUSES).values("pk"),
            done_on__isnull=True, skipped=False, due_date__lte=until,
        )
        .select_related("item")
        .order_by("due_date", "id")
    )


def due_colour(due: dt.date | None, ref: dt.date | None = None) -> str:
    """The product's overdue colours (blue soon, orange overdue, red listed for the 主任会议),
    from the reminder engine so every page agrees."""
    from congress.reminder_engine import overdue_colour

    return overdue_colour(due, ref or today())
