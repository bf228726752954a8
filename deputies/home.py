"""Home-page widgets: what each role has to do about deputies' suggestions today."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.formatting import format_date
from congress.navigation import HomeAction, Todo, Widget, WidgetRow
from congress.roles import Role
from congress.workdays import today

from . import selectors
from .choices import (
    RESPONDING_ROLES,
    AssignmentRole,
    AssignmentStatus,
    BillStatus,
    OpinionStatus,
    ReplyStatus,
    RequestStatus,
    SuggestionStatus,
)
from .models import Assignment, Bill, CitizenOpinion, CoSignature, ExtensionRequest, Reply, ReturnRequest, Suggestion

S = SuggestionStatus
B = BillStatus
ROWS = 5


def _detail(s) -> str:
    return reverse("deputies:suggestion-detail", args=[s.pk])


def _list(query: str = "") -> str:
    return reverse("deputies:suggestion-list") + (f"?{query}" if query else "")


def _bills(query: str = "") -> str:
    return reverse("deputies:bill-list") + (f"?{query}" if query else "")


def _opinions(query: str = "") -> str:
    return reverse("deputies:opinion-list") + (f"?{query}" if query else "")


def _deputy(user) -> list[Widget]:
    mine = Suggestion.objects.visible_to(user).filter(lead_deputy__user=user)
    items = list(mine.select_related("session").order_by("-updated_at")[:ROWS])
    invitations = CoSignature.objects.inbox_of(user).select_related("suggestion", "bill").order_by("-invited_at")
    unrated = Reply.objects.filter(
        # Only replies still in their rating window: after it they count as 未反馈.
        suggestion__in=mine.filter(status=S.REPLIED).exclude(evaluation_due__lt=today()).values("pk"),
        status=ReplyStatus.SENT, is_current=True,
        evaluation__isnull=True,
    ).select_related("suggestion", "assignment__unit").order_by("suggestion__evaluation_due")
    return [
        Widget(
            title=_("我的建议"),
            rows=[WidgetRow(s.title, _detail(s), s.get_status_display()) for s in items],
            count=mine.count(),
            more_url=reverse("deputies:my-page"),
            empty_text=_("还没有建议，可以在“我的履职”中提出。"),
            order=10,
        ),
        Widget(
            title=_("待确认附议"),
            rows=[
                WidgetRow((c.suggestion or c.bill).title, reverse("deputies:cosign-inbox"), _("待确认"), "orange")
                for c in invitations[:ROWS]
            ],
            count=invitations.count(),
            more_url=reverse("deputies:cosign-inbox"),
            empty_text=_("没有待确认的附议邀请"),
            order=11,
        ),
        Widget(
            title=_("待评价的答复"),
            rows=[
                WidgetRow(f"{r.suggestion.title}（{r.assignment.unit.short_name or r.assignment.unit.name}）",
                          _detail(r.suggestion), _("%(d)s前") % {"d": r.suggestion.evaluation_due},
                          selectors.due_colour(r.suggestion.evaluation_due))
                for r in unrated[:ROWS]
            ],
            count=unrated.count(),
            empty_text=_("没有待评价的答复"),
            order=12,
        ),
    ]


def _office(user) -> list[Widget]:
    visible = Suggestion.objects.visible_to(user)
    review = visible.filter(status__in=[S.SUBMITTED, S.UNDER_REVIEW]).select_related("lead_deputy").order_by("received_on", "id")
    to_assign = visible.filter(status=S.ACCEPTED).order_by("accepted_on", "id")
    returns = ReturnRequest.objects.filter(status=RequestStatus.PENDING, suggestion__in=visible.values("pk")).select_related(
        "suggestion", "assignment__unit")
    extensions = ExtensionRequest.objects.filter(status=RequestStatus.PENDING, suggestion__in=visible.values("pk")).select_related(
        "suggestion", "assignment__unit")
    requests = [
        WidgetRow(_("退回：%(s)s（%(u)s）") % {"s": r.suggestion.title, "u": r.assignment.unit.name}, _detail(r.suggestion),
                  "", "orange")
        for r in returns[:ROWS]
    ] + [
        WidgetRow(_("延期：%(s)s（%(u)s）") % {"s": r.suggestion.title, "u": r.assignment.unit.name}, _detail(r.suggestion),
                  format_date(r.requested_due))
        for r in extensions[:ROWS]
    ]
    return [
        Widget(
            title=_("待登记和审查的建议"),
            rows=[WidgetRow(s.title, _detail(s), s.get_status_display()) for s in review[:ROWS]],
            count=review.count(),
            more_url=_list("status=submitted&status=under_review"),
            empty_text=_("没有待审查的建议"),
            order=10,
        ),
        Widget(
            title=_("待交办的建议"),
            rows=[WidgetRow(f"{s.number} {s.title}", _detail(s)) for s in to_assign[:ROWS]],
            count=to_assign.count(),
            more_url=reverse("deputies:bulk-assign"),
            empty_text=_("没有待交办的建议"),
            order=11,
        ),
        Widget(
            title=_("待审批的退回和延期申请"),
            rows=requests[:ROWS],
            count=returns.count() + extensions.count(),
            empty_text=_("没有待审批的申请"),
            order=12,
        ),
    ]


def _unit(user) -> list[Widget]:
    on = today()
    mine = Assignment.objects.visible_to(user).filter(unit_id=user.unit_id).select_related("suggestion")
    to_sign = mine.filter(status=AssignmentStatus.ASSIGNED).order_by("assigned_on", "id")
    due = mine.filter(
        role__in=RESPONDING_ROLES, status=AssignmentStatus.SIGNED, due_date__gte=on
    ).order_by("due_date", "id")
    late = selectors.overdue_assignments(mine, on)
    return [
        Widget(
            title=_("待签收的建议"),
            rows=[WidgetRow(a.suggestion.title, _detail(a.suggestion), _("退回截止%(d)s") % {"d": format_date(a.return_deadline)})
                  for a in to_sign[:ROWS]],
            count=to_sign.count(),
            more_url=_list("status=assigned"),
            empty_text=_("没有待签收的建议"),
            order=10,
        ),
        Widget(
            title=_("办理中（按期限）"),
            rows=[WidgetRow(a.suggestion.title, _detail(a.suggestion), format_date(a.due_date),
                            selectors.due_colour(a.due_date, on)) for a in due[:ROWS]],
            count=due.count(),
            more_url=_list("status=in_progress"),
            empty_text=_("没有办理中的建议"),
            order=11,
        ),
        Widget(
            title=_("已逾期未答复"),
            rows=[WidgetRow(a.suggestion.title, _detail(a.suggestion), format_date(a.due_date),
                            selectors.due_colour(a.due_date, on)) for a in late[:ROWS]],
            count=late.count(),
            more_url=reverse("deputies:overdue"),
            empty_text=_("没有逾期的建议"),
            order=12,
        ),
    ]


def _leader(user) -> list[Widget]:
    on = today()
    visible = Suggestion.objects.visible_to(user)
    key = visible.exclude(key_level="").exclude(status__in=[S.CLOSED]).order_by("due_date", "id")
    late = selectors.overdue_assignments(Assignment.objects.visible_to(user), on)
    return [
        Widget(
            title=_("重点督办建议"),
            rows=[WidgetRow(s.title, _detail(s), s.get_key_level_display(), selectors.due_colour(s.due_date, on)
                            if s.status in (S.ASSIGNED, S.IN_PROGRESS, S.REHANDLING) else "") for s in key[:ROWS]],
            count=key.count(),
            more_url=_list("is_key=true"),
            empty_text=_("没有重点督办的建议"),
            order=20,
        ),
        Widget(
            title=_("建议答复逾期"),
            rows=[WidgetRow(f"{a.suggestion.title}（{a.unit.short_name or a.unit.name}）", _detail(a.suggestion),
                            format_date(a.due_date), selectors.due_colour(a.due_date, on)) for a in late[:ROWS]],
            count=late.count(),
            more_url=reverse("deputies:overdue"),
            empty_text=_("没有逾期未答复的建议"),
            order=21,
        ),
    ]


def widgets(user) -> list[Widget]:
    if user.role == Role.DEPUTY:
        return _deputy(user)
    if user.role == Role.ASSIGNING_CLERK:
        return _office(user) + _leader(user)
    if user.is_unit_user and user.unit_id:
        return _unit(user)
    if user.is_leader:
        return _leader(user)
    return []



# ------------------------------------------------------------------ to-do cards
# One card per step a role takes in the suggestion workflow (choices.SUGGESTION_TRANSITIONS),
# each count from one aggregate per model: the number of queries does not grow with the rows.
def _count(**filters) -> Count:
    return Count("pk", filter=Q(**filters))


def _deputy_todos(user) -> list[Todo]:
    mine = Suggestion.objects.visible_to(user).filter(lead_deputy__user=user)
    c = mine.aggregate(drafts=_count(status=S.DRAFT))
    unrated = Reply.objects.filter(
        suggestion__in=mine.filter(status=S.REPLIED).exclude(evaluation_due__lt=today()).values("pk"),
        status=ReplyStatus.SENT, is_current=True, evaluation__isnull=True,
    ).count()
    invitations = CoSignature.objects.inbox_of(user).count()
    # Citizens' opinions left for this deputy (代表码, station receptions) still waiting for a first step.
    unanswered = CitizenOpinion.objects.visible_to(user).filter(deputy__user=user, status=OpinionStatus.REGISTERED).count()
    bill_drafts = Bill.objects.visible_to(user).filter(lead_deputy__user=user, status=B.DRAFT).count()
    return [
        Todo(_("待答复的群众意见"), unanswered, reverse("deputies:opinion-list") + "?status=registered",
             _("答复、转为建议，或转交联络站、承办单位"), "warning", order=0),
        Todo(_("待评价的答复"), unrated, reverse("deputies:my-page"), _("对办理态度和结果作出评价"),
             "warning", order=1),
        Todo(_("待确认的附议邀请"), invitations, reverse("deputies:cosign-inbox"), _("确认或谢绝附议"), order=2),
        Todo(_("未提交的草稿"), c["drafts"], _list("status=draft"), _("写完后提交给代表工作机构"), order=3),
        Todo(_("未提交的议案草稿"), bill_drafts, _bills("status=draft"), _("联名代表确认后提交"), order=4),
    ]


def _office_todos(user) -> list[Todo]:
    visible = Suggestion.objects.visible_to(user)
    c = visible.aggregate(
        submitted=_count(status=S.SUBMITTED),
        review=_count(status=S.UNDER_REVIEW),
        accepted=_count(status=S.ACCEPTED),
        replied=_count(status=S.REPLIED),
    )
    requests = ReturnRequest.objects.filter(status=RequestStatus.PENDING, suggestion__in=visible.values("pk"))
    extensions = ExtensionRequest.objects.filter(status=RequestStatus.PENDING, suggestion__in=visible.values("pk"))
    return [
        Todo(_("待登记的建议"), c["submitted"], _list("status=submitted"), _("登记编号"), order=1),
        Todo(_("待审查的建议"), c["review"], _list("status=under_review"), _("立案、退回修改、不予立案或并案"), order=2),
        Todo(_("待交办的建议"), c["accepted"], reverse("deputies:bulk-assign"), _("确定承办单位"), order=3),
        Todo(_("待审批的退回申请"), requests.count(), _list("status=return_requested"), _("同意或不同意退回"),
             "warning", order=4),
        Todo(_("待审批的延期申请"), extensions.count(), _list("status=in_progress"), _("同意或不同意延期"),
             "warning", order=5),
        Todo(_("已答复待办结"), c["replied"], _list("status=replied"), _("代表评价后办结或重新办理"), order=6),
        *_bill_todos(user),
        *_opinion_todos(user),
    ]


def _bill_todos(user) -> list[Todo]:
    """The assigning office records each step of a bill (BILL_TRANSITIONS); committee staff
    record the special committee's report."""
    b = Bill.objects.visible_to(user).aggregate(
        submitted=_count(status=B.SUBMITTED), review=_count(status=B.UNDER_REVIEW),
        agenda=_count(status=B.ON_AGENDA), referred=_count(status=B.REFERRED), reported=_count(status=B.REPORTED),
    )
    report = Todo(_("待登记专门委员会报告的议案"), b["referred"], _bills("status=referred"),
                  _("登记专门委员会的审议结果报告"), order=9)
    if not user.is_assigning_clerk:
        return [report]
    return [
        Todo(_("待登记的议案"), b["submitted"], _bills("status=submitted"), _("登记编号"), order=7),
        Todo(_("待登记主席团决定的议案"), b["review"], _bills("status=under_review"),
             _("列入议程、交专门委员会、作为建议处理或不作为议案"), order=8),
        report,
        Todo(_("待登记表决结果的议案"), b["agenda"], _bills("status=on_agenda"), _("表决通过或未通过"), order=10),
        Todo(_("待办结的议案"), b["reported"], _bills("status=reported"), _("专门委员会报告后办结"), order=11),
    ]


