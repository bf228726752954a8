"""The transitions as the pages and the API offer them: for each, its input form, the
service it calls, and when its button shows (the transition table of choices.py plus the
facts that make a button pointless, e.g. the return window has closed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from congress.workdays import today

from . import forms as f
from . import services as svc
from .choices import (
    ACTIVE_ASSIGNMENT_STATUSES,
    BILL_TRANSITIONS,
    OPINION_TRANSITIONS,
    SUGGESTION_TRANSITIONS,
    AssignmentRole,
    AssignmentStatus,
    CoSignStatus,
    Rating,
    ReplyStatus,
    RequestStatus,
)


@dataclass(frozen=True)
class Action:
    name: str
    form: type
    run: Callable
    available: Callable = field(default=lambda ctx: True)
    style: str = "primary"
    confirm: str = ""
    files: bool = False
    # (user, item) -> [(field, message)]: what still keeps the step from succeeding,
    # computed by the same service function that refuses it.
    checks: Callable | None = None

    @property
    def needs_input(self) -> bool:
        return bool(self.form.base_fields)


def _loaded(s, name):
    """The item's prefetched `name` rows (a list), or None when they were not read."""
    return getattr(s, "_prefetched_objects_cache", {}).get(name)


class SuggestionContext:
    """What the page knows about an actor and an item, computed once per request. Lists
    the caller has already read (an API detail reads them with the item) are used as they
    are instead of being asked again."""

    def __init__(self, user, s):
        self.user = user
        self.s = s
        self.dep = svc.deputy_of(user)
        cosigs = _loaded(s, "cosignatures")
        assignments = _loaded(s, "assignments")
        if assignments is not None and user is not None and user.is_authenticated:
            self.assignment = next((a for a in assignments if user.is_unit_user and user.unit_id
                                    and a.unit_id == user.unit_id and a.status in ACTIVE_ASSIGNMENT_STATUSES), None)
        else:
            self.assignment = svc._actor_assignment(user, s)
        if cosigs is not None:
            self.my_cosign = next((c for c in cosigs if self.dep and c.deputy_id == self.dep.pk), None)
        else:
            self.my_cosign = s.cosignatures.filter(deputy=self.dep).first() if self.dep else None
        self.kinds = svc._suggestion_kinds(user, s, self.assignment,
                                           cosigned=None if cosigs is None else self.my_cosign is not None)
        self.reply = None
        if self.assignment is not None:
            replies = getattr(s, "visible_replies", None)
            if replies is not None:
                self.reply = next((r for r in replies if r.assignment_id == self.assignment.pk and r.round == s.round
                                   and r.status != ReplyStatus.SENT), None)
            else:
                self.reply = self.assignment.replies.filter(round=s.round).exclude(status=ReplyStatus.SENT).first()

    def allowed(self, name: str) -> bool:
        t = SUGGESTION_TRANSITIONS[name]
        return self.s.status in t.sources and bool(self.kinds & t.actors)

    @cached_property
    def pending_return(self):
        rows = _loaded(self.s, "return_requests")
        if rows is not None:
            return any(r.status == RequestStatus.PENDING for r in rows)
        return self.s.return_requests.filter(status=RequestStatus.PENDING).exists()

    @cached_property
    def pending_extension(self):
        rows = _loaded(self.s, "extension_requests")
        if rows is not None:
            return any(r.status == RequestStatus.PENDING for r in rows)
        return self.s.extension_requests.filter(status=RequestStatus.PENDING).exists()

    @cached_property
    def unrated(self):
        replies, evaluations = getattr(self.s, "visible_replies", None), _loaded(self.s, "evaluations")
        if replies is not None and evaluations is not None:
            # Sent replies are visible to everyone who sees the item.
            rated = {e.reply_id for e in evaluations}
            return sum(1 for r in replies if r.is_current and r.status == ReplyStatus.SENT and r.round == self.s.round
                       and r.pk not in rated)
        return svc._unrated_current(self.s).count()

    @cached_property
    def unsatisfied(self):
        rows = _loaded(self.s, "evaluations")
        if rows is not None:
            return any(e.round == self.s.round and e.result == Rating.UNSATISFIED for e in rows)
        return self.s.evaluations.filter(round=self.s.round, result=Rating.UNSATISFIED).exists()

    @property
    def window_passed(self):
        return bool(self.s.evaluation_due and today() > self.s.evaluation_due)


