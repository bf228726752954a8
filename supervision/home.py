"""Home-page widgets of supervision work: for committee staff the opinions to issue and
the handling reports due; for a handling body the opinions it must answer."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.formatting import format_date
from congress.navigation import Todo, Widget, WidgetRow
from congress.roles import Role
from congress.workdays import today

from . import choices as c
from . import selectors
from .models import AuditProblem, DeliberationOpinion, FiledDocument, Interpellation, SupervisionItem

LIMIT = 6


def _note(due):
    return format_date(due)


def widgets(user) -> list[Widget]:
    if not user.is_authenticated:
        return []
    items = SupervisionItem.objects.visible_to(user)
    now = today()
    more = reverse("supervision:item-list")
    if user.is_internal:
        if not user.is_leader and user.office_id:
            items = items.filter(lead_office_id=user.office_id)
        to_issue = list(selectors.opinions_not_issued(items)[:LIMIT])
        due = list(selectors.reports_due(items)[:LIMIT])
        return [
            Widget(
                title=_("待交办的审议意见"),
                rows=[WidgetRow(s.item.title, s.item.get_absolute_url(), _("交办期限 %(d)s") % {"d": _note(s.due_date)},
                                selectors.due_colour(s.due_date, now)) for s in to_issue],
                count=selectors.opinions_not_issued(items).count(),
                more_url=more + "?status=heard",
                empty_text=_("没有待交办的审议意见"),
                order=20,
            ),
            Widget(
                title=_("待报送的研究处理情况"),
                rows=[WidgetRow(f"{o.item.title}（{o.item.target_unit or ''}）", o.item.get_absolute_url(),
                                _("期限 %(d)s") % {"d": _note(o.report_due)}, selectors.due_colour(o.report_due, now))
                      for o in due],
                count=selectors.reports_due(items).count(),
                more_url=more + "?status=opinions_issued",
                empty_text=_("没有待报送的报告"),
                order=21,
            ),
        ]
    if user.is_unit_user:
        # Only the target body and the departments named on the item answer the opinions
        # (permissions.is_body_user); a unit that merely owns an audit problem does not.
        items = items.filter(Q(target_unit_id=user.unit_id) | Q(departments=user.unit_id))
        due = list(selectors.reports_due(items)[:LIMIT])
        return [
            Widget(
                title=_("待答复的审议意见"),
                rows=[WidgetRow(o.item.title, o.item.get_absolute_url(), _("报告期限 %(d)s") % {"d": _note(o.report_due)},
                                selectors.due_colour(o.report_due, now)) for o in due],
                count=selectors.reports_due(items).count(),
                more_url=more,
                empty_text=_("没有待答复的审议意见"),
                order=20,
            )
        ]
    return []


# ------------------------------------------------------------------ to-do cards
# One card per step a role takes in the supervision loop (the opinion workflow of
# choices.OPINION_TRANSITIONS, audit rectification, interpellations, filing review),
# each count one aggregate per model: the number of queries does not grow with the rows.
def _n(**filters) -> Count:
    return Count("pk", filter=Q(**filters))


def _staff_todos(user, items) -> list[Todo]:
    more = reverse("supervision:item-list")
    o = DeliberationOpinion.objects.filter(item__in=items.values("pk")).aggregate(
        compiling=_n(status=c.OpinionStatus.COMPILING), approved=_n(status=c.OpinionStatus.APPROVED),
        reported=_n(status=c.OpinionStatus.REPORTED),
    )
    to_compile = items.filter(status=c.ItemStatus.HEARD).exclude(
        Exists(DeliberationOpinion.objects.filter(item=OuterRef("pk")))).count()
    problems = AuditProblem.objects.filter(item__in=items.values("pk"), status=c.ProblemStatus.EVIDENCE_SUBMITTED).count()
    filings = FiledDocument.objects.filter(
        item__in=items.values("pk"), status__in=[c.FilingStatus.FILED, c.FilingStatus.REVIEWING]).count()
    return [
        Todo(_("待汇总审议意见的事项"), to_compile, f"{more}?status=heard", _("审议后汇总常委会组成人员的审议意见"),
             order=40),
        Todo(_("待主任会议通过的审议意见"), o["compiling"], f"{more}?status=heard", _("记录主任会议通过日期"), order=41),
        Todo(_("待交办的审议意见"), o["approved"], f"{more}?status=heard", _("通过后5个工作日内交办"), "warning",
             order=42),
        Todo(_("待跟踪监督的审议意见"), o["reported"], f"{more}?status=reported", _("收到处理情况报告后跟踪监督"),
             order=43),
        Todo(_("待对账销号的审计问题"), problems, f"{more}?kind=audit_rectification", _("核对整改材料后销号"), order=44),
        Todo(_("待审查的备案文件"), filings, f"{more}?kind=filing_review", _("3个月内完成审查"), order=45),
    ]


def _body_todos(user, items) -> list[Todo]:
    more = reverse("supervision:item-list")
    unit = user.unit_id
    reports = DeliberationOpinion.objects.filter(
        item__in=items.filter(Q(target_unit_id=unit) | Q(departments=unit)).values("pk"),
        status=c.OpinionStatus.ISSUED).count()
    problems = AuditProblem.objects.filter(
        item__in=items.values("pk"), responsible_unit_id=unit,
        status__in=[c.ProblemStatus.PENDING, c.ProblemStatus.IN_PROGRESS]).count()
    inter = Interpellation.objects.filter(item__in=items.values("pk"), addressed_unit_id=unit).filter(
        Q(answered_on__isnull=True) | Q(second_answer_required=True, second_answered_on__isnull=True)).count()
    filings = FiledDocument.objects.filter(
        item__in=items.values("pk"), maker_id=unit, status=c.FilingStatus.OPINION_SENT).count()
    return [
        Todo(_("待报送的研究处理情况"), reports, f"{more}?status=opinions_issued", _("按期报送审议意见研究处理情况"),
             "warning", order=40),
        Todo(_("待报送的整改情况"), problems, f"{more}?kind=audit_rectification", _("报送整改措施和佐证材料"), order=41),
        Todo(_("待答复的质询案"), inter, f"{more}?kind=interpellation", _("按规定时间和方式答复"), "warning", order=42),
        Todo(_("待书面答复的备案审查意见"), filings, f"{more}?kind=filing_review", _("30日内书面答复处理情况"),
             order=43),
    ]


def todos(user) -> list[Todo]:
    if not user.is_authenticated:
        return []
    items = SupervisionItem.objects.visible_to(user)
    if user.role == Role.STAFF and user.office_id:
        return _staff_todos(user, items.filter(lead_office_id=user.office_id))
    if user.is_unit_user and user.unit_id:
        return _body_todos(user, items)
    return []
