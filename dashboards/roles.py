"""Role dashboards (issue 7 §4): what each person has to do, as counted tiles with the
overdue colours, next to the widgets the apps contribute to the home page.

- committee staff: my office's items overdue, due this week, waiting on me;
- handling unit: assigned, to sign for, due, overdue, ratings received;
- deputy: my items and the step each has reached;
- assigning office: waiting for review, for assignment, for approval.

Every count starts from visible_to(user) and is one aggregate query per source."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from congress.workdays import today

from .figures import rate, safe_reverse

logger = logging.getLogger(__name__)


@dataclass
class Tile:
    label: str
    value: object
    colour: str = ""  # "", "blue", "orange", "red", "green"
    url: str = ""
    note: str = ""


def _week(on: dt.date) -> dt.date:
    """The end of "due this week" (the next seven days)."""
    return on + dt.timedelta(days=7)


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if url else ""


# ----------------------------------------------------------------------------- staff
def staff_tiles(user) -> list[Tile]:
    tiles: list[Tile] = []
    if not user.office_id:
        return tiles
    on = today()
    month_start = on.replace(day=1)
    try:
        from plans.choices import CLOSED_STATUSES
        from plans.models import PlanItem

        row = (
            PlanItem.objects.visible_to(user)
            .leaves()
            .filter(lead_office_id=user.office_id)
            .exclude(status__in=list(CLOSED_STATUSES))
            .aggregate(
                overdue=Count("pk", filter=Q(due_date__lt=on)),
                week=Count("pk", filter=Q(due_date__gte=on, due_date__lte=_week(on))),
                # Progress is reported monthly (domain §4): an open item without a report
                # this month is waiting on its office.
                waiting=Count("pk", filter=Q(last_progress_on__isnull=True) | Q(last_progress_on__lt=month_start)),
            )
        )
        url = safe_reverse("plans:item-list")
        tiles += [
            Tile(_("计划事项已逾期"), row["overdue"], "red" if row["overdue"] else "", _with_query(url, f"office={user.office_id}&overdue=true")),
            Tile(_("计划事项本周到期"), row["week"], "blue" if row["week"] else "", _with_query(url, f"office={user.office_id}")),
            Tile(_("本月进度待报送"), row["waiting"], "orange" if row["waiting"] else "", _with_query(url, f"office={user.office_id}")),
        ]
    except ImportError:
        pass
    try:
        from supervision import choices as sc
        from supervision.models import SupervisionStep

        row = (
            SupervisionStep.objects.visible_to(user)
            .filter(item__lead_office_id=user.office_id, item__status__in=list(sc.OPEN_STATUSES))
            .filter(done_on__isnull=True, skipped=False, due_date__isnull=False)
            .aggregate(
                overdue=Count("pk", filter=Q(due_date__lt=on)),
                week=Count("pk", filter=Q(due_date__gte=on, due_date__lte=_week(on))),
            )
        )
        url = safe_reverse("supervision:item-list")
        tiles += [
            Tile(_("监督工作步骤已逾期"), row["overdue"], "red" if row["overdue"] else "", _with_query(url, f"lead_office={user.office_id}&overdue=true")),
            Tile(_("监督工作步骤本周到期"), row["week"], "blue" if row["week"] else "", _with_query(url, f"lead_office={user.office_id}")),
        ]
    except ImportError:
        pass
    try:
        from deputies import choices as dc
        from deputies.models import CitizenOpinion

        n = CitizenOpinion.objects.visible_to(user).filter(
            routed_office_id=user.office_id, status=dc.OpinionStatus.ROUTED
        ).count()
        tiles.append(Tile(_("转本委室待答复的群众意见"), n, "orange" if n else "", safe_reverse("deputies:opinion-list")))
    except ImportError:
        pass
    return tiles


# ------------------------------------------------------------------------------ unit
def unit_tiles(user) -> list[Tile]:
    tiles: list[Tile] = []
    if not user.unit_id:
        return tiles
    on = today()
    try:
        from deputies import choices as dc
        from deputies.models import Assignment, Evaluation

        A = dc.AssignmentStatus
        open_q = Q(status__in=[A.ASSIGNED, A.SIGNED, A.RETURN_REQUESTED])
        row = (
            Assignment.objects.visible_to(user)
            .filter(unit_id=user.unit_id)
            .exclude(status=A.RETURNED)
            .aggregate(
                assigned=Count("pk"),
                to_sign=Count("pk", filter=Q(status=A.ASSIGNED)),
                week=Count("pk", filter=open_q & Q(due_date__gte=on, due_date__lte=_week(on))),
                overdue=Count("pk", filter=open_q & Q(due_date__lt=on)),
                replied=Count("pk", filter=Q(status=A.REPLIED)),
            )
        )
        ratings = Evaluation.objects.visible_to(user).filter(
            assignment__unit_id=user.unit_id, reply__is_current=True, no_feedback=False
        ).exclude(result="").aggregate(
            total=Count("pk"),
            good=Count("pk", filter=Q(result__in=[dc.Rating.SATISFIED, dc.Rating.BASIC])),
            bad=Count("pk", filter=Q(result=dc.Rating.UNSATISFIED)),
        )
        url = safe_reverse("deputies:suggestion-list")
        satisfaction = rate(ratings["good"], ratings["total"])
        tiles += [
            Tile(_("交办本单位的建议"), row["assigned"], "", url),
            Tile(_("待签收"), row["to_sign"], "orange" if row["to_sign"] else "", url),
            Tile(_("本周到期"), row["week"], "blue" if row["week"] else "", url),
            Tile(_("已逾期"), row["overdue"], "red" if row["overdue"] else "", url),
            Tile(_("已答复"), row["replied"], "green" if row["replied"] else "", url),
            Tile(
                _("代表满意率"),
                f"{satisfaction}%" if satisfaction is not None else "—",
                "red" if ratings["bad"] else "",
                url,
                _("已评价%(n)s件，其中不满意%(bad)s件") % {"n": ratings["total"], "bad": ratings["bad"]},
            ),
        ]
    except ImportError:
        pass
    try:
        from supervision import choices as sc
        from supervision.models import AuditProblem, DeliberationOpinion

        problems = AuditProblem.objects.visible_to(user).filter(responsible_unit_id=user.unit_id).exclude(
            status=sc.ProblemStatus.RECTIFIED
        ).aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=on)))
        opinions = DeliberationOpinion.objects.visible_to(user).filter(
            item__target_unit_id=user.unit_id, issued_on__isnull=False, report_submitted_on__isnull=True
        ).aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(report_due__lt=on)))
        url = safe_reverse("supervision:item-list")
        tiles += [
            Tile(_("待报告处理情况的审议意见"), opinions["open"], "red" if opinions["overdue"] else "", url,
                 _("其中逾期%(n)s件") % {"n": opinions["overdue"]} if opinions["overdue"] else ""),
            Tile(_("未整改到位的审计查出问题"), problems["open"], "red" if problems["overdue"] else "", url,
                 _("其中逾期%(n)s个") % {"n": problems["overdue"]} if problems["overdue"] else ""),
        ]
    except ImportError:
        pass
    return tiles


# ---------------------------------------------------------------------------- deputy
# The steps of a suggestion as a deputy follows them (domain §2 state machine).
DEPUTY_STEPS = [
    ("submitted_at", _("提交")),
    ("accepted_on", _("立案")),
    ("assigned_on", _("交办")),
    ("first_replied_on", _("答复")),
    ("closed_on", _("办结")),
]


def deputy_tiles(user) -> list[Tile]:
    tiles: list[Tile] = []
    try:
        from deputies import choices as dc
        from deputies.models import CoSignature, Reply, Suggestion

        S = dc.SuggestionStatus
        # A reply still waiting for my rating (each answering unit's current reply is rated).
        unrated = Exists(
            Reply.objects.filter(
                suggestion=OuterRef("pk"), status=dc.ReplyStatus.SENT, is_current=True, evaluation__isnull=True
            )
        )
        row = Suggestion.objects.visible_to(user).filter(lead_deputy__user=user).aggregate(
            drafts=Count("pk", filter=Q(status=S.DRAFT)),
            review=Count("pk", filter=Q(status__in=[S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED])),
            handling=Count("pk", filter=Q(status__in=list(dc.OPEN_HANDLING_STATUSES))),
            to_rate=Count("pk", filter=Q(status=S.REPLIED) & Q(unrated)),
            closed=Count("pk", filter=Q(status=S.CLOSED)),
        )
        invites = CoSignature.objects.visible_to(user).inbox_of(user).count()
        url = safe_reverse("deputies:suggestion-list")
        tiles += [
            Tile(_("草稿"), row["drafts"], "", url),
            Tile(_("审查中"), row["review"], "", url),
            Tile(_("办理中"), row["handling"], "blue" if row["handling"] else "", url),
            Tile(_("待我评价"), row["to_rate"], "orange" if row["to_rate"] else "", url),
            Tile(_("已办结"), row["closed"], "green" if row["closed"] else "", url),
            Tile(_("待我确认附议"), invites, "orange" if invites else "", url),
        ]
    except ImportError:
        pass
    return tiles


def deputy_items(user, limit: int = 30) -> list[dict]:
    """The deputy's own items with the step each has reached, newest first."""
    try:
        from deputies.models import Suggestion
    except ImportError:
        return []
    items = (
        Suggestion.objects.visible_to(user)
        .filter(lead_deputy__user=user)
        .select_related("session")
        .order_by("-created_at", "-id")[:limit]
    )
    result = []
    for s in items:
        steps = [{"label": label, "date": getattr(s, attr)} for attr, label in DEPUTY_STEPS]
        result.append(
            {
                "item": s,
                "url": safe_reverse("deputies:suggestion-detail", s.pk),
                "steps": steps,
                "overdue": bool(s.due_date and not s.first_replied_on and s.due_date < today()),
            }
        )
    return result