def _a(ctx) -> bool:
    return ctx.assignment is not None


def _signed_responding(ctx) -> bool:
    return _a(ctx) and ctx.assignment.is_responding and ctx.assignment.status == AssignmentStatus.SIGNED


def _opens_follow_up(ctx) -> bool:
    rows = _loaded(ctx.s, "assignments")
    if rows is not None:
        return any(a.status == AssignmentStatus.REPLIED and a.category is not None and a.category.opens_follow_up
                   for a in rows)
    return ctx.s.assignments.filter(status=AssignmentStatus.REPLIED, category__opens_follow_up=True).exists()


def _own_pending_extension(ctx) -> bool:
    rows = _loaded(ctx.s, "extension_requests")
    if rows is not None:
        return any(r.assignment_id == ctx.assignment.pk and r.status == RequestStatus.PENDING for r in rows)
    return ctx.assignment.extension_requests.filter(status=RequestStatus.PENDING).exists()


SUGGESTION_ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("invite", f.InviteForm, lambda u, s, d: svc.suggestion_invite(actor=u, suggestion=s, deputies=d["deputies"])),
        Action("uninvite", f.UninviteForm, lambda u, s, d: svc.suggestion_uninvite(actor=u, suggestion=s, deputy=d["deputy"]),
               available=lambda c: c.s.cosignatures.exists(), style="outline-secondary"),
        Action("confirm_cosign", f.EmptyForm, lambda u, s, d: svc.suggestion_confirm_cosign(actor=u, suggestion=s),
               available=lambda c: c.my_cosign is not None and c.my_cosign.status == CoSignStatus.INVITED, style="success"),
        Action("decline_cosign", f.OptionalReasonForm,
               lambda u, s, d: svc.suggestion_decline_cosign(actor=u, suggestion=s, reason=d["reason"]),
               available=lambda c: c.my_cosign is not None and c.my_cosign.status == CoSignStatus.INVITED,
               style="outline-secondary"),
        Action("submit", f.EmptyForm, lambda u, s, d: svc.suggestion_submit(actor=u, suggestion=s), style="success",
               confirm=_("提交后不能再修改，确定提交吗？"), checks=svc.submit_unmet_for),
        Action("withdraw", f.OptionalReasonForm, lambda u, s, d: svc.suggestion_withdraw(actor=u, suggestion=s, reason=d["reason"]),
               style="outline-danger"),
        Action("register", f.RegisterForm, lambda u, s, d: svc.suggestion_register(actor=u, suggestion=s, category=d["category"])),
        Action("accept", f.AcceptForm, lambda u, s, d: svc.suggestion_accept(
            actor=u, suggestion=s, category=d["category"], is_complex=d["is_complex"], suggested_unit=d["suggested_unit"],
            reason=d["reason"]), style="success"),
        Action("return_for_revision", f.ReasonForm,
               lambda u, s, d: svc.suggestion_return_for_revision(actor=u, suggestion=s, reason=d["reason"]),
               style="outline-warning"),
        Action("reject", f.RejectForm, lambda u, s, d: svc.suggestion_reject(
            actor=u, suggestion=s, reason=d["reason"], as_letter=d["as_letter"]), style="outline-danger"),
        Action("merge", f.MergeForm, lambda u, s, d: svc.suggestion_merge(actor=u, suggestion=s, into=d["into"], reason=d["reason"]),
               style="outline-secondary"),
        Action("assign", f.AssignForm, lambda u, s, d: svc.suggestion_assign(
            actor=u, suggestion=s, lead_unit=d["lead_unit"], co_units=d["co_units"], separate_units=d["separate_units"],
            is_complex=d["is_complex"], assigned_on=d["assigned_on"])),
        Action("mark_key", f.KeyForm, lambda u, s, d: svc.suggestion_mark_key(
            actor=u, suggestion=s, level=d["level"], leader=d["leader"], office=d["office"], reason=d["reason"]),
            style="outline-secondary"),
        Action("sign", f.EmptyForm, lambda u, s, d: svc.suggestion_sign(actor=u, suggestion=s),
               available=lambda c: _a(c) and c.assignment.status == AssignmentStatus.ASSIGNED, style="success"),
        Action("request_return", f.ReturnRequestForm, lambda u, s, d: svc.suggestion_request_return(
            actor=u, suggestion=s, reason=d["reason"], suggested_unit=d["suggested_unit"]),
            available=lambda c: _a(c) and svc.return_window_open(c.assignment), style="outline-warning"),
        Action("approve_return", f.OptionalReasonForm,
               lambda u, s, d: svc.suggestion_approve_return(actor=u, suggestion=s, reason=d["reason"]),
               available=lambda c: c.pending_return, style="success"),
        Action("refuse_return", f.ReasonForm, lambda u, s, d: svc.suggestion_refuse_return(actor=u, suggestion=s, reason=d["reason"]),
               available=lambda c: c.pending_return, style="outline-danger"),
        Action("request_extension", f.ExtensionRequestForm, lambda u, s, d: svc.suggestion_request_extension(
            actor=u, suggestion=s, reason=d["reason"], requested_due=d["requested_due"]),
            available=lambda c: _signed_responding(c) and not _own_pending_extension(c),
            style="outline-secondary", checks=svc.extension_unmet_for),
        Action("approve_extension", f.ApproveExtensionForm, lambda u, s, d: svc.suggestion_approve_extension(
            actor=u, suggestion=s, reason=d["reason"], due=d["due"]), available=lambda c: c.pending_extension, style="success"),
        Action("refuse_extension", f.ReasonForm, lambda u, s, d: svc.suggestion_refuse_extension(
            actor=u, suggestion=s, reason=d["reason"]), available=lambda c: c.pending_extension, style="outline-danger"),
        Action("submit_opinion", f.OpinionTextForm, lambda u, s, d: svc.suggestion_submit_opinion(actor=u, suggestion=s, text=d["text"]),
               available=lambda c: _a(c) and c.assignment.role == AssignmentRole.CO and c.assignment.status == AssignmentStatus.SIGNED,
               checks=svc.opinion_unmet_for),
        Action("record_contact", f.ContactForm, lambda u, s, d: svc.suggestion_record_contact(
            actor=u, suggestion=s, contacted_on=d["contacted_on"], method=d["method"], note=d["note"]),
            available=lambda c: _a(c) and c.assignment.status != AssignmentStatus.ASSIGNED, style="outline-secondary"),
        Action("report_progress", f.ProgressForm, lambda u, s, d: svc.suggestion_report_progress(actor=u, suggestion=s, text=d["text"]),
               available=lambda c: _a(c) and c.assignment.status != AssignmentStatus.ASSIGNED and c.s.is_key,
               style="outline-secondary"),
        Action("draft_reply", f.ReplyDraftForm, lambda u, s, d: svc.suggestion_draft_reply(
            actor=u, suggestion=s, text=d["text"], category=d["category"], signer=d["signer"], letter=d.get("letter"),
            version=d.get("version")),
            available=lambda c: _signed_responding(c) and (c.reply is None or c.reply.status == ReplyStatus.DRAFT),
            files=True, checks=svc.reply_unmet_for),
        Action("submit_reply", f.EmptyForm, lambda u, s, d: svc.suggestion_submit_reply(actor=u, suggestion=s),
               available=lambda c: c.reply is not None and c.reply.status == ReplyStatus.DRAFT, style="success",
               checks=svc.reply_unmet_for),
        Action("send_back_reply", f.ReasonForm, lambda u, s, d: svc.suggestion_send_back_reply(actor=u, suggestion=s, reason=d["reason"]),
               available=lambda c: c.reply is not None and c.reply.status == ReplyStatus.PENDING, style="outline-warning"),
        Action("approve_reply", f.ApproveReplyForm, lambda u, s, d: svc.suggestion_approve_reply(
            actor=u, suggestion=s, category=d["category"], signer=d["signer"], letter=d.get("letter")),
            available=lambda c: c.reply is not None and c.reply.status == ReplyStatus.PENDING, style="success", files=True,
            checks=svc.reply_unmet_for),
        Action("evaluate", f.EvaluationForm, lambda u, s, d: svc.suggestion_evaluate(
            actor=u, suggestion=s, attitude=d["attitude"], result=d["result"], comment=d["comment"], reply=d["reply"]),
            available=lambda c: c.unrated > 0 and not c.window_passed, style="success"),
        Action("order_rehandling", f.ReasonForm, lambda u, s, d: svc.suggestion_order_rehandling(
            actor=u, suggestion=s, reason=d["reason"]), available=lambda c: c.unsatisfied, style="outline-warning"),
        Action("close", f.OptionalReasonForm, lambda u, s, d: svc.suggestion_close(actor=u, suggestion=s, reason=d["reason"]),
               available=lambda c: c.unrated == 0 or c.window_passed, style="success", checks=svc.close_unmet_for),
        Action("expire_evaluation", f.EmptyForm, lambda u, s, d: svc.suggestion_expire_evaluation(actor=u, suggestion=s),
               available=lambda c: c.unrated > 0 and c.window_passed, style="outline-secondary"),
        Action("add_followup", f.FollowUpForm, lambda u, s, d: svc.suggestion_add_followup(
            actor=u, suggestion=s, text=d["text"], due_date=d["due_date"]),
            available=lambda c: _opens_follow_up(c),
            style="outline-secondary"),
    ]
}
# Actions whose service is not in the table's names (update is the edit page).
assert set(SUGGESTION_ACTIONS) <= set(SUGGESTION_TRANSITIONS)