def _opinion_todos(user) -> list[Todo]:
    """Citizens' opinions: staff route the registered ones; whoever they were routed to answers."""
    mine = Q(routed_unit_id=user.unit_id) if user.is_unit_user else Q(routed_office_id=user.office_id)
    c = CitizenOpinion.objects.visible_to(user).aggregate(
        registered=_count(status=OpinionStatus.REGISTERED),
        routed=Count("pk", filter=Q(status=OpinionStatus.ROUTED) & mine),
    )
    answer = Todo(_("待答复的群众意见"), c["routed"], _opinions("status=routed"), _("答复反映人并登记答复情况"), order=13)
    if user.is_unit_user:
        return [answer]
    return [Todo(_("待转办的群众意见"), c["registered"], _opinions("status=registered"), _("转交承办单位或委室"),
                 order=12), answer]


def _unit_todos(user) -> list[Todo]:
    on = today()
    mine = Assignment.objects.visible_to(user).filter(unit_id=user.unit_id)
    in_work = Q(status=AssignmentStatus.SIGNED, suggestion__status__in=[S.IN_PROGRESS, S.REHANDLING])
    drafted = Reply.objects.filter(assignment=OuterRef("pk"), round=OuterRef("suggestion__round")).exclude(
        status=ReplyStatus.SENT)
    c = mine.annotate(has_draft=Exists(drafted)).aggregate(
        to_sign=_count(status=AssignmentStatus.ASSIGNED),
        to_draft=Count("pk", filter=in_work & Q(role__in=RESPONDING_ROLES, has_draft=False)),
        opinions=Count("pk", filter=in_work & Q(role=AssignmentRole.CO)),
        late=Count("pk", filter=Q(role__in=RESPONDING_ROLES, due_date__lt=on,
                                  status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED])),
    )
    replies = Reply.objects.filter(assignment__in=mine.values("pk")).exclude(status=ReplyStatus.SENT).aggregate(
        pending=_count(status=ReplyStatus.PENDING),
        sent_back=Count("pk", filter=Q(status=ReplyStatus.DRAFT) & ~Q(send_back_reason="")),
    )
    if user.role == Role.UNIT_HEAD:
        return [
            Todo(_("待审签的答复"), replies["pending"], _list("status=in_progress"), _("审签后答复送达代表"),
                 "warning", order=1),
            Todo(_("已逾期未答复"), c["late"], reverse("deputies:overdue"), _("督促经办人尽快答复"), "danger", order=2),
        ]
    return [
        Todo(_("待签收的建议"), c["to_sign"], _list("status=assigned"), _("签收，或在期限内申请退回"), order=1),
        Todo(_("待起草答复"), c["to_draft"], _list("status=in_progress"), _("起草答复并提交负责人审签"), order=2),
        Todo(_("被退回的答复稿"), replies["sent_back"], _list("status=in_progress"), _("按负责人意见修改后重新提交"),
             "warning", order=3),
        Todo(_("待提交的协办意见"), c["opinions"], _list("status=in_progress"), _("提交给主办单位"), order=4),
        Todo(_("已逾期未答复"), c["late"], reverse("deputies:overdue"), _("尽快答复或申请延期"), "danger", order=5),
        *_opinion_todos(user),
    ]


def _leader_todos(user) -> list[Todo]:
    late = selectors.overdue_assignments(Assignment.objects.visible_to(user), today()).count()
    return [Todo(_("建议答复逾期"), late, reverse("deputies:overdue"), _("承办单位逾期未答复"), "danger", order=20)]


def todos(user) -> list[Todo]:
    if user.role == Role.DEPUTY:
        return _deputy_todos(user)
    if user.role == Role.ASSIGNING_CLERK:
        return _office_todos(user)
    if user.is_unit_user and user.unit_id:
        return _unit_todos(user)
    if user.is_leader:
        return _leader_todos(user)
    if user.role == Role.STAFF and user.office_id:
        return _bill_todos(user) + _opinion_todos(user)
    return []


def actions(user) -> list[HomeAction]:
    if user.role == Role.DEPUTY:
        return [HomeAction(_("提出建议"), reverse("deputies:suggestion-create"), order=1)]
    return []
