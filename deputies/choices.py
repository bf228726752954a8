"""Statuses of deputies' bills and suggestions and the transitions between them.

The state machines of domain §2 are the specification. Each transition is a row of a
table below: the states it may start from, the state it leads to, and which kind of
actor may make it. Services (deputies/services.py) read these tables, so the page, the
API and the tests all share one definition of who may do what and when."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    SESSION = "session", _("会议期间")
    RECESS = "recess", _("闭会期间")


class SuggestionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("审查中")
    ACCEPTED = "accepted", _("已立案")
    REJECTED = "rejected", _("不予立案")
    MERGED = "merged", _("已并案")
    WITHDRAWN = "withdrawn", _("已撤回")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    RETURN_REQUESTED = "return_requested", _("申请退回中")
    REPLIED = "replied", _("已答复")
    REHANDLING = "rehandling", _("重新办理")
    CLOSED = "closed", _("已办结")


class BillStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("审查中")
    ON_AGENDA = "on_agenda", _("列入会议议程")
    ADOPTED = "adopted", _("已通过")
    NOT_ADOPTED = "not_adopted", _("未通过")
    REFERRED = "referred", _("交专门委员会审议")
    REPORTED = "reported", _("专门委员会已报告")
    HANDLED = "handled", _("已办结")
    CONVERTED = "converted", _("作为建议处理")
    NOT_A_BILL = "not_a_bill", _("不作为议案")
    WITHDRAWN = "withdrawn", _("已撤回")


class CoSignStatus(models.TextChoices):
    INVITED = "invited", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已谢绝")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")
    SEPARATE = "separate", _("分别办理")


# Units that answer the deputy themselves (a co-handler only gives its opinion to the lead).
RESPONDING_ROLES = (AssignmentRole.LEAD, AssignmentRole.SEPARATE)


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("待签收")
    SIGNED = "signed", _("办理中")
    RETURN_REQUESTED = "return_requested", _("申请退回中")
    RETURNED = "returned", _("已退回")
    OPINION_SUBMITTED = "opinion_submitted", _("已提交协办意见")
    REPLIED = "replied", _("已答复")


ACTIVE_ASSIGNMENT_STATUSES = (
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.SIGNED,
    AssignmentStatus.RETURN_REQUESTED,
    AssignmentStatus.OPINION_SUBMITTED,
    AssignmentStatus.REPLIED,
)


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待负责人审签")
    SENT = "sent", _("已答复")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("不同意")


class KeyLevel(models.TextChoices):
    DIRECTOR = "director", _("主任督办")
    VICE_DIRECTOR = "vice_director", _("副主任督办")
    GOVERNMENT = "government", _("政府领导领办")
    COMMITTEE = "committee", _("专工委重点督办")


class ClosingKind(models.TextChoices):
    EVALUATED = "evaluated", _("代表已评价")
    NO_FEEDBACK = "no_feedback", _("未反馈")
    OFFICE = "office", _("交办机构决定办结")


class ContactMethod(models.TextChoices):
    FACE = "face", _("当面沟通（面商）")
    PHONE = "phone", _("电话沟通")
    MEETING = "meeting", _("座谈会")
    SITE = "site", _("实地调研")
    OTHER = "other", _("其他")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("落实中")
    DONE = "done", _("已落实")
    CARRIED = "carried", _("结转下年")


class ActivityKind(models.TextChoices):
    RECEPTION = "reception", _("接待选民")
    VISIT = "visit", _("走访企业群众")
    INSPECTION = "inspection", _("视察")
    RESEARCH = "research", _("调研")
    MEETING = "meeting", _("参加会议活动")
    TRAINING = "training", _("培训")
    LECTURE = "lecture", _("专题讲座")
    REPORT = "report", _("向选民述职")
    OTHER = "other", _("其他")


class OpinionStatus(models.TextChoices):
    REGISTERED = "registered", _("已收到")
    ROUTED = "routed", _("已转办")
    AT_STATION = "at_station", _("已转交联络站")
    SUGGESTED = "suggested", _("已转为代表建议")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class OpinionSource(models.TextChoices):
    """How a citizen's opinion came in: at a liaison station's reception, or through the
    deputy's QR code (代表码, domain §9) without anyone in between."""

    STATION = "station", _("联络站")
    CODE = "code", _("代表码")
    OTHER = "other", _("其他")