def suggestion_actions_for(user, s) -> list[tuple[Action, str]]:
    """The buttons this user sees on this item, with their labels."""
    ctx = SuggestionContext(user, s)
    result = []
    for name, action in SUGGESTION_ACTIONS.items():
        if ctx.allowed(name) and action.available(ctx):
            result.append((action, SUGGESTION_TRANSITIONS[name].label))
    return result


def form_kwargs(name: str, user, s) -> dict:
    """Extra arguments some forms need (the reply being drafted or approved)."""
    if name in ("draft_reply", "approve_reply"):
        a = svc._actor_assignment(user, s)
        reply = a.replies.filter(round=s.round).exclude(status=ReplyStatus.SENT).first() if a else None
        return {"reply": reply}
    return {}


class BillContext:
    def __init__(self, user, b):
        self.user = user
        self.b = b
        self.kinds = svc._bill_kinds(user, b)
        self.dep = svc.deputy_of(user)
        self.my_cosign = b.cosignatures.filter(deputy=self.dep).first() if self.dep else None

    def allowed(self, name):
        t = BILL_TRANSITIONS[name]
        return self.b.status in t.sources and bool(self.kinds & t.actors)


def _invited(c) -> bool:
    return c.my_cosign is not None and c.my_cosign.status == CoSignStatus.INVITED