# ------------------------------------------------------------------ assigning office
def assigning_tiles(user) -> list[Tile]:
    tiles: list[Tile] = []
    try:
        from deputies import choices as dc
        from deputies.models import ExtensionRequest, ReturnRequest, Suggestion

        S = dc.SuggestionStatus
        row = Suggestion.objects.visible_to(user).aggregate(
            register=Count("pk", filter=Q(status=S.SUBMITTED)),
            review=Count("pk", filter=Q(status=S.UNDER_REVIEW)),
            assign=Count("pk", filter=Q(status=S.ACCEPTED)),
            replied=Count("pk", filter=Q(status=S.REPLIED)),
        )
        returns = ReturnRequest.objects.filter(
            status=dc.RequestStatus.PENDING, suggestion__in=Suggestion.objects.visible_to(user).values("pk")
        ).count()
        extensions = ExtensionRequest.objects.filter(
            status=dc.RequestStatus.PENDING, suggestion__in=Suggestion.objects.visible_to(user).values("pk")
        ).count()
        url = safe_reverse("deputies:suggestion-list")
        tiles += [
            Tile(_("待登记"), row["register"], "orange" if row["register"] else "", _with_query(url, f"status={S.SUBMITTED}")),
            Tile(_("待审查"), row["review"], "orange" if row["review"] else "", _with_query(url, f"status={S.UNDER_REVIEW}")),
            Tile(_("待交办"), row["assign"], "orange" if row["assign"] else "", _with_query(url, f"status={S.ACCEPTED}")),
            Tile(_("待审批退回申请"), returns, "red" if returns else "", url),
            Tile(_("待审批延期申请"), extensions, "red" if extensions else "", url),
            Tile(_("已答复待评价或办结"), row["replied"], "", _with_query(url, f"status={S.REPLIED}")),
        ]
    except ImportError:
        pass
    return tiles


def tiles_for(user) -> list[Tile]:
    if user.is_deputy:
        return deputy_tiles(user)
    if user.is_unit_user:
        return unit_tiles(user)
    if user.role == "assigning_clerk":
        return assigning_tiles(user) + staff_tiles(user)
    if user.is_internal:
        return staff_tiles(user)
    return []