class Actor:
    """Who may make a transition. Services decide whether the user is that actor for
    this record (the lead deputy of *this* item, a clerk of a unit assigned *to it*)."""

    LEAD = "lead_deputy"
    INVITEE = "invitee"
    OFFICE = "office"
    LEADER = "leader"
    UNIT = "unit"  # clerk or head of an assigned unit
    UNIT_CLERK = "unit_clerk"
    UNIT_HEAD = "unit_head"
    STAFF = "staff"  # any internal staff member (committee offices)
    SYSTEM = "system"  # the scheduled task (actor None)
    OPINION_DEPUTY = "opinion_deputy"  # the deputy a citizen's opinion was left for


@dataclass(frozen=True)
class Transition:
    label: str
    sources: tuple
    target: str | None  # None: unchanged, or decided by the service (e.g. after the last reply)
    actors: frozenset
    refusal: str  # shown when the actor may not make it


S = SuggestionStatus
_BEFORE_ASSIGNMENT = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED)
_HANDLING = (S.IN_PROGRESS, S.REHANDLING)
_KEY_STATES = (S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REQUESTED, S.REPLIED, S.REHANDLING)


def _t(label, sources, target, actors, refusal):
    return Transition(label, tuple(sources), target, frozenset(actors), refusal)


SUGGESTION_TRANSITIONS: dict[str, Transition] = {
    "invite": _t(_("邀请附议"), [S.DRAFT], None, [Actor.LEAD], _("只有领衔代表可以邀请附议代表。")),
    "uninvite": _t(_("取消邀请"), [S.DRAFT], None, [Actor.LEAD], _("只有领衔代表可以取消邀请。")),
    "confirm_cosign": _t(_("确认附议"), [S.DRAFT], None, [Actor.INVITEE], _("只有受邀代表本人可以确认附议。")),
    "decline_cosign": _t(_("谢绝附议"), [S.DRAFT], None, [Actor.INVITEE], _("只有受邀代表本人可以谢绝附议。")),
    "update": _t(_("修改"), [S.DRAFT], None, [Actor.LEAD], _("只有领衔代表可以修改建议。")),
    "submit": _t(_("提交"), [S.DRAFT], S.SUBMITTED, [Actor.LEAD], _("只有领衔代表可以提交建议。")),
    "withdraw": _t(_("撤回"), _BEFORE_ASSIGNMENT, S.WITHDRAWN, [Actor.LEAD], _("只有领衔代表可以撤回建议。")),
    "register": _t(_("登记编号"), [S.SUBMITTED], S.UNDER_REVIEW, [Actor.OFFICE], _("只有交办机构可以登记建议。")),
    "accept": _t(_("立案"), [S.UNDER_REVIEW], S.ACCEPTED, [Actor.OFFICE], _("只有交办机构可以立案。")),
    "return_for_revision": _t(
        _("退回修改"), [S.UNDER_REVIEW], S.DRAFT, [Actor.OFFICE], _("只有交办机构可以退回修改。")
    ),
    "reject": _t(_("不予立案"), [S.UNDER_REVIEW], S.REJECTED, [Actor.OFFICE], _("只有交办机构可以决定不予立案。")),
    "merge": _t(_("并案"), [S.UNDER_REVIEW, S.ACCEPTED], S.MERGED, [Actor.OFFICE], _("只有交办机构可以并案。")),
    "assign": _t(_("交办"), [S.ACCEPTED], S.ASSIGNED, [Actor.OFFICE], _("只有交办机构可以交办。")),
    "mark_key": _t(
        _("确定重点督办"), _KEY_STATES, None, [Actor.OFFICE, Actor.LEADER], _("只有交办机构或常委会领导可以确定重点督办。")
    ),
    "sign": _t(
        # RETURN_REQUESTED: another unit's return request must not stop this unit signing
        # for its own assignment, or asking for its own return within its window.
        _("签收"), [S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REQUESTED], S.IN_PROGRESS, [Actor.UNIT],
        _("只有被交办的承办单位可以签收。"),
    ),
    "request_return": _t(
        _("申请退回"), [S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REQUESTED], S.RETURN_REQUESTED, [Actor.UNIT],
        _("只有被交办的承办单位可以申请退回。"),
    ),
    "approve_return": _t(
        _("同意退回"), [S.RETURN_REQUESTED], None, [Actor.OFFICE], _("只有交办机构可以审批退回申请。")
    ),
    "refuse_return": _t(
        _("不同意退回"), [S.RETURN_REQUESTED], S.IN_PROGRESS, [Actor.OFFICE], _("只有交办机构可以审批退回申请。")
    ),
    "request_extension": _t(
        _("申请延期"), _HANDLING, None, [Actor.UNIT], _("只有负责答复的承办单位可以申请延期。")
    ),
    "approve_extension": _t(_("同意延期"), _HANDLING, None, [Actor.OFFICE], _("只有交办机构可以审批延期申请。")),
    "refuse_extension": _t(_("不同意延期"), _HANDLING, None, [Actor.OFFICE], _("只有交办机构可以审批延期申请。")),
    "submit_opinion": _t(
        _("提交协办意见"), [S.IN_PROGRESS], None, [Actor.UNIT], _("只有协办单位可以提交协办意见。")
    ),
    "record_contact": _t(
        _("记录与代表沟通"), [S.IN_PROGRESS, S.REHANDLING, S.REPLIED], None, [Actor.UNIT],
        _("只有被交办的承办单位可以记录与代表沟通情况。"),
    ),
    "report_progress": _t(
        _("报送办理进展"), _HANDLING, None, [Actor.UNIT], _("只有被交办的承办单位可以报送办理进展。")
    ),
    "draft_reply": _t(
        _("起草答复"), _HANDLING, None, [Actor.UNIT_CLERK], _("只有负责答复的承办单位经办人可以起草答复。")
    ),
    "submit_reply": _t(
        _("提交负责人审签"), _HANDLING, None, [Actor.UNIT_CLERK], _("只有负责答复的承办单位经办人可以提交审签。")
    ),
    "send_back_reply": _t(
        _("退回答复稿"), _HANDLING, None, [Actor.UNIT_HEAD], _("只有承办单位负责人可以退回答复稿。")
    ),
    "approve_reply": _t(
        _("审签并答复"), _HANDLING, None, [Actor.UNIT_HEAD], _("只有承办单位负责人可以审签答复。")
    ),
    "evaluate": _t(_("评价"), [S.REPLIED], None, [Actor.LEAD], _("只有领衔代表可以评价答复。")),
    "order_rehandling": _t(
        _("重新办理"), [S.REPLIED], S.REHANDLING, [Actor.OFFICE], _("只有交办机构可以决定重新办理。")
    ),
    "close": _t(_("办结"), [S.REPLIED], S.CLOSED, [Actor.OFFICE], _("只有交办机构可以办结。")),
    "expire_evaluation": _t(
        _("评价期满（未反馈）"), [S.REPLIED], S.CLOSED, [Actor.OFFICE, Actor.SYSTEM],
        _("只有交办机构可以按未反馈办结。"),
    ),
    "add_followup": _t(
        _("登记承诺事项"), [S.REPLIED, S.CLOSED], None, [Actor.OFFICE], _("只有交办机构可以登记承诺事项。")
    ),
}