BILL_ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("invite", f.InviteForm, lambda u, b, d: svc.bill_invite(actor=u, bill=b, deputies=d["deputies"])),
        Action("uninvite", f.UninviteForm, lambda u, b, d: svc.bill_uninvite(actor=u, bill=b, deputy=d["deputy"]),
               available=lambda c: c.b.cosignatures.exists(), style="outline-secondary"),
        Action("confirm_cosign", f.EmptyForm, lambda u, b, d: svc.bill_confirm_cosign(actor=u, bill=b), available=_invited,
               style="success"),
        Action("decline_cosign", f.OptionalReasonForm, lambda u, b, d: svc.bill_decline_cosign(actor=u, bill=b, reason=d["reason"]),
               available=_invited, style="outline-secondary"),
        Action("submit", f.EmptyForm, lambda u, b, d: svc.bill_submit(actor=u, bill=b), style="success",
               confirm=_("提交后不能再修改，确定提交吗？"), checks=svc.bill_submit_unmet_for),
        Action("withdraw", f.OptionalReasonForm, lambda u, b, d: svc.bill_withdraw(actor=u, bill=b, reason=d["reason"]),
               style="outline-danger"),
        Action("register", f.EmptyForm, lambda u, b, d: svc.bill_register(actor=u, bill=b)),
        Action("put_on_agenda", f.OptionalReasonForm, lambda u, b, d: svc.bill_put_on_agenda(actor=u, bill=b, reason=d["reason"])),
        Action("adopt", f.OptionalReasonForm, lambda u, b, d: svc.bill_adopt(actor=u, bill=b, reason=d["reason"]), style="success"),
        Action("not_adopt", f.OptionalReasonForm, lambda u, b, d: svc.bill_not_adopt(actor=u, bill=b, reason=d["reason"]),
               style="outline-danger"),
        Action("refer", f.ReferForm, lambda u, b, d: svc.bill_refer(actor=u, bill=b, committee=d["committee"], reason=d["reason"])),
        Action("committee_report", f.CommitteeReportForm, lambda u, b, d: svc.bill_committee_report(actor=u, bill=b, text=d["text"])),
        Action("conclude", f.OptionalReasonForm, lambda u, b, d: svc.bill_conclude(actor=u, bill=b, reason=d["reason"]),
               style="success"),
        Action("convert", f.ConvertForm, lambda u, b, d: svc.bill_convert(actor=u, bill=b, reason=d["reason"], category=d["category"]),
               style="outline-secondary"),
        Action("not_a_bill", f.ReasonForm, lambda u, b, d: svc.bill_not_a_bill(actor=u, bill=b, reason=d["reason"]),
               style="outline-danger"),
    ]
}
assert set(BILL_ACTIONS) <= set(BILL_TRANSITIONS)


def bill_actions_for(user, b) -> list[tuple[Action, str]]:
    ctx = BillContext(user, b)
    return [(a, BILL_TRANSITIONS[n].label) for n, a in BILL_ACTIONS.items() if ctx.allowed(n) and a.available(ctx)]


OPINION_ACTIONS: dict[str, Action] = {
    "route": Action("route", f.OpinionRouteForm, lambda u, o, d: svc.opinion_route(
        actor=u, opinion=o, unit=d["unit"], office=d["office"], note=d["note"])),
    "answer": Action("answer", f.OpinionAnswerForm, lambda u, o, d: svc.opinion_answer(actor=u, opinion=o, answer=d["answer"]),
                     style="success"),
    # The deputy's own steps on an opinion left for them (代表码 and station receptions).
    "reply": Action("reply", f.OpinionReplyForm, lambda u, o, d: svc.opinion_reply(
        actor=u, opinion=o, answer=d["answer"], version=d["version"]), style="success"),
    # The page opens the whole suggestion form filled with the opinion (views.opinion_action
    # sends it there); the API takes the draft's fields directly.
    "to_suggestion": Action("to_suggestion", f.OpinionToSuggestionForm, lambda u, o, d: svc.opinion_to_suggestion(
        actor=u, opinion=o, title=d["title"], situation=d["situation"] or o.content, proposal=d["proposal"],
        category=d["category"]), style="outline-primary"),
    "pass_station": Action("pass_station", f.OpinionPassStationForm, lambda u, o, d: svc.opinion_pass_station(
        actor=u, opinion=o, station=d["station"], note=d["note"], version=d["version"]), style="outline-secondary"),
    "pass_unit": Action("pass_unit", f.OpinionPassUnitForm, lambda u, o, d: svc.opinion_pass_unit(
        actor=u, opinion=o, unit=d["unit"], note=d["note"], version=d["version"]), style="outline-secondary"),
    "close": Action("close", f.EmptyForm, lambda u, o, d: svc.opinion_close(actor=u, opinion=o),
                    style="outline-success", confirm=_("办结后群众查询时将显示“已办结”，确定吗？")),
}


def opinion_actions_for(user, o) -> list[tuple[Action, str]]:
    kinds = svc._opinion_kinds(user, o)
    result = []
    for name, action in OPINION_ACTIONS.items():
        t = OPINION_TRANSITIONS[name]
        if o.status in t.sources and kinds & t.actors:
            result.append((action, t.label))
    return result