B = BillStatus
BILL_TRANSITIONS: dict[str, Transition] = {
    "invite": _t(_("邀请联名"), [B.DRAFT], None, [Actor.LEAD], _("只有领衔代表可以邀请联名代表。")),
    "uninvite": _t(_("取消邀请"), [B.DRAFT], None, [Actor.LEAD], _("只有领衔代表可以取消邀请。")),
    "confirm_cosign": _t(_("确认联名"), [B.DRAFT], None, [Actor.INVITEE], _("只有受邀代表本人可以确认联名。")),
    "decline_cosign": _t(_("谢绝联名"), [B.DRAFT], None, [Actor.INVITEE], _("只有受邀代表本人可以谢绝联名。")),
    "update": _t(_("修改"), [B.DRAFT], None, [Actor.LEAD], _("只有领衔代表可以修改议案。")),
    "submit": _t(_("提交"), [B.DRAFT], B.SUBMITTED, [Actor.LEAD], _("只有领衔代表可以提交议案。")),
    "withdraw": _t(_("撤回"), [B.DRAFT, B.SUBMITTED], B.WITHDRAWN, [Actor.LEAD], _("只有领衔代表可以撤回议案。")),
    "register": _t(_("登记编号"), [B.SUBMITTED], B.UNDER_REVIEW, [Actor.OFFICE], _("只有交办机构可以登记议案。")),
    "put_on_agenda": _t(
        _("列入会议议程"), [B.UNDER_REVIEW], B.ON_AGENDA, [Actor.OFFICE], _("只有交办机构可以登记主席团决定。")
    ),
    "adopt": _t(_("表决通过"), [B.ON_AGENDA], B.ADOPTED, [Actor.OFFICE], _("只有交办机构可以登记表决结果。")),
    "not_adopt": _t(_("表决未通过"), [B.ON_AGENDA], B.NOT_ADOPTED, [Actor.OFFICE], _("只有交办机构可以登记表决结果。")),
    "refer": _t(
        _("交专门委员会审议"), [B.UNDER_REVIEW], B.REFERRED, [Actor.OFFICE], _("只有交办机构可以登记主席团决定。")
    ),
    "committee_report": _t(
        _("专门委员会报告"), [B.REFERRED], B.REPORTED, [Actor.OFFICE, Actor.STAFF],
        _("只有人大机关工作人员可以登记专门委员会审议结果报告。"),
    ),
    "conclude": _t(_("办结"), [B.REPORTED], B.HANDLED, [Actor.OFFICE], _("只有交办机构可以办结议案。")),
    "convert": _t(
        _("作为建议处理"), [B.UNDER_REVIEW], B.CONVERTED, [Actor.OFFICE], _("只有交办机构可以登记主席团决定。")
    ),
    "not_a_bill": _t(
        _("不作为议案"), [B.UNDER_REVIEW], B.NOT_A_BILL, [Actor.OFFICE], _("只有交办机构可以登记主席团决定。")
    ),
}

OS = OpinionStatus
# 代表码 and liaison stations (domain §6, §9): an opinion is received, then the deputy it was
# left for answers it, turns it into a suggestion, or passes it to the station or to a
# handling unit (staff may also route it); whoever then holds it answers; the answered
# loop is closed (办结) by the deputy or the committee once the citizen has the result.
OPINION_TRANSITIONS: dict[str, Transition] = {
    "route": _t(_("转办"), [OS.REGISTERED], OS.ROUTED, [Actor.OFFICE, Actor.STAFF], _("只有人大机关工作人员可以转办群众意见。")),
    "answer": _t(
        _("答复"), [OS.ROUTED, OS.AT_STATION], OS.ANSWERED, [Actor.UNIT, Actor.OFFICE, Actor.STAFF],
        _("只有承接该意见的单位可以答复。"),
    ),
    "reply": _t(_("代表答复"), [OS.REGISTERED], OS.ANSWERED, [Actor.OPINION_DEPUTY],
                _("只有收到该意见的代表本人可以答复。")),
    "to_suggestion": _t(_("转为代表建议"), [OS.REGISTERED], OS.SUGGESTED, [Actor.OPINION_DEPUTY],
                        _("只有收到该意见的代表本人可以将其转为代表建议。")),
    "pass_station": _t(_("转交联络站"), [OS.REGISTERED], OS.AT_STATION, [Actor.OPINION_DEPUTY],
                       _("只有收到该意见的代表本人可以转交联络站。")),
    "pass_unit": _t(_("转交承办单位"), [OS.REGISTERED], OS.ROUTED, [Actor.OPINION_DEPUTY],
                    _("只有收到该意见的代表本人可以转交承办单位。")),
    "close": _t(_("办结"), [OS.ANSWERED, OS.SUGGESTED], OS.CLOSED, [Actor.OPINION_DEPUTY, Actor.OFFICE, Actor.STAFF],
                _("只有收到该意见的代表或人大机关工作人员可以办结。")),
}
# Statuses in which the deputy still owes the citizen a first step.
OPINION_OPEN_FOR_DEPUTY = (OS.REGISTERED,)

# Statuses in which an item counts as visible to the assigning office (it has been sent in).
SUBMITTED_STATUSES = [s for s in SuggestionStatus.values if s != S.DRAFT]
OPEN_HANDLING_STATUSES = [S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REQUESTED, S.REHANDLING]
