"""Every write on deputies' bills, suggestions, activities and citizens' opinions.

Each transition of domain §2 is one function `suggestion_<verb>(*, actor, suggestion, ...)`
(or `bill_<verb>`, `opinion_<verb>`): it locks the row, checks the current state and the
actor against the tables in choices.py, makes the change, writes history and the
notifications in the same transaction. Views, the API, imports, tasks and the admin all
call these; none re-implements a rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.exceptions import EditConflict, NotAllowed, ServiceError, check_version
from congress.history import record_change, snapshot
from congress.models import Attachment, AuditEntry, CongressSession, Deputy, HandlingUnit, LiaisonStation, Office, User
from congress.models.reference import new_qr_token
from congress.notifications import Level, notify
from congress.periods import period
from congress.roles import Role
from congress.workdays import add_months, add_working_days, deadline_after_months, today

from .choices import (
    ACTIVE_ASSIGNMENT_STATUSES,
    BILL_TRANSITIONS,
    OPINION_TRANSITIONS,
    RESPONDING_ROLES,
    SUGGESTION_TRANSITIONS,
    Actor,
    AssignmentRole,
    AssignmentStatus,
    BillStatus,
    ClosingKind,
    CoSignStatus,
    FollowUpStatus,
    KeyLevel,
    OpinionSource,
    Period,
    Rating,
    ReplyStatus,
    RequestStatus,
    SuggestionStatus,
    Transition,
)
from .models import (
    Activity,
    Assignment,
    Bill,
    CitizenOpinion,
    Contact,
    CoSignature,
    Evaluation,
    ExtensionRequest,
    FollowUp,
    ProgressReport,
    Reply,
    ReplyCategory,
    ReturnRequest,
    SerialCounter,
    Suggestion,
    SuggestionCategory,
)

S = SuggestionStatus
LETTER_KIND = "reply_letter"
SUGGESTION_FILE_KIND = "suggestion"
BILL_FILE_KIND = "bill"


# --------------------------------------------------------------------------- helpers
def field_error(field: str, message) -> ServiceError:
    return ServiceError({field: [str(message)]})


def _required(field: str, value, message=None) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else value
    if not text:
        raise field_error(field, message or _("请填写此项。"))
    return text


def deputy_of(user) -> Deputy | None:
    """The deputy record of a signed-in deputy, or None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_deputy:
        return None
    cached = getattr(user, "_deputy_record", None)
    if cached is None:
        cached = Deputy.objects.filter(user=user).first()
        user._deputy_record = cached
    return cached


def current_session(on: dt.date | None = None) -> CongressSession | None:
    """The latest congress session that has opened: items count against it (the recess
    after a session belongs to that session's numbering)."""
    on = on or today()
    qs = CongressSession.objects.select_related("term").order_by("-start_date")
    return qs.filter(start_date__lte=on, term__is_current=True).first() or qs.filter(start_date__lte=on).first() or qs.first()


def period_for(session: CongressSession, on: dt.date) -> str:
    # Items sent in while the session sits have their own receiving office and clock (domain §2).
    return Period.SESSION if session.start_date <= on <= session.end_date else Period.RECESS


def office_users():
    return User.objects.filter(is_active=True, role=Role.ASSIGNING_CLERK)


def unit_users(unit_ids: Iterable[int], roles: Iterable[str] | None = None):
    qs = User.objects.filter(is_active=True, unit_id__in=list(unit_ids), role__in=list(roles or (Role.UNIT_CLERK, Role.UNIT_HEAD)))
    return qs


def deputy_users(s: Suggestion, *, cosigners: bool = True, merged: bool = False) -> list[User]:
    """The lead deputy, confirmed co-signers (joint items are answered to every co-signer)
    and, for replies, the deputies whose items were merged into this one."""
    users = []
    if s.lead_deputy.user_id:
        users.append(s.lead_deputy.user)
    if cosigners:
        users += [
            c.deputy.user
            for c in s.cosignatures.filter(status=CoSignStatus.CONFIRMED).select_related("deputy__user")
            if c.deputy.user_id
        ]
    if merged:
        for m in s.merged_items.select_related("lead_deputy__user"):
            if m.lead_deputy.user_id:
                users.append(m.lead_deputy.user)
            users += [
                c.deputy.user
                for c in m.cosignatures.filter(status=CoSignStatus.CONFIRMED).select_related("deputy__user")
                if c.deputy.user_id
            ]
    return users


def suggestion_url(s: Suggestion) -> str:
    return reverse("deputies:suggestion-detail", args=[s.pk])


def bill_url(b: Bill) -> str:
    return reverse("deputies:bill-detail", args=[b.pk])


def _state_error(obj, t: Transition) -> ServiceError:
    return ServiceError(
        _("当前状态为“%(state)s”，不能%(action)s。") % {"state": obj.get_status_display(), "action": t.label}
    )


def _check(table: dict, name: str, obj, actor, kinds: set) -> Transition:
    """Refuse a wrong state first (ServiceError), then a wrong actor (NotAllowed)."""
    t = table[name]
    if obj.status not in t.sources:
        raise _state_error(obj, t)
    if not (kinds & t.actors):
        raise NotAllowed(t.refusal)
    return t


def _actor_assignment(actor, s: Suggestion) -> Assignment | None:
    """The actor's unit's live assignment on this item (units only ever act on their own)."""
    if actor is None or not actor.is_authenticated or not actor.is_unit_user or not actor.unit_id:
        return None
    return (
        s.assignments.filter(unit_id=actor.unit_id, status__in=ACTIVE_ASSIGNMENT_STATUSES)
        .select_related("unit")
        .first()
    )


def _suggestion_kinds(actor, s: Suggestion, assignment: Assignment | None = None, *, cosigned: bool | None = None) -> set:
    if actor is None:
        return {Actor.SYSTEM}
    kinds = set()
    if not actor.is_authenticated or not actor.is_active:
        return kinds
    dep = deputy_of(actor)
    if dep is not None:
        if s.lead_deputy_id == dep.pk:
            kinds.add(Actor.LEAD)
        if cosigned if cosigned is not None else s.cosignatures.filter(deputy=dep).exists():
            kinds.add(Actor.INVITEE)
    if actor.is_assigning_clerk:
        kinds.add(Actor.OFFICE)
    if actor.is_leader:
        kinds.add(Actor.LEADER)
    if actor.is_internal:
        kinds.add(Actor.STAFF)
    if assignment is not None:
        kinds.add(Actor.UNIT)
        if actor.role == Role.UNIT_CLERK:
            kinds.add(Actor.UNIT_CLERK)
        if actor.role == Role.UNIT_HEAD:
            kinds.add(Actor.UNIT_HEAD)
    return kinds


def _bill_kinds(actor, b: Bill) -> set:
    kinds = set()
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return kinds
    dep = deputy_of(actor)
    if dep is not None:
        if b.lead_deputy_id == dep.pk:
            kinds.add(Actor.LEAD)
        if b.cosignatures.filter(deputy=dep).exists():
            kinds.add(Actor.INVITEE)
    if actor.is_assigning_clerk:
        kinds.add(Actor.OFFICE)
    # The committee a bill was referred to reports on it itself.
    if actor.is_internal and b.committee_id and actor.office_id == b.committee_id:
        kinds.add(Actor.STAFF)
    return kinds


def _lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def _transition_save(obj, actor, before: dict, summary: str, reason: str = "") -> None:
    """Bump the version, save, and write one TRANSITION history entry with what changed."""
    obj.version = (obj.version or 0) + 1
    obj.save()
    record_change(
        obj=obj,
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        before=before,
        after=snapshot(obj),
        summary=summary,
        reason=reason,
    )


def _note(obj, actor, summary: str, reason: str = "", changes: dict | None = None) -> None:
    """A history entry for something that happened to the item without changing its fields
    (a unit signed, an opinion came in): the timeline shows every step."""
    record_change(
        obj=obj, actor=actor, action=AuditEntry.Action.COMMENT, changes=changes or {}, summary=summary, reason=reason
    )


def _next_serial(session: CongressSession, kind: str) -> int:
    counter, _created = SerialCounter.objects.get_or_create(session=session, kind=kind)
    counter = SerialCounter.objects.select_for_update().get(pk=counter.pk)
    model = Suggestion if kind == "suggestion" else Bill
    used = model.objects.filter(session=session).aggregate(m=Max("serial"))["m"] or 0
    counter.last = max(counter.last, used) + 1
    counter.save(update_fields=["last"])
    return counter.last


def _attach(*, obj, actor, file, kind: str) -> Attachment:
    return Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        file=file,
        name=getattr(file, "name", "") or _("附件"),
        kind=kind,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def attachments_of(obj, kind: str | None = None):
    qs = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return qs.filter(kind=kind) if kind else qs


# --------------------------------------------------------------------------- drafting
@transaction.atomic
def suggestion_create(
    *,
    actor,
    title: str,
    situation: str,
    proposal: str,
    category: SuggestionCategory | None = None,
    session: CongressSession | None = None,
    is_public: bool = True,
    is_confidential: bool = False,
    files: Iterable = (),
) -> Suggestion:
    """A deputy writes a suggestion; it stays a private draft until submitted."""
    dep = deputy_of(actor)
    if dep is None:
        raise NotAllowed(_("只有人大代表可以提出建议。"))
    session = session or current_session()
    if session is None:
        raise ServiceError(_("尚未设置人代会，暂不能提出建议。"))
    s = Suggestion.objects.create(
        term_id=session.term_id,
        session=session,
        period=period_for(session, today()),
        title=_required("title", title),
        situation=_required("situation", situation),
        proposal=_required("proposal", proposal),
        category=category,
        lead_deputy=dep,
        created_by=actor,
        is_public=is_public,
        is_confidential=is_confidential,
    )
    for f in files:
        _attach(obj=s, actor=actor, file=f, kind=SUGGESTION_FILE_KIND)
    record_change(obj=s, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(s), summary=_("起草建议"))
    return s


UPDATABLE_FIELDS = ["title", "situation", "proposal", "category", "is_public", "is_confidential"]


@transaction.atomic
def suggestion_update(*, actor, suggestion: Suggestion, version, files: Iterable = (), **fields) -> Suggestion:
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "update", s, actor, _suggestion_kinds(actor, s))
    check_version(s, version)
    before = snapshot(s)
    for name in ("title", "situation", "proposal"):
        if name in fields:
            setattr(s, name, _required(name, fields[name]))
    for name in ("category", "is_public", "is_confidential"):
        if name in fields:
            setattr(s, name, fields[name])
    for f in files:
        _attach(obj=s, actor=actor, file=f, kind=SUGGESTION_FILE_KIND)
    s.version += 1
    s.save()
    record_change(obj=s, actor=actor, before=before, after=snapshot(s), summary=_("修改建议"))
    return s


def attachment_add(*, actor, obj, file) -> Attachment:
    """Attach a file to a draft suggestion or bill (its lead deputy) or to any sent-in item
    (the assigning office)."""
    table = SUGGESTION_TRANSITIONS if isinstance(obj, Suggestion) else BILL_TRANSITIONS
    kinds = _suggestion_kinds(actor, obj) if isinstance(obj, Suggestion) else _bill_kinds(actor, obj)
    if Actor.OFFICE not in kinds:
        _check(table, "update", obj, actor, kinds)
    with transaction.atomic():
        att = _attach(obj=obj, actor=actor, file=file,
                      kind=SUGGESTION_FILE_KIND if isinstance(obj, Suggestion) else BILL_FILE_KIND)
        _note(obj, actor, _("上传附件：%(name)s") % {"name": att.name})
    return att


# --------------------------------------------------------------------------- co-signing (both kinds)
def _item_kinds(actor, item):
    return _suggestion_kinds(actor, item) if isinstance(item, Suggestion) else _bill_kinds(actor, item)


def _table(item):
    return SUGGESTION_TRANSITIONS if isinstance(item, Suggestion) else BILL_TRANSITIONS


def _item_url(item):
    return suggestion_url(item) if isinstance(item, Suggestion) else bill_url(item)


def _item_word(item) -> str:
    return _("建议") if isinstance(item, Suggestion) else _("议案")


def _invite(*, actor, item, deputies: Iterable[Deputy]) -> list[CoSignature]:
    item = _lock(type(item), item)
    _check(_table(item), "invite", item, actor, _item_kinds(actor, item))
    deputies = [d for d in deputies if d is not None]
    if not deputies:
        raise field_error("deputies", _("请选择要邀请的代表。"))
    created = []
    fk = "suggestion" if isinstance(item, Suggestion) else "bill"
    for d in deputies:
        if d.pk == item.lead_deputy_id:
            raise field_error("deputies", _("领衔代表不需要邀请自己。"))
        if d.term_id != item.term_id or not d.is_active:
            raise field_error("deputies", _("%(name)s不是本届在任代表。") % {"name": d.name})
        cs, was_created = CoSignature.objects.get_or_create(**{fk: item, "deputy": d})
        if not was_created:
            if cs.status == CoSignStatus.CONFIRMED:
                continue
            cs.status = CoSignStatus.INVITED
            cs.responded_at = None
            cs.note = ""
            cs.save()
        created.append(cs)
    if created:
        _note(item, actor, _("邀请附议：%(names)s") % {"names": "、".join(c.deputy.name for c in created)})
        notify(
            recipients=[c.deputy.user for c in created if c.deputy.user_id],
            title=_("%(lead)s代表邀请您附议%(kind)s《%(title)s》")
            % {"lead": item.lead_deputy.name, "kind": _item_word(item), "title": item.title},
            body=_("请在“待确认附议”中确认或谢绝。"),
            url=_item_url(item),
            level=Level.ACTION,
            target=item,
        )
    return created


def _uninvite(*, actor, item, deputy: Deputy) -> None:
    item = _lock(type(item), item)
    _check(_table(item), "uninvite", item, actor, _item_kinds(actor, item))
    deleted, _x = item.cosignatures.filter(deputy=deputy).delete()
    if not deleted:
        raise field_error("deputy", _("该代表不在附议名单中。"))
    _note(item, actor, _("取消邀请：%(name)s") % {"name": deputy.name})


def _respond(*, actor, item, confirm: bool, note: str = "") -> CoSignature:
    item = _lock(type(item), item)
    name = "confirm_cosign" if confirm else "decline_cosign"
    _check(_table(item), name, item, actor, _item_kinds(actor, item))
    dep = deputy_of(actor)
    cs = item.cosignatures.select_for_update().get(deputy=dep)
    if cs.status != CoSignStatus.INVITED:
        raise ServiceError(_("您已答复过该邀请（%(status)s）。") % {"status": cs.get_status_display()})
    cs.status = CoSignStatus.CONFIRMED if confirm else CoSignStatus.DECLINED
    cs.responded_at = timezone.now()
    cs.note = note or ""
    cs.save()
    summary = (_("%(name)s确认附议") if confirm else _("%(name)s谢绝附议")) % {"name": dep.name}
    _note(item, actor, summary, reason=note)
    notify(
        recipients=[item.lead_deputy.user] if item.lead_deputy.user_id else [],
        title=_("%(summary)s：《%(title)s》") % {"summary": summary, "title": item.title},
        body=note,
        url=_item_url(item),
        target=item,
    )
    return cs


@transaction.atomic
def suggestion_invite(*, actor, suggestion: Suggestion, deputies: Iterable[Deputy]) -> list[CoSignature]:
    return _invite(actor=actor, item=suggestion, deputies=deputies)


@transaction.atomic
def suggestion_uninvite(*, actor, suggestion: Suggestion, deputy: Deputy) -> None:
    _uninvite(actor=actor, item=suggestion, deputy=deputy)


@transaction.atomic
def suggestion_confirm_cosign(*, actor, suggestion: Suggestion) -> CoSignature:
    return _respond(actor=actor, item=suggestion, confirm=True)


@transaction.atomic
def suggestion_decline_cosign(*, actor, suggestion: Suggestion, reason: str = "") -> CoSignature:
    return _respond(actor=actor, item=suggestion, confirm=False, note=reason)


# --------------------------------------------------------------------------- submission and review
def submit_unmet(s: Suggestion) -> list[tuple[str, str]]:
    """What still keeps a draft from being submitted: invited co-signers who have not
    answered. The service refuses on it; the edit page and the 提交 step list it first."""
    pending = s.cosignatures.filter(status=CoSignStatus.INVITED).count() if s.pk else 0
    if pending:
        return [("", str(_("尚有%(n)s位受邀代表未确认附议：请等待确认或取消邀请后再提交。") % {"n": pending}))]
    return []


def submit_unmet_for(actor, s: Suggestion) -> list[tuple[str, str]]:
    return submit_unmet(s)


@transaction.atomic
def suggestion_submit(*, actor, suggestion: Suggestion, version=None) -> Suggestion:
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "submit", s, actor, _suggestion_kinds(actor, s))
    if version is not None:
        check_version(s, version)
    for _field, message in submit_unmet(s):
        raise ServiceError(message)
    before = snapshot(s)
    resubmitted = s.submitted_at is not None
    s.status = S.SUBMITTED
    s.submitted_at = timezone.now()
    s.received_on = today()
    s.period = period_for(s.session, s.received_on)
    _transition_save(s, actor, before, _("重新提交建议") if resubmitted else _("提交建议"))
    notify(
        recipients=office_users(),
        title=_("收到代表建议：%(title)s（%(deputy)s）") % {"title": s.title, "deputy": s.lead_deputy.name},
        body=_("请登记并审查。"),
        url=suggestion_url(s),
        level=Level.ACTION,
        target=s,
    )
    return s


@transaction.atomic
def suggestion_withdraw(*, actor, suggestion: Suggestion, reason: str = "") -> Suggestion:
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "withdraw", s, actor, _suggestion_kinds(actor, s))
    before = snapshot(s)
    was_sent = s.submitted_at is not None
    s.status = S.WITHDRAWN
    _transition_save(s, actor, before, _("代表撤回建议"), reason)
    if was_sent:
        notify(
            recipients=office_users(),
            title=_("代表撤回建议：%(s)s") % {"s": s},
            body=reason,
            url=suggestion_url(s),
            target=s,
        )
    return s


@transaction.atomic
def suggestion_register(*, actor, suggestion: Suggestion, category: SuggestionCategory | None = None) -> Suggestion:
    """Register and number the item in its session (第0123号); a resubmitted item keeps its number."""
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "register", s, actor, _suggestion_kinds(actor, s))
    before = snapshot(s)
    if not s.serial:
        s.serial = _next_serial(s.session, "suggestion")
    if category is not None:
        s.category = category
    s.registered_on = today()
    s.status = S.UNDER_REVIEW
    _transition_save(s, actor, before, _("登记编号 %(n)s") % {"n": s.number})
    notify(
        recipients=deputy_users(s, cosigners=False),
        title=_("您的建议已登记：%(s)s") % {"s": s},
        url=suggestion_url(s),
        target=s,
    )
    return s


@transaction.atomic
def suggestion_accept(
    *,
    actor,
    suggestion: Suggestion,
    category: SuggestionCategory | None = None,
    is_complex: bool | None = None,
    suggested_unit: HandlingUnit | None = None,
    reason: str = "",
) -> Suggestion:
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "accept", s, actor, _suggestion_kinds(actor, s))
    before = snapshot(s)
    if category is not None:
        s.category = category
    if is_complex is not None:
        s.is_complex = is_complex
    if suggested_unit is not None:
        s.suggested_unit = suggested_unit
    s.accepted_on = today()
    s.review_reason = reason or ""
    s.status = S.ACCEPTED
    _transition_save(s, actor, before, _("立案"), reason)
    notify(
        recipients=deputy_users(s),
        title=_("您的建议已立案：%(s)s") % {"s": s},
        body=_("交办后将通知您承办单位和答复期限。"),
        url=suggestion_url(s),
        target=s,
    )
    return s


@transaction.atomic
def suggestion_return_for_revision(*, actor, suggestion: Suggestion, reason: str) -> Suggestion:
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "return_for_revision", s, actor, _suggestion_kinds(actor, s))
    reason = _required("reason", reason, _("请说明退回修改的理由。"))
    before = snapshot(s)
    s.status = S.DRAFT
    s.review_reason = reason
    _transition_save(s, actor, before, _("退回修改"), reason)
    notify(
        recipients=deputy_users(s, cosigners=False),
        title=_("您的建议被退回修改：%(s)s") % {"s": s},
        body=reason,
        url=suggestion_url(s),
        level=Level.ACTION,
        target=s,
    )
    return s


@transaction.atomic
def suggestion_reject(*, actor, suggestion: Suggestion, reason: str, as_letter: bool = False) -> Suggestion:
    """Not admissible (personal matters, petitions, pending cases …): not treated as a
    suggestion, optionally handled as a deputy's letter (代表来信)."""
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "reject", s, actor, _suggestion_kinds(actor, s))
    reason = _required("reason", reason, _("请说明不予立案的理由。"))
    before = snapshot(s)
    s.status = S.REJECTED
    s.review_reason = reason
    s.rejected_as_letter = bool(as_letter)
    _transition_save(s, actor, before, _("作为代表来信处理") if as_letter else _("不作为建议处理"), reason)
    notify(
        recipients=deputy_users(s),
        title=_("您的建议不作为建议处理：%(s)s") % {"s": s},
        body=reason,
        url=suggestion_url(s),
        target=s,
    )
    return s


MERGE_TARGET_STATUSES = [S.UNDER_REVIEW, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REQUESTED]


@transaction.atomic
def suggestion_merge(*, actor, suggestion: Suggestion, into: Suggestion, reason: str = "") -> Suggestion:
    """Merge a duplicate into a similar item (并案): it is handled once, and each deputy
    still gets the reply (domain §2)."""
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "merge", s, actor, _suggestion_kinds(actor, s))
    if into is None:
        raise field_error("into", _("请选择并入的建议。"))
    into = _lock(Suggestion, into)
    if into.pk == s.pk:
        raise field_error("into", _("不能并入建议本身。"))
    if into.term_id != s.term_id:
        raise field_error("into", _("只能并入本届的建议。"))
    if into.status not in MERGE_TARGET_STATUSES or into.merged_into_id:
        raise field_error("into", _("%(s)s当前状态为“%(state)s”，不能作为并案的主件。")
                          % {"s": into, "state": into.get_status_display()})
    before = snapshot(s)
    s.status = S.MERGED
    s.merged_into = into
    s.review_reason = reason or ""
    _transition_save(s, actor, before, _("并入%(n)s办理") % {"n": into.number or into.title}, reason)
    # Items merged into this one follow it to the new main item.
    Suggestion.objects.filter(merged_into=s).update(merged_into=into)
    _note(into, actor, _("并入：%(s)s（%(d)s）") % {"s": s, "d": s.lead_deputy.name}, reason)
    notify(
        recipients=deputy_users(s),
        title=_("您的建议已与%(n)s并案办理") % {"n": into},
        body=_("承办单位答复时，您也会收到答复。"),
        url=suggestion_url(s),
        target=s,
    )
    return s


# --------------------------------------------------------------------------- assignment
def reply_due_for(assigned_on: dt.date, is_complex: bool) -> dt.date:
    """Deputies Law art. 51: reply within 3 months of assignment, 6 for complex items; the
    period ends on the next working day when it falls on a holiday (Civil Code art. 203)."""
    months = period("complex_reply_months") if is_complex else period("reply_months")
    return deadline_after_months(assigned_on, months)


def _assignment_dates(role: str, assigned_on: dt.date, is_complex: bool) -> tuple[dt.date, dt.date]:
    if role == AssignmentRole.CO:
        due = deadline_after_months(assigned_on, period("cohandler_opinion_months"))
    else:
        due = reply_due_for(assigned_on, is_complex)
    return due, add_working_days(assigned_on, period("return_window_working_days"))


def _refresh_due(s: Suggestion) -> None:
    due = (
        s.assignments.filter(role__in=RESPONDING_ROLES, status__in=ACTIVE_ASSIGNMENT_STATUSES)
        .aggregate(m=Max("due_date"))["m"]
    )
    s.due_date = due


@transaction.atomic
def suggestion_assign(
    *,
    actor,
    suggestion: Suggestion,
    lead_unit: HandlingUnit | None = None,
    co_units: Iterable[HandlingUnit] = (),
    separate_units: Iterable[HandlingUnit] = (),
    is_complex: bool | None = None,
    assigned_on: dt.date | None = None,
    reason: str = "",
) -> Suggestion:
    """Assign to a lead unit (主办) with co-handlers (协办/会办), or to several units each
    answering separately (分别办理). The reply is due 3 months later (6 if complex)."""
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "assign", s, actor, _suggestion_kinds(actor, s))
    co_units = [u for u in co_units if u is not None]
    separate_units = [u for u in separate_units if u is not None]
    if lead_unit is None and not separate_units:
        raise field_error("lead_unit", _("请选择主办单位，或选择分别办理的单位。"))
    if lead_unit is not None and separate_units:
        raise field_error("separate_units", _("主办与分别办理不能同时选择。"))
    if separate_units and co_units:
        raise field_error("co_units", _("分别办理时不设协办单位。"))
    all_units = ([lead_unit] if lead_unit else []) + co_units + separate_units
    if len({u.pk for u in all_units}) != len(all_units):
        raise field_error("co_units", _("同一单位不能重复交办。"))
    inactive = [u.name for u in all_units if not u.is_active]
    if inactive:
        raise field_error("lead_unit", _("%(u)s已停用。") % {"u": "、".join(inactive)})
    if s.assignments.filter(unit__in=all_units, status__in=ACTIVE_ASSIGNMENT_STATUSES).exists():
        raise field_error("lead_unit", _("该单位已在办理此建议。"))
    before = snapshot(s)
    if is_complex is not None:
        s.is_complex = is_complex
    assigned_on = assigned_on or today()
    plan = [(lead_unit, AssignmentRole.LEAD)] if lead_unit else []
    plan += [(u, AssignmentRole.CO) for u in co_units] + [(u, AssignmentRole.SEPARATE) for u in separate_units]
    for unit, role in plan:
        due, return_deadline = _assignment_dates(role, assigned_on, s.is_complex)
        Assignment.objects.create(
            suggestion=s, unit=unit, role=role, assigned_on=assigned_on, due_date=due, original_due_date=due,
            return_deadline=return_deadline,
        )
    s.assigned_on = assigned_on
    s.status = S.ASSIGNED
    _refresh_due(s)
    names = "；".join(f"{u.name}（{AssignmentRole(role).label}）" for u, role in plan)
    _transition_save(s, actor, before, _("交办：%(names)s，答复期限%(due)s") % {"names": names, "due": s.due_date}, reason)
    for unit, role in plan:
        due, return_deadline = _assignment_dates(role, assigned_on, s.is_complex)
        notify(
            recipients=unit_users([unit.pk]),
            title=_("新交办代表建议（%(role)s）：%(s)s") % {"role": AssignmentRole(role).label, "s": s},
            body=_("请在签收后办理；期限%(due)s；如不属本单位职责，请于%(rd)s前申请退回。")
            % {"due": due, "rd": return_deadline},
            url=suggestion_url(s),
            level=Level.ACTION,
            target=s,
        )
    notify(
        recipients=deputy_users(s),
        title=_("您的建议已交办：%(s)s") % {"s": s},
        body=_("承办单位：%(names)s；答复期限：%(due)s。") % {"names": names, "due": s.due_date},
        url=suggestion_url(s),
        target=s,
    )
    return s


@transaction.atomic
def suggestion_bulk_assign(*, actor, rows: list[dict], assigned_on: dt.date | None = None) -> list[Suggestion]:
    """Assignment meeting (交办会): many items at once. Any refused row refuses them all,
    with every row's message, so the meeting's list is assigned whole or not at all."""
    if not actor.is_assigning_clerk:
        raise NotAllowed(SUGGESTION_TRANSITIONS["assign"].refusal)
    if not rows:
        raise ServiceError(_("请至少选择一件建议。"))
    errors = []
    done = []
    sid = transaction.savepoint()
    for row in rows:
        s = row["suggestion"]
        try:
            with transaction.atomic():
                done.append(
                    suggestion_assign(
                        actor=actor,
                        suggestion=s,
                        lead_unit=row.get("lead_unit"),
                        co_units=row.get("co_units") or (),
                        separate_units=row.get("separate_units") or (),
                        is_complex=row.get("is_complex"),
                        assigned_on=assigned_on,
                    )
                )
        except (ServiceError, NotAllowed) as exc:
            msgs = exc.messages if hasattr(exc, "messages") else [str(exc)]
            errors.append(f"{s.number or s.title}：{'；'.join(str(m) for m in msgs)}")
    if errors:
        transaction.savepoint_rollback(sid)
        raise ServiceError(errors)
    transaction.savepoint_commit(sid)
    return done


@transaction.atomic
def suggestion_mark_key(
    *,
    actor,
    suggestion: Suggestion,
    level: str,
    leader: User | None = None,
    office: Office | None = None,
    reason: str = "",
) -> Suggestion:
    """Key supervision (重点督办), chosen by the council of chairpersons (Deputies Law art. 52):
    a level and the supervising leader or office. An empty level removes the mark."""
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "mark_key", s, actor, _suggestion_kinds(actor, s))
    if level and level not in KeyLevel.values:
        raise field_error("level", _("督办级别无效。"))
    if level and leader is None and office is None:
        raise field_error("leader", _("请选择督办领导或督办委室。"))
    if leader is not None and not leader.is_leader:
        raise field_error("leader", _("督办领导须为常委会主任、副主任或秘书长。"))
    before = snapshot(s)
    s.key_level = level or ""
    s.key_leader = leader if level else None
    s.key_office = office if level else None
    s.key_marked_on = today() if level else None
    summary = _("确定为重点督办：%(l)s") % {"l": KeyLevel(level).label} if level else _("取消重点督办")
    _transition_save(s, actor, before, summary, reason)
    recipients = list(unit_users(s.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).values_list("unit_id", flat=True)))
    if leader:
        recipients.append(leader)
    notify(recipients=recipients, title=_("%(summary)s：%(s)s") % {"summary": summary, "s": s},
           body=reason, url=suggestion_url(s), target=s)
    return s


# --------------------------------------------------------------------------- handling units
def _unit_assignment_for(actor, s: Suggestion, name: str) -> tuple[Assignment | None, Transition]:
    assignment = _actor_assignment(actor, s)
    t = _check(SUGGESTION_TRANSITIONS, name, s, actor, _suggestion_kinds(actor, s, assignment))
    return assignment, t


def _settle_status(s: Suggestion) -> None:
    """The item's state after a return request is decided (other requests may be pending)."""
    active = s.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES)
    if active.filter(status=AssignmentStatus.RETURN_REQUESTED).exists():
        s.status = S.RETURN_REQUESTED
    elif not active.filter(role__in=RESPONDING_ROLES).exists():
        s.status = S.ACCEPTED
    elif active.exclude(status=AssignmentStatus.ASSIGNED).exists():
        s.status = S.IN_PROGRESS
    else:
        s.status = S.ASSIGNED


@transaction.atomic
def suggestion_sign(*, actor, suggestion: Suggestion) -> Assignment:
    s = _lock(Suggestion, suggestion)
    assignment, t = _unit_assignment_for(actor, s, "sign")
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise ServiceError(_("本单位已签收此建议。"))
    assignment.status = AssignmentStatus.SIGNED
    assignment.signed_at = timezone.now()
    assignment.signed_by = actor
    assignment.version += 1
    assignment.save()
    before = snapshot(s)
    _settle_status(s)  # IN_PROGRESS, unless another unit's return request is still pending
    _transition_save(s, actor, before, _("%(u)s签收") % {"u": assignment.unit.name})
    notify(
        recipients=deputy_users(s, cosigners=False),
        title=_("%(u)s已签收您的建议：%(s)s") % {"u": assignment.unit.name, "s": s},
        url=suggestion_url(s),
        target=s,
    )
    return assignment


def return_window_open(assignment: Assignment, on: dt.date | None = None) -> bool:
    """After the window the return button is gone (domain §2, sign-off and return)."""
    on = on or today()
    return (
        on <= assignment.return_deadline
        and assignment.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED)
    )


@transaction.atomic
def suggestion_request_return(
    *, actor, suggestion: Suggestion, reason: str, suggested_unit: HandlingUnit | None = None
) -> ReturnRequest:
    s = _lock(Suggestion, suggestion)
    assignment, t = _unit_assignment_for(actor, s, "request_return")
    reason = _required("reason", reason, _("请说明申请退回的理由。"))
    if assignment.status not in (AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED):
        raise ServiceError(_("本单位当前办理状态为“%(st)s”，不能申请退回。") % {"st": assignment.get_status_display()})
    if today() > assignment.return_deadline:
        raise ServiceError(
            _("申请退回的期限已于%(d)s届满，请按要求办理。") % {"d": assignment.return_deadline}
        )
    if suggested_unit is not None and suggested_unit.pk == assignment.unit_id:
        raise field_error("suggested_unit", _("建议改由的单位不能是本单位。"))
    req = ReturnRequest.objects.create(
        assignment=assignment, suggestion=s, reason=reason, suggested_unit=suggested_unit,
        previous_status=assignment.status, requested_by=actor,
    )
    assignment.status = AssignmentStatus.RETURN_REQUESTED
    assignment.version += 1
    assignment.save()
    before = snapshot(s)
    s.status = S.RETURN_REQUESTED
    _transition_save(s, actor, before, _("%(u)s申请退回") % {"u": assignment.unit.name}, reason)
    notify(
        recipients=office_users(),
        title=_("%(u)s申请退回建议：%(s)s") % {"u": assignment.unit.name, "s": s},
        body=reason,
        url=suggestion_url(s),
        level=Level.ACTION,
        target=s,
    )
    return req


def _pending(qs, request, label):
    if request is not None:
        req = qs.select_for_update().filter(pk=request.pk).first()
    else:
        req = qs.select_for_update().filter(status=RequestStatus.PENDING).first()
    if req is None or req.status != RequestStatus.PENDING:
        raise ServiceError(_("没有待审批的%(label)s。") % {"label": label})
    return req


@transaction.atomic
def suggestion_approve_return(*, actor, suggestion: Suggestion, request: ReturnRequest | None = None, reason: str = "") -> Suggestion:
    """Only the assigning office approves a return; when no answering unit is left the item
    goes back to be assigned again (to the unit the requester suggested, if any)."""
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "approve_return", s, actor, _suggestion_kinds(actor, s))
    req = _pending(s.return_requests.all(), request, _("退回申请"))
    req.status = RequestStatus.APPROVED
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.decision_reason = reason or ""
    req.save()
    a = req.assignment
    a.status = AssignmentStatus.RETURNED
    a.version += 1
    a.save()
    released = []
    if a.is_responding and not s.assignments.filter(
        role__in=RESPONDING_ROLES, status__in=ACTIVE_ASSIGNMENT_STATUSES
    ).exists():
        # Without an answering unit the item is assigned afresh: co-handlers are released too.
        for other in s.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES):
            other.status = AssignmentStatus.RETURNED
            other.version += 1
            other.save()
            released.append(other)
    before = snapshot(s)
    _settle_status(s)
    if s.status == S.ACCEPTED:
        s.assigned_on = None
        if req.suggested_unit_id:
            s.suggested_unit_id = req.suggested_unit_id
    _refresh_due(s)
    _transition_save(s, actor, before, _("同意%(u)s退回") % {"u": a.unit.name}, reason)
    notify(
        recipients=unit_users([a.unit_id, *[o.unit_id for o in released]]),
        title=_("交办机构同意退回：%(s)s") % {"s": s},
        body=reason,
        url=reverse("deputies:suggestion-list"),
        target=s,
    )
    if s.status == S.ACCEPTED:
        notify(recipients=office_users(), title=_("建议待重新交办：%(s)s") % {"s": s},
               url=suggestion_url(s), level=Level.ACTION, target=s)
    return s


@transaction.atomic
def suggestion_refuse_return(*, actor, suggestion: Suggestion, request: ReturnRequest | None = None, reason: str) -> Suggestion:
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "refuse_return", s, actor, _suggestion_kinds(actor, s))
    reason = _required("reason", reason, _("请说明不同意退回的理由。"))
    req = _pending(s.return_requests.all(), request, _("退回申请"))
    req.status = RequestStatus.REFUSED
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.decision_reason = reason
    req.save()
    a = req.assignment
    # The unit must handle it: a refused return counts as signed for.
    a.status = AssignmentStatus.SIGNED
    if a.signed_at is None:
        a.signed_at = timezone.now()
    a.version += 1
    a.save()
    before = snapshot(s)
    _settle_status(s)
    _transition_save(s, actor, before, _("不同意%(u)s退回") % {"u": a.unit.name}, reason)
    notify(
        recipients=unit_users([a.unit_id]),
        title=_("交办机构不同意退回，请继续办理：%(s)s") % {"s": s},
        body=reason,
        url=suggestion_url(s),
        level=Level.ACTION,
        target=s,
    )
    return s


def extension_cap(assignment: Assignment) -> dt.date:
    """Deputies Law art. 51: six months at most from assignment, extensions included."""
    return deadline_after_months(assignment.assigned_on, period("extension_cap_months"))


def extension_unmet(assignment: Assignment | None) -> list[tuple[str, str]]:
    """What keeps a unit from asking for more time: it has not signed for the item, or a
    request of its own already waits for the office."""
    if assignment is None:
        return []
    if assignment.status != AssignmentStatus.SIGNED:
        return [("", str(_("本单位当前办理状态为“%(st)s”，不能申请延期。") % {"st": assignment.get_status_display()}))]
    if assignment.extension_requests.filter(status=RequestStatus.PENDING).exists():
        return [("", str(_("已有一份延期申请等待审批。")))]
    return []


def extension_unmet_for(actor, s: Suggestion) -> list[tuple[str, str]]:
    return extension_unmet(_actor_assignment(actor, s))


@transaction.atomic
def suggestion_request_extension(*, actor, suggestion: Suggestion, reason: str, requested_due: dt.date) -> ExtensionRequest:
    s = _lock(Suggestion, suggestion)
    assignment, t = _unit_assignment_for(actor, s, "request_extension")
    if not assignment.is_responding:
        raise NotAllowed(t.refusal)
    reason = _required("reason", reason, _("请说明申请延期的理由。"))
    for _field, message in extension_unmet(assignment):
        raise ServiceError(message)
    if requested_due is None:
        raise field_error("requested_due", _("请填写申请延至的日期。"))
    if requested_due <= assignment.due_date:
        raise field_error("requested_due", _("申请延至的日期须晚于现在的期限%(d)s。") % {"d": assignment.due_date})
    cap = extension_cap(assignment)
    if requested_due > cap and s.round == 1:
        raise field_error("requested_due", _("延期后不得超过交办之日起%(m)s个月（%(d)s）。")
                          % {"m": period("extension_cap_months"), "d": cap})
    req = ExtensionRequest.objects.create(
        assignment=assignment, suggestion=s, reason=reason, requested_due=requested_due, requested_by=actor
    )
    _note(s, actor, _("%(u)s申请延期至%(d)s") % {"u": assignment.unit.name, "d": requested_due}, reason)
    notify(
        recipients=office_users(),
        title=_("%(u)s申请延期：%(s)s") % {"u": assignment.unit.name, "s": s},
        body=_("申请延至%(d)s。理由：%(r)s") % {"d": requested_due, "r": reason},
        url=suggestion_url(s),
        level=Level.ACTION,
        target=s,
    )
    return req


@transaction.atomic
def suggestion_approve_extension(
    *, actor, suggestion: Suggestion, request: ExtensionRequest | None = None, reason: str = "", due: dt.date | None = None
) -> Suggestion:
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "approve_extension", s, actor, _suggestion_kinds(actor, s))
    req = _pending(s.extension_requests.all(), request, _("延期申请"))
    a = req.assignment
    new_due = due or req.requested_due
    cap = extension_cap(a)
    if new_due > cap and s.round == 1:
        raise field_error("due", _("延期后不得超过交办之日起%(m)s个月（%(d)s）。") % {"m": period("extension_cap_months"), "d": cap})
    if new_due <= a.due_date:
        raise field_error("due", _("新的期限须晚于现在的期限%(d)s。") % {"d": a.due_date})
    req.status = RequestStatus.APPROVED
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.decision_reason = reason or ""
    req.save()
    a.due_date = new_due
    a.version += 1
    a.save()
    before = snapshot(s)
    _refresh_due(s)
    _transition_save(s, actor, before, _("同意%(u)s延期至%(d)s") % {"u": a.unit.name, "d": new_due}, reason)
    notify(
        recipients=unit_users([a.unit_id]),
        title=_("延期申请已同意，期限延至%(d)s：%(s)s") % {"d": new_due, "s": s},
        body=reason,
        url=suggestion_url(s),
        target=s,
    )
    return s


@transaction.atomic
def suggestion_refuse_extension(*, actor, suggestion: Suggestion, request: ExtensionRequest | None = None, reason: str) -> Suggestion:
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "refuse_extension", s, actor, _suggestion_kinds(actor, s))
    reason = _required("reason", reason, _("请说明不同意延期的理由。"))
    req = _pending(s.extension_requests.all(), request, _("延期申请"))
    req.status = RequestStatus.REFUSED
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.decision_reason = reason
    req.save()
    _note(s, actor, _("不同意%(u)s延期") % {"u": req.assignment.unit.name}, reason)
    notify(
        recipients=unit_users([req.assignment.unit_id]),
        title=_("延期申请未同意，请按期答复：%(s)s") % {"s": s},
        body=reason,
        url=suggestion_url(s),
        level=Level.WARNING,
        target=s,
    )
    return s


def opinion_unmet(assignment: Assignment | None) -> list[tuple[str, str]]:
    """What keeps a co-handler from giving its opinion: it must have signed for the item."""
    if assignment is None:
        return []
    if assignment.status == AssignmentStatus.ASSIGNED:
        return [("", str(_("请先签收，再提交协办意见。")))]
    if assignment.status != AssignmentStatus.SIGNED:
        return [("", str(_("本单位当前办理状态为“%(st)s”，不能提交协办意见。") % {"st": assignment.get_status_display()}))]
    return []


def opinion_unmet_for(actor, s: Suggestion) -> list[tuple[str, str]]:
    return opinion_unmet(_actor_assignment(actor, s))


@transaction.atomic
def suggestion_submit_opinion(*, actor, suggestion: Suggestion, text: str) -> Assignment:
    """A co-handler gives its written opinion to the lead unit (within a month by default)."""
    s = _lock(Suggestion, suggestion)
    assignment, t = _unit_assignment_for(actor, s, "submit_opinion")
    if assignment.role != AssignmentRole.CO:
        raise NotAllowed(t.refusal)
    text = _required("text", text, _("请填写协办意见。"))
    for _field, message in opinion_unmet(assignment):
        raise ServiceError(message)
    assignment.opinion = text
    assignment.opinion_submitted_at = timezone.now()
    assignment.opinion_by = actor
    assignment.status = AssignmentStatus.OPINION_SUBMITTED
    assignment.version += 1
    assignment.save()
    _note(s, actor, _("%(u)s提交协办意见") % {"u": assignment.unit.name})
    lead_units = s.assignments.filter(role=AssignmentRole.LEAD, status__in=ACTIVE_ASSIGNMENT_STATUSES).values_list("unit_id", flat=True)
    notify(
        recipients=unit_users(lead_units),
        title=_("%(u)s已提交协办意见：%(s)s") % {"u": assignment.unit.name, "s": s},
        body=text,
        url=suggestion_url(s),
        target=s,
    )
    return assignment


@transaction.atomic
def suggestion_record_contact(*, actor, suggestion: Suggestion, contacted_on: dt.date, method: str, note: str) -> Contact:
    s = _lock(Suggestion, suggestion)
    assignment, t = _unit_assignment_for(actor, s, "record_contact")
    note = _required("note", note, _("请填写沟通情况。"))
    if contacted_on is None:
        raise field_error("contacted_on", _("请填写沟通日期。"))
    if contacted_on > today():
        raise field_error("contacted_on", _("沟通日期不能晚于今天。"))
    contact = Contact.objects.create(
        assignment=assignment, suggestion=s, contacted_on=contacted_on, method=method, note=note, recorded_by=actor
    )
    _note(s, actor, _("%(u)s与代表沟通（%(m)s）") % {"u": assignment.unit.name, "m": contact.get_method_display()}, note)
    return contact


@transaction.atomic
def suggestion_report_progress(*, actor, suggestion: Suggestion, text: str) -> ProgressReport:
    """Progress of a key-supervised item, reported monthly to the supervising office."""
    s = _lock(Suggestion, suggestion)
    assignment, t = _unit_assignment_for(actor, s, "report_progress")
    text = _required("text", text, _("请填写办理进展。"))
    report = ProgressReport.objects.create(
        assignment=assignment, suggestion=s, reported_on=today(), text=text, reported_by=actor
    )
    _note(s, actor, _("%(u)s报送办理进展") % {"u": assignment.unit.name}, text)
    recipients = list(office_users())
    if s.key_office_id:
        recipients += list(User.objects.filter(is_active=True, office_id=s.key_office_id))
    if s.key_leader_id:
        recipients.append(s.key_leader)
    notify(recipients=recipients, title=_("办理进展：%(s)s") % {"s": s}, body=text, url=suggestion_url(s), target=s)
    return report


# --------------------------------------------------------------------------- replies
def _responding_assignment(actor, s: Suggestion, name: str) -> Assignment:
    assignment, t = _unit_assignment_for(actor, s, name)
    if not assignment.is_responding:
        raise NotAllowed(t.refusal)
    if assignment.status == AssignmentStatus.ASSIGNED:
        raise ServiceError(_("请先签收，再办理答复。"))
    if assignment.status != AssignmentStatus.SIGNED:
        raise ServiceError(_("本单位当前办理状态为“%(st)s”，不能办理答复。") % {"st": assignment.get_status_display()})
    return assignment


def _round_reply(assignment: Assignment, round_: int) -> Reply | None:
    return (
        assignment.replies.select_for_update()
        .filter(round=round_)
        .exclude(status=ReplyStatus.SENT)
        .first()
    )


@transaction.atomic
def suggestion_draft_reply(
    *,
    actor,
    suggestion: Suggestion,
    text: str,
    category: ReplyCategory | None = None,
    signer: str = "",
    letter=None,
    version=None,
) -> Reply:
    """The unit's clerk drafts the reply (point by point) and uploads the signed letter."""
    s = _lock(Suggestion, suggestion)
    assignment = _responding_assignment(actor, s, "draft_reply")
    text = _required("text", text, _("请填写答复内容。"))
    reply = _round_reply(assignment, s.round)
    if reply is not None and reply.status == ReplyStatus.PENDING:
        raise ServiceError(_("答复稿已提交负责人审签，审签退回后才能修改。"))
    if reply is None:
        reply = Reply.objects.create(
            suggestion=s, assignment=assignment, round=s.round, text=text, category=category, signer=signer or "",
            drafted_by=actor,
        )
        record_change(obj=reply, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(reply), summary=_("起草答复"))
        _note(s, actor, _("%(u)s起草答复") % {"u": assignment.unit.name})
    else:
        # An existing draft is only overwritten by someone who read its current version
        # (a second clerk may have drafted it meanwhile).
        if version is None or str(version) == "":
            raise EditConflict(reply.version, _("答复稿已由他人保存。请查看最新内容后再修改，您填写的内容已保留。"))
        check_version(reply, version)
        before = snapshot(reply)
        reply.text = text
        reply.category = category
        reply.signer = signer or ""
        reply.drafted_by = actor
        reply.version += 1
        reply.save()
        record_change(obj=reply, actor=actor, before=before, after=snapshot(reply), summary=_("修改答复稿"))
        _note(s, actor, _("%(u)s修改答复稿") % {"u": assignment.unit.name})
    if letter is not None:
        _attach(obj=reply, actor=actor, file=letter, kind=LETTER_KIND)
    return reply


@transaction.atomic
def suggestion_submit_reply(*, actor, suggestion: Suggestion) -> Reply:
    s = _lock(Suggestion, suggestion)
    assignment = _responding_assignment(actor, s, "submit_reply")
    reply = _round_reply(assignment, s.round)
    if reply is None or reply.status != ReplyStatus.DRAFT:
        raise ServiceError(_("没有可提交审签的答复稿，请先起草答复。"))
    if reply.category_id is None:
        raise field_error("category", _("请选择答复分类。"))
    before = snapshot(reply)
    reply.status = ReplyStatus.PENDING
    reply.submitted_at = timezone.now()
    reply.version += 1
    reply.save()
    record_change(obj=reply, actor=actor, action=AuditEntry.Action.TRANSITION, before=before, after=snapshot(reply),
                  summary=_("提交负责人审签"))
    _note(s, actor, _("%(u)s答复稿提交负责人审签") % {"u": assignment.unit.name})
    notify(
        recipients=unit_users([assignment.unit_id], roles=[Role.UNIT_HEAD]),
        title=_("答复稿待审签：%(s)s") % {"s": s},
        url=suggestion_url(s),
        level=Level.ACTION,
        target=s,
    )
    return reply


@transaction.atomic
def suggestion_send_back_reply(*, actor, suggestion: Suggestion, reason: str) -> Reply:
    s = _lock(Suggestion, suggestion)
    assignment = _responding_assignment(actor, s, "send_back_reply")
    reason = _required("reason", reason, _("请说明退回答复稿的理由。"))
    reply = _round_reply(assignment, s.round)
    if reply is None or reply.status != ReplyStatus.PENDING:
        raise ServiceError(_("没有待审签的答复稿。"))
    before = snapshot(reply)
    reply.status = ReplyStatus.DRAFT
    reply.send_back_reason = reason
    reply.version += 1
    reply.save()
    record_change(obj=reply, actor=actor, action=AuditEntry.Action.TRANSITION, before=before, after=snapshot(reply),
                  summary=_("负责人退回答复稿"), reason=reason)
    notify(
        recipients=[reply.drafted_by] if reply.drafted_by_id else unit_users([assignment.unit_id], [Role.UNIT_CLERK]),
        title=_("答复稿被退回修改：%(s)s") % {"s": s},
        body=reason,
        url=suggestion_url(s),
        level=Level.ACTION,
        target=s,
    )
    return reply


def reply_unmet(s: Suggestion, assignment: Assignment | None, reply: Reply | None, *,
                letter_given: bool = False) -> list[tuple[str, str]]:
    """What still keeps a reply from going out, as (field, message) pairs ("" for the item
    as a whole), in the order the head would meet them. The approval service refuses on
    the first; the clerk's drafting and submitting pages and the head's page list them all
    beforehand, so nobody learns of a missing opinion only after clicking."""
    unmet: list[tuple[str, str]] = []
    if reply is None or not (reply.text or "").strip():
        unmet.append(("text", str(_("尚未起草答复内容。"))))
    if reply is None or reply.category_id is None:
        unmet.append(("category", str(_("尚未选择答复分类。"))))
    if not letter_given and (reply is None or not attachments_of(reply, LETTER_KIND).exists()):
        unmet.append(("letter", str(_("尚未上传负责人签发的答复函。"))))
    if assignment is not None and assignment.role == AssignmentRole.LEAD and s.round == 1:
        missing = s.assignments.filter(role=AssignmentRole.CO, status__in=[
            AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED, AssignmentStatus.RETURN_REQUESTED])
        names = "、".join(missing.values_list("unit__name", flat=True))
        if names:
            unmet.append(("", str(_("协办单位意见尚未全部提交（%(u)s），暂不能答复。") % {"u": names})))
    return unmet


def reply_unmet_for(actor, s: Suggestion, *, letter_given: bool = False) -> list[tuple[str, str]]:
    """reply_unmet for the actor's own assignment and its reply of this round (for pages)."""
    assignment = _actor_assignment(actor, s)
    if assignment is None:
        return []
    reply = assignment.replies.filter(round=s.round).exclude(status=ReplyStatus.SENT).first()
    return reply_unmet(s, assignment, reply, letter_given=letter_given)


@transaction.atomic
def suggestion_approve_reply(
    *, actor, suggestion: Suggestion, category: ReplyCategory | None = None, signer: str = "", letter=None
) -> Reply:
    """The unit head signs and the reply goes out with its category and the signed letter.
    The lead unit answers only once every co-handler's opinion is in. When the last
    answering unit has replied the item is REPLIED and the deputy's rating window opens."""
    s = _lock(Suggestion, suggestion)
    assignment = _responding_assignment(actor, s, "approve_reply")
    reply = _round_reply(assignment, s.round)
    if reply is None or reply.status != ReplyStatus.PENDING:
        raise ServiceError(_("没有待审签的答复稿。"))
    category = category or reply.category
    if category is None:
        raise field_error("category", _("请选择答复分类。"))
    # The co-handlers' opinions first: no point in uploading a letter that cannot go out yet.
    unmet = [u for u in reply_unmet(s, assignment, reply, letter_given=letter is not None) if u[0] != "category"]
    for name, message in unmet:
        if name != "letter":
            raise field_error(name, message) if name else ServiceError(message)
    if letter is not None:
        _attach(obj=reply, actor=actor, file=letter, kind=LETTER_KIND)
    if unmet:
        raise field_error("letter", _("请上传负责人签发的答复函。"))
    on = today()
    before_reply = snapshot(reply)
    assignment.replies.filter(is_current=True, status=ReplyStatus.SENT).update(is_current=False)
    reply.status = ReplyStatus.SENT
    reply.category = category
    reply.signer = signer or reply.signer or actor.display_name
    reply.approved_by = actor
    reply.sent_on = on
    reply.is_current = True
    reply.version += 1
    reply.save()
    record_change(obj=reply, actor=actor, action=AuditEntry.Action.TRANSITION, before=before_reply,
                  after=snapshot(reply), summary=_("负责人审签，答复送达代表"))
    assignment.status = AssignmentStatus.REPLIED
    assignment.replied_on = on
    assignment.first_replied_on = assignment.first_replied_on or on
    assignment.category = category
    assignment.version += 1
    assignment.save()
    before = snapshot(s)
    waiting = s.assignments.filter(role__in=RESPONDING_ROLES, status__in=ACTIVE_ASSIGNMENT_STATUSES).exclude(
        status=AssignmentStatus.REPLIED
    )
    summary = _("%(u)s答复（%(c)s类）") % {"u": assignment.unit.name, "c": category.code}
    if not waiting.exists():
        s.status = S.REPLIED
        s.replied_on = on
        if s.first_replied_on is None:
            s.first_replied_on = on
            s.replied_on_time = on <= (s.due_date or on)
        s.evaluation_due = add_working_days(on, period("evaluation_working_days"))
        _transition_save(s, actor, before, summary)
        notify(
            recipients=deputy_users(s, merged=True),
            title=_("您的建议已答复：%(s)s") % {"s": s},
            body=_("请在%(d)s前对办理态度和办理结果作出评价。") % {"d": s.evaluation_due},
            url=suggestion_url(s),
            level=Level.ACTION,
            target=s,
        )
        notify(recipients=office_users(), title=_("建议已答复：%(s)s") % {"s": s}, url=suggestion_url(s), target=s)
    else:
        _transition_save(s, actor, before, summary)
        notify(
            recipients=deputy_users(s, merged=True),
            title=_("%(u)s已答复您的建议：%(s)s") % {"u": assignment.unit.name, "s": s},
            body=_("其他承办单位答复后，请一并评价。"),
            url=suggestion_url(s),
            target=s,
        )
    return reply


# --------------------------------------------------------------------------- evaluation and closing
def _unrated_current(s: Suggestion):
    return s.replies.filter(is_current=True, status=ReplyStatus.SENT, round=s.round, evaluation__isnull=True)


def _close(s: Suggestion, actor, before: dict, closing: str, reason: str = "") -> None:
    s.status = S.CLOSED
    s.closed_on = today()
    s.closing = closing
    _transition_save(s, actor, before, _("办结（%(k)s）") % {"k": ClosingKind(closing).label}, reason)
    units = s.assignments.filter(role__in=RESPONDING_ROLES, status=AssignmentStatus.REPLIED).values_list("unit_id", flat=True)
    notify(
        recipients=[*deputy_users(s, cosigners=False), *unit_users(units)],
        title=_("建议已办结：%(s)s") % {"s": s},
        body=reason,
        url=suggestion_url(s),
        target=s,
    )


@transaction.atomic
def suggestion_evaluate(
    *, actor, suggestion: Suggestion, attitude: str, result: str, comment: str = "", reply: Reply | None = None
) -> Evaluation:
    """The deputy rates a reply: attitude and result separately, with a comment. When every
    reply of the round is rated and none is 不满意, the item closes; 不满意 goes to the
    assigning office, who may order re-handling."""
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "evaluate", s, actor, _suggestion_kinds(actor, s))
    # Domain §2: the deputy rates within the window; after it the reply counts as 未反馈.
    if s.evaluation_due and today() > s.evaluation_due:
        raise ServiceError(
            _("评价期限已于%(d)s届满，未评价的答复按未反馈处理。") % {"d": s.evaluation_due}
        )
    if attitude not in Rating.values:
        raise field_error("attitude", _("请评价办理态度。"))
    if result not in Rating.values:
        raise field_error("result", _("请评价办理结果。"))
    if Rating.UNSATISFIED in (attitude, result) and not (comment or "").strip():
        raise field_error("comment", _("不满意时请写明意见，便于重新办理。"))
    unrated = _unrated_current(s)
    if reply is not None:
        reply = unrated.filter(pk=reply.pk).first()
        if reply is None:
            raise field_error("reply", _("该答复已评价或不属于本建议。"))
    else:
        if unrated.count() > 1:
            raise field_error("reply", _("请选择要评价的答复。"))
        reply = unrated.select_related("assignment__unit").first()
        if reply is None:
            raise ServiceError(_("所有答复均已评价。"))
    ev = Evaluation.objects.create(
        reply=reply, suggestion=s, assignment=reply.assignment, round=s.round, deputy=deputy_of(actor),
        attitude=attitude, result=result, comment=(comment or "").strip(),
    )
    before = snapshot(s)
    summary = _("代表评价%(u)s：态度%(a)s，结果%(r)s") % {
        "u": reply.assignment.unit.name, "a": Rating(attitude).label, "r": Rating(result).label,
    }
    record_change(obj=s, actor=actor, action=AuditEntry.Action.COMMENT, summary=summary, reason=ev.comment)
    notify(
        recipients=unit_users([reply.assignment.unit_id]),
        title=_("代表已评价：%(s)s（%(r)s）") % {"s": s, "r": Rating(result).label},
        body=ev.comment,
        url=suggestion_url(s),
        level=Level.WARNING if Rating.UNSATISFIED in (attitude, result) else Level.INFO,
        target=s,
    )
    if not _unrated_current(s).exists():
        unsatisfied = s.evaluations.filter(round=s.round, result=Rating.UNSATISFIED).exists()
        if unsatisfied:
            notify(
                recipients=office_users(),
                title=_("代表对答复不满意，请决定是否重新办理：%(s)s") % {"s": s},
                body=ev.comment,
                url=suggestion_url(s),
                level=Level.ACTION,
                target=s,
            )
        else:
            _close(s, actor, before, ClosingKind.EVALUATED)
    return ev


@transaction.atomic
def suggestion_order_rehandling(*, actor, suggestion: Suggestion, reason: str) -> Suggestion:
    """不满意 → the assigning office orders a new reply within rehandling_months (domain §2)."""
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "order_rehandling", s, actor, _suggestion_kinds(actor, s))
    reason = _required("reason", reason, _("请说明重新办理的要求。"))
    unhappy = list(
        s.evaluations.filter(round=s.round, result=Rating.UNSATISFIED).select_related("assignment__unit")
    )
    if not unhappy:
        raise ServiceError(_("代表没有对答复表示不满意，不能要求重新办理。"))
    due = deadline_after_months(today(), period("rehandling_months"))
    before = snapshot(s)
    for ev in unhappy:
        a = ev.assignment
        a.status = AssignmentStatus.SIGNED
        a.due_date = due
        a.replied_on = None
        a.version += 1
        a.save()
    s.round += 1
    s.status = S.REHANDLING
    s.evaluation_due = None
    s.replied_on = None
    _refresh_due(s)
    names = "、".join(ev.assignment.unit.name for ev in unhappy)
    _transition_save(s, actor, before, _("要求%(u)s重新办理，%(d)s前答复") % {"u": names, "d": due}, reason)
    notify(
        recipients=unit_users([ev.assignment.unit_id for ev in unhappy]),
        title=_("代表不满意，请重新办理：%(s)s") % {"s": s},
        body=_("%(r)s\n请于%(d)s前重新答复。") % {"r": reason, "d": due},
        url=suggestion_url(s),
        level=Level.ACTION,
        target=s,
    )
    notify(recipients=deputy_users(s, cosigners=False), title=_("您的建议将重新办理：%(s)s") % {"s": s},
           body=reason, url=suggestion_url(s), target=s)
    return s


def _mark_no_feedback(s: Suggestion) -> int:
    rows = [
        Evaluation(reply=r, suggestion=s, assignment=r.assignment, round=s.round, no_feedback=True)
        for r in _unrated_current(s).select_related("assignment")
    ]
    Evaluation.objects.bulk_create(rows)
    return len(rows)


def close_unmet(s: Suggestion) -> list[tuple[str, str]]:
    """What keeps the office from closing a replied item: a reply still unrated while the
    deputy's rating window is open."""
    if s.evaluation_due and today() <= s.evaluation_due and _unrated_current(s).exists():
        return [("", str(_("代表评价期限（%(d)s）未到，尚有答复未评价，暂不能办结。") % {"d": s.evaluation_due}))]
    return []


def close_unmet_for(actor, s: Suggestion) -> list[tuple[str, str]]:
    return close_unmet(s)


@transaction.atomic
def suggestion_close(*, actor, suggestion: Suggestion, reason: str = "") -> Suggestion:
    """The office closes a replied item: every reply rated (even 不满意, when it decides not
    to re-handle), or the rating window has passed (the unrated count as 未反馈)."""
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "close", s, actor, _suggestion_kinds(actor, s))
    for _field, message in close_unmet(s):
        raise ServiceError(message)
    unrated = _unrated_current(s).exists()
    before = snapshot(s)
    closing = ClosingKind.OFFICE
    if unrated:
        _mark_no_feedback(s)
        closing = ClosingKind.NO_FEEDBACK
    _close(s, actor, before, closing, reason)
    return s


@transaction.atomic
def suggestion_expire_evaluation(*, actor=None, suggestion: Suggestion) -> Suggestion:
    """The rating window passed without an answer: the item closes as 未反馈 and stays out
    of the satisfaction rate (domain §2). Run by the daily task (actor None) or the office."""
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "expire_evaluation", s, actor, _suggestion_kinds(actor, s))
    if s.evaluation_due is None or today() <= s.evaluation_due:
        raise ServiceError(_("代表评价期限（%(d)s）未到。") % {"d": s.evaluation_due or "—"})
    if not _unrated_current(s).exists():
        raise ServiceError(_("答复均已评价，请按评价结果办结。"))
    before = snapshot(s)
    _mark_no_feedback(s)
    if s.evaluations.filter(round=s.round, result=Rating.UNSATISFIED).exists():
        _note(s, actor, _("评价期满，未评价的答复记为未反馈"))
        return s
    _close(s, actor, before, ClosingKind.NO_FEEDBACK)
    return s


@transaction.atomic
def suggestion_add_followup(
    *, actor, suggestion: Suggestion, text: str, due_date: dt.date, assignment: Assignment | None = None
) -> FollowUp:
    """B and C replies open commitments (承诺事项) with dates, followed until done."""
    s = _lock(Suggestion, suggestion)
    _check(SUGGESTION_TRANSITIONS, "add_followup", s, actor, _suggestion_kinds(actor, s))
    text = _required("text", text, _("请填写承诺事项。"))
    if due_date is None:
        raise field_error("due_date", _("请填写承诺完成日期。"))
    candidates = s.assignments.filter(status=AssignmentStatus.REPLIED, category__opens_follow_up=True)
    if assignment is None:
        assignment = candidates.first()
    elif not candidates.filter(pk=assignment.pk).exists():
        assignment = None
    if assignment is None:
        raise ServiceError(_("只有答复分类需跟踪落实（如B、C类）的答复才登记承诺事项。"))
    f = FollowUp.objects.create(
        suggestion=s, assignment=assignment, text=text, due_date=due_date, year=due_date.year, created_by=actor
    )
    record_change(obj=f, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(f), summary=_("登记承诺事项"))
    _note(s, actor, _("登记承诺事项（%(u)s，%(d)s前）") % {"u": assignment.unit.name, "d": due_date}, text)
    notify(
        recipients=unit_users([assignment.unit_id]),
        title=_("请落实承诺事项：%(s)s") % {"s": s},
        body=_("%(t)s（%(d)s前）") % {"t": text, "d": due_date},
        url=suggestion_url(s),
        target=s,
    )
    return f


@transaction.atomic
def followup_complete(*, actor, followup: FollowUp, result: str, version=None) -> FollowUp:
    f = FollowUp.objects.select_for_update().select_related("assignment__unit", "suggestion").get(pk=followup.pk)
    is_unit = actor.is_unit_user and actor.unit_id == f.assignment.unit_id
    if not (is_unit or actor.is_assigning_clerk):
        raise NotAllowed(_("只有承办单位或交办机构可以登记承诺事项的落实情况。"))
    if f.status != FollowUpStatus.OPEN:
        raise ServiceError(_("当前状态为“%(st)s”，不能登记落实。") % {"st": f.get_status_display()})
    if version is not None:
        check_version(f, version)
    result = _required("result", result, _("请填写落实情况。"))
    before = snapshot(f)
    f.status = FollowUpStatus.DONE
    f.done_on = today()
    f.result = result
    f.version += 1
    f.save()
    record_change(obj=f, actor=actor, action=AuditEntry.Action.TRANSITION, before=before, after=snapshot(f),
                  summary=_("承诺事项已落实"))
    _note(f.suggestion, actor, _("承诺事项已落实：%(t)s") % {"t": f.text[:50]}, result)
    notify(recipients=office_users(), title=_("承诺事项已落实：%(s)s") % {"s": f.suggestion}, body=result,
           url=suggestion_url(f.suggestion), target=f.suggestion)
    return f


@transaction.atomic
def followup_carry_over(*, actor, year: int) -> int:
    """Carry the year's unfinished commitments to next year (结转): the old row is kept as
    carried, a new one counts in the new year with the same text and a date in it."""
    if not actor.is_assigning_clerk:
        raise NotAllowed(_("只有交办机构可以结转承诺事项。"))
    rows = list(FollowUp.objects.select_for_update().filter(status=FollowUpStatus.OPEN, year__lte=year))
    for f in rows:
        before = snapshot(f)
        f.status = FollowUpStatus.CARRIED
        f.version += 1
        f.save()
        record_change(obj=f, actor=actor, action=AuditEntry.Action.TRANSITION, before=before, after=snapshot(f),
                      summary=_("结转至%(y)s年") % {"y": year + 1})
        new_due = f.due_date if f.due_date.year > year else add_months(f.due_date, 12 * (year + 1 - f.due_date.year))
        FollowUp.objects.create(
            suggestion_id=f.suggestion_id, assignment_id=f.assignment_id, text=f.text, due_date=new_due, year=year + 1,
            carried_from=f, created_by=actor,
        )
    if rows:
        units = {f.assignment.unit_id for f in FollowUp.objects.filter(pk__in=[r.pk for r in rows]).select_related("assignment")}
        notify(recipients=unit_users(units), title=_("%(y)s年未落实的承诺事项已结转至%(n)s年") % {"y": year, "n": year + 1},
               url=reverse("deputies:followup-list"))
    return len(rows)


# --------------------------------------------------------------------------- bills
@transaction.atomic
def bill_create(*, actor, title: str, grounds: str, solution: str, session: CongressSession | None = None,
                is_public: bool = True, files: Iterable = ()) -> Bill:
    dep = deputy_of(actor)
    if dep is None:
        raise NotAllowed(_("只有人大代表可以提出议案。"))
    session = session or current_session()
    if session is None:
        raise ServiceError(_("尚未设置人代会，暂不能提出议案。"))
    b = Bill.objects.create(
        term_id=session.term_id, session=session, title=_required("title", title), grounds=_required("grounds", grounds),
        solution=_required("solution", solution), lead_deputy=dep, created_by=actor, is_public=is_public,
    )
    for f in files:
        _attach(obj=b, actor=actor, file=f, kind=BILL_FILE_KIND)
    record_change(obj=b, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(b), summary=_("起草议案"))
    return b


@transaction.atomic
def bill_update(*, actor, bill: Bill, version, **fields) -> Bill:
    b = _lock(Bill, bill)
    _check(BILL_TRANSITIONS, "update", b, actor, _bill_kinds(actor, b))
    check_version(b, version)
    before = snapshot(b)
    for name in ("title", "grounds", "solution"):
        if name in fields:
            setattr(b, name, _required(name, fields[name]))
    if "is_public" in fields:
        b.is_public = fields["is_public"]
    b.version += 1
    b.save()
    record_change(obj=b, actor=actor, before=before, after=snapshot(b), summary=_("修改议案"))
    return b


@transaction.atomic
def bill_invite(*, actor, bill: Bill, deputies: Iterable[Deputy]) -> list[CoSignature]:
    return _invite(actor=actor, item=bill, deputies=deputies)


@transaction.atomic
def bill_uninvite(*, actor, bill: Bill, deputy: Deputy) -> None:
    _uninvite(actor=actor, item=bill, deputy=deputy)


@transaction.atomic
def bill_confirm_cosign(*, actor, bill: Bill) -> CoSignature:
    return _respond(actor=actor, item=bill, confirm=True)


@transaction.atomic
def bill_decline_cosign(*, actor, bill: Bill, reason: str = "") -> CoSignature:
    return _respond(actor=actor, item=bill, confirm=False, note=reason)


def bill_submit_unmet(b: Bill) -> list[tuple[str, str]]:
    """What keeps a bill from being submitted: too few confirmed co-signers, or the
    session's deadline for bills has passed."""
    unmet = []
    needed = period("bill_min_cosigners")
    confirmed = b.cosignatures.filter(status=CoSignStatus.CONFIRMED).count()
    if confirmed < needed:
        unmet.append(("", str(_("议案须有%(n)s名以上代表联名，目前已确认%(c)s名。") % {"n": needed, "c": confirmed})))
    if b.session.bill_deadline and timezone.now() > b.session.bill_deadline:
        unmet.append(("", str(_("本次会议提出议案的截止时间（%(d)s）已过。")
                              % {"d": f"{timezone.localtime(b.session.bill_deadline):%Y-%m-%d %H:%M}"})))
    return unmet


def bill_submit_unmet_for(actor, b: Bill) -> list[tuple[str, str]]:
    return bill_submit_unmet(b)


@transaction.atomic
def bill_submit(*, actor, bill: Bill, version=None) -> Bill:
    """A bill needs enough confirmed co-signers (10 at county level and above, a setting)
    and must arrive before the session's deadline for bills."""
    b = _lock(Bill, bill)
    _check(BILL_TRANSITIONS, "submit", b, actor, _bill_kinds(actor, b))
    if version is not None:
        check_version(b, version)
    for _field, message in bill_submit_unmet(b):
        raise ServiceError(message)
    confirmed = b.cosignatures.filter(status=CoSignStatus.CONFIRMED).count()
    before = snapshot(b)
    b.status = BillStatus.SUBMITTED
    b.submitted_at = timezone.now()
    _transition_save(b, actor, before, _("提交议案（%(c)s名代表联名）") % {"c": confirmed})
    notify(recipients=office_users(), title=_("收到代表议案：%(t)s（%(d)s等%(c)s名代表）")
           % {"t": b.title, "d": b.lead_deputy.name, "c": confirmed + 1},
           url=bill_url(b), level=Level.ACTION, target=b)
    return b


def _bill_deputies(b: Bill) -> list[User]:
    users = [b.lead_deputy.user] if b.lead_deputy.user_id else []
    users += [c.deputy.user for c in b.cosignatures.filter(status=CoSignStatus.CONFIRMED).select_related("deputy__user")
              if c.deputy.user_id]
    return users


def _bill_step(*, actor, bill: Bill, name: str, reason: str = "", require_reason: bool = False, **changes) -> Bill:
    b = _lock(Bill, bill)
    t = _check(BILL_TRANSITIONS, name, b, actor, _bill_kinds(actor, b))
    if require_reason:
        reason = _required("reason", reason, _("请填写决定理由。"))
    before = snapshot(b)
    for k, v in changes.items():
        setattr(b, k, v)
    b.status = t.target
    if name in ("put_on_agenda", "adopt", "not_adopt", "refer", "convert", "not_a_bill"):
        b.decided_on = today()
    if reason:
        b.decision_reason = reason
    _transition_save(b, actor, before, str(t.label), reason)
    notify(recipients=_bill_deputies(b), title=_("议案%(t)s：%(b)s") % {"t": t.label, "b": b}, body=reason,
           url=bill_url(b), target=b)
    return b


@transaction.atomic
def bill_withdraw(*, actor, bill: Bill, reason: str = "") -> Bill:
    return _bill_step(actor=actor, bill=bill, name="withdraw", reason=reason)


@transaction.atomic
def bill_register(*, actor, bill: Bill) -> Bill:
    b = _lock(Bill, bill)
    _check(BILL_TRANSITIONS, "register", b, actor, _bill_kinds(actor, b))
    serial = b.serial or _next_serial(b.session, "bill")
    return _bill_step(actor=actor, bill=b, name="register", serial=serial, registered_on=today())


@transaction.atomic
def bill_put_on_agenda(*, actor, bill: Bill, reason: str = "") -> Bill:
    return _bill_step(actor=actor, bill=bill, name="put_on_agenda", reason=reason)


@transaction.atomic
def bill_adopt(*, actor, bill: Bill, reason: str = "") -> Bill:
    return _bill_step(actor=actor, bill=bill, name="adopt", reason=reason)


@transaction.atomic
def bill_not_adopt(*, actor, bill: Bill, reason: str = "") -> Bill:
    return _bill_step(actor=actor, bill=bill, name="not_adopt", reason=reason)


@transaction.atomic
def bill_refer(*, actor, bill: Bill, committee: Office, reason: str = "") -> Bill:
    """Referred to a special committee, which reports within committee_bill_report_months."""
    b = _lock(Bill, bill)
    _check(BILL_TRANSITIONS, "refer", b, actor, _bill_kinds(actor, b))
    if committee is None:
        raise field_error("committee", _("请选择审议的专门委员会。"))
    due = deadline_after_months(today(), period("committee_bill_report_months"))
    b = _bill_step(actor=actor, bill=b, name="refer", reason=reason, committee=committee, report_due=due)
    notify(recipients=User.objects.filter(is_active=True, office=committee),
           title=_("交付审议的代表议案：%(b)s") % {"b": b}, body=_("请于%(d)s前报告审议结果。") % {"d": due},
           url=bill_url(b), level=Level.ACTION, target=b)
    return b


@transaction.atomic
def bill_committee_report(*, actor, bill: Bill, text: str) -> Bill:
    b = _lock(Bill, bill)
    _check(BILL_TRANSITIONS, "committee_report", b, actor, _bill_kinds(actor, b))
    text = _required("text", text, _("请填写审议结果报告。"))
    return _bill_step(actor=actor, bill=b, name="committee_report", report_text=text, reported_on=today())


@transaction.atomic
def bill_conclude(*, actor, bill: Bill, reason: str = "") -> Bill:
    return _bill_step(actor=actor, bill=bill, name="conclude", reason=reason)


@transaction.atomic
def bill_not_a_bill(*, actor, bill: Bill, reason: str) -> Bill:
    return _bill_step(actor=actor, bill=bill, name="not_a_bill", reason=reason, require_reason=True)


@transaction.atomic
def bill_convert(*, actor, bill: Bill, reason: str = "", category: SuggestionCategory | None = None) -> Suggestion:
    """The presidium treats the bill as a suggestion (作为建议处理): a suggestion is created,
    registered and accepted, with the bill's co-signers, ready to be assigned."""
    b = _lock(Bill, bill)
    _check(BILL_TRANSITIONS, "convert", b, actor, _bill_kinds(actor, b))
    on = today()
    s = Suggestion.objects.create(
        term_id=b.term_id, session=b.session, period=period_for(b.session, on), title=b.title,
        situation=b.grounds, proposal=b.solution, lead_deputy=b.lead_deputy, created_by=actor, category=category,
        is_public=b.is_public, status=S.ACCEPTED, submitted_at=b.submitted_at or timezone.now(), received_on=on,
        registered_on=on, accepted_on=on, source_bill=b, serial=_next_serial(b.session, "suggestion"),
        review_reason=reason or "",
    )
    CoSignature.objects.bulk_create([
        CoSignature(suggestion=s, deputy_id=c.deputy_id, status=CoSignStatus.CONFIRMED, responded_at=c.responded_at)
        for c in b.cosignatures.filter(status=CoSignStatus.CONFIRMED)
    ])
    record_change(obj=s, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(s),
                  summary=_("由议案%(n)s转为建议") % {"n": b.number}, reason=reason)
    _bill_step(actor=actor, bill=b, name="convert", reason=reason)
    notify(recipients=deputy_users(s), title=_("您的议案作为建议处理：%(s)s") % {"s": s}, body=reason,
           url=suggestion_url(s), target=s)
    return s


# --------------------------------------------------------------------------- activities and citizens' opinions
def _activity_kinds(actor) -> None:
    if not (actor.is_deputy or actor.is_internal):
        raise NotAllowed(_("只有人大代表或人大机关工作人员可以登记代表活动。"))


@transaction.atomic
def activity_create(*, actor, kind: str, title: str, date: dt.date, deputies: Iterable[Deputy] = (),
                    station=None, location: str = "", people_received: int = 0, description: str = "") -> Activity:
    _activity_kinds(actor)
    deputies = list(deputies)
    own = deputy_of(actor)
    if actor.is_deputy:
        # A deputy records their own activities (others may be listed with them).
        if own is None:
            raise NotAllowed(_("您的账号未关联代表信息。"))
        if own not in deputies:
            deputies.append(own)
    if not deputies:
        raise field_error("deputies", _("请选择参加活动的代表。"))
    if date is None:
        raise field_error("date", _("请填写日期。"))
    if date > today():
        raise field_error("date", _("不能登记尚未发生的活动。"))
    a = Activity.objects.create(
        kind=kind, title=_required("title", title), date=date, station=station, location=location or "",
        people_received=people_received or 0, description=description or "", recorded_by=actor,
    )
    a.deputies.set(deputies)
    record_change(obj=a, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(a),
                  summary=_("登记代表活动：%(n)s") % {"n": "、".join(d.name for d in deputies)})
    return a


@transaction.atomic
def activity_update(*, actor, activity: Activity, version, **fields) -> Activity:
    a = Activity.objects.select_for_update().get(pk=activity.pk)
    own = deputy_of(actor)
    if not (actor.is_internal or (own is not None and a.deputies.filter(pk=own.pk).exists())):
        raise NotAllowed(_("只有参加活动的代表或人大机关工作人员可以修改活动记录。"))
    check_version(a, version)
    before = snapshot(a)
    deputies = fields.pop("deputies", None)
    for k in ("kind", "title", "date", "station", "location", "people_received", "description"):
        if k in fields:
            setattr(a, k, fields[k])
    if not a.title:
        raise field_error("title", _("请填写此项。"))
    a.version += 1
    a.save()
    if deputies is not None:
        if own is not None and own not in deputies:
            deputies = [*deputies, own]
        a.deputies.set(deputies)
    record_change(obj=a, actor=actor, before=before, after=snapshot(a), summary=_("修改代表活动"))
    return a


@transaction.atomic
def opinion_register(*, actor, content: str, received_on: dt.date, station=None, activity: Activity | None = None,
                     citizen_name: str = "", citizen_contact: str = "", deputy: Deputy | None = None) -> CitizenOpinion:
    """An opinion collected at a liaison station (接待选民): registered by the receiving
    deputy or by committee staff, then routed and answered."""
    own = deputy_of(actor)
    if own is None and not actor.is_internal:
        raise NotAllowed(_("只有人大代表或人大机关工作人员可以登记群众意见。"))
    if own is not None:
        deputy = own
    if received_on is None:
        raise field_error("received_on", _("请填写收集日期。"))
    if received_on > today():
        raise field_error("received_on", _("收集日期不能晚于今天。"))
    if activity is not None and station is None:
        station = activity.station
    o = CitizenOpinion.objects.create(
        content=_required("content", content), received_on=received_on, station=station, activity=activity,
        citizen_name=citizen_name or "", citizen_contact=citizen_contact or "", deputy=deputy, recorded_by=actor,
    )
    record_change(obj=o, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(o), summary=_("登记群众意见"))
    notify(recipients=office_users(), title=_("联络站收集群众意见：%(c)s") % {"c": o.content[:30]},
           url=reverse("deputies:opinion-detail", args=[o.pk]), level=Level.ACTION, target=o)
    return o


def _opinion_kinds(actor, o: CitizenOpinion) -> set:
    kinds = set()
    if actor.is_assigning_clerk:
        kinds.add(Actor.OFFICE)
    if actor.is_internal and (o.routed_office_id is None or actor.office_id == o.routed_office_id or actor.is_assigning_clerk):
        kinds.add(Actor.STAFF)
    if actor.is_unit_user and o.routed_unit_id and actor.unit_id == o.routed_unit_id:
        kinds.add(Actor.UNIT)
    if actor.is_deputy and o.deputy_id and o.deputy.user_id == actor.pk:
        kinds.add(Actor.OPINION_DEPUTY)
    return kinds


@transaction.atomic
def opinion_route(*, actor, opinion: CitizenOpinion, unit: HandlingUnit | None = None, office: Office | None = None,
                  note: str = "") -> CitizenOpinion:
    o = _lock(CitizenOpinion, opinion)
    t = _check(OPINION_TRANSITIONS, "route", o, actor, _opinion_kinds(actor, o))
    if (unit is None) == (office is None):
        raise field_error("unit", _("请选择转交的承办单位或委室（二选一）。"))
    before = snapshot(o)
    o.routed_unit = unit
    o.routed_office = office
    o.routed_on = today()
    o.status = t.target
    _transition_save(o, actor, before, _("转交%(w)s") % {"w": unit or office}, note)
    recipients = unit_users([unit.pk]) if unit else User.objects.filter(is_active=True, office=office)
    notify(recipients=recipients, title=_("转来群众意见：%(c)s") % {"c": o.content[:30]}, body=note,
           url=reverse("deputies:opinion-detail", args=[o.pk]), level=Level.ACTION, target=o)
    return o


@transaction.atomic
def opinion_answer(*, actor, opinion: CitizenOpinion, answer: str) -> CitizenOpinion:
    o = _lock(CitizenOpinion, opinion)
    t = _check(OPINION_TRANSITIONS, "answer", o, actor, _opinion_kinds(actor, o))
    answer = _required("answer", answer, _("请填写答复情况。"))
    before = snapshot(o)
    o.answer = answer
    o.answered_on = today()
    o.answered_at = timezone.now()
    o.answered_by = actor
    o.status = t.target
    _transition_save(o, actor, before, _("答复群众意见"))
    if o.deputy_id and o.deputy.user_id:
        notify(recipients=[o.deputy.user], title=_("您收集的群众意见已答复"), body=answer,
               url=reverse("deputies:opinion-detail", args=[o.pk]), target=o)
    return o


# --------------------------------------------------------------------------- 代表码 (citizen channel)
# Domain §9: each deputy has a QR code; a citizen scans it, leaves an opinion for that
# deputy without signing in and follows it by a tracking code; the deputy answers, turns it
# into a suggestion, or passes it to the liaison station or to a handling unit.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed on a phone
TRACKING_LENGTH = 10  # 31^10 ≈ 8e14 codes: not found by guessing within the tracking page's rate limit
CITIZEN_NAME_MAX = 50
CITIZEN_PHONE_MAX = 40


def new_tracking_code() -> str:
    import secrets

    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))


def normalize_tracking_code(text: str) -> str:
    """What a citizen typed, as stored: capitals, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t")


def can_manage_deputy_code(user, deputy: Deputy) -> bool:
    """Who prints a deputy's poster and rotates the code: the deputy and the office that
    looks after deputies and their stations (the assigning office), and administrators."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_assigning_clerk or user.is_app_admin:
        return True
    return bool(user.is_deputy and deputy.user_id == user.pk)


@transaction.atomic
def deputy_rotate_qr_token(*, actor, deputy: Deputy) -> Deputy:
    """A new secret for the deputy's code: every printed poster stops working at once (e.g.
    a poster was defaced or the code spread where it should not). The history says when and
    who, never the token itself."""
    if not can_manage_deputy_code(actor, deputy):
        raise NotAllowed(_("只有代表本人或代表工作机构可以更换代表码。"))
    d = Deputy.objects.select_for_update().get(pk=deputy.pk)
    d.qr_token = new_qr_token()
    d.version = (d.version or 0) + 1
    d.save(update_fields=["qr_token", "version", "updated_at"])
    record_change(obj=d, actor=actor, action=AuditEntry.Action.UPDATE, changes={},
                  summary=_("更换代表码，原二维码失效"))
    if d.user_id and d.user_id != actor.pk:
        notify(recipients=[d.user], title=_("您的代表码已更换，请使用新的二维码"),
               url=reverse("deputies:deputy-poster", args=[d.pk]), target=d)
    return d


@transaction.atomic
def opinion_submit_by_code(*, deputy: Deputy, content: str, citizen_name: str = "",
                           citizen_contact: str = "") -> CitizenOpinion:
    """A citizen scanned the deputy's code and left an opinion (no account): registered for
    that deputy with an unguessable tracking code, and the deputy is told."""
    from django.conf import settings

    content = _required("content", content, _("请填写您的意见。"))
    limit = settings.DEPUTY_CODE_MAX_CHARS
    if len(content) > limit:
        raise field_error("content", _("意见不能超过%(n)s字（当前%(m)s字）。") % {"n": limit, "m": len(content)})
    citizen_name = (citizen_name or "").strip()
    citizen_contact = (citizen_contact or "").strip()
    if len(citizen_name) > CITIZEN_NAME_MAX:
        raise field_error("citizen_name", _("姓名不能超过%(n)s字。") % {"n": CITIZEN_NAME_MAX})
    if citizen_contact and (len(citizen_contact) > CITIZEN_PHONE_MAX
                            or not all(ch.isdigit() or ch in "+- " for ch in citizen_contact)
                            or sum(ch.isdigit() for ch in citizen_contact) < 5):
        raise field_error("citizen_contact", _("请填写有效的电话号码，或留空。"))
    if not deputy.is_active:
        raise NotAllowed(_("该代表码已失效。"))
    code = new_tracking_code()
    while CitizenOpinion.objects.filter(tracking_code=code).exists():
        code = new_tracking_code()
    o = CitizenOpinion.objects.create(
        source=OpinionSource.CODE, tracking_code=code, deputy=deputy, station=deputy.station, received_on=today(),
        content=content, citizen_name=citizen_name, citizen_contact=citizen_contact,
    )
    # The citizen's name and phone stay out of the history: it is read by more people.
    record_change(obj=o, actor=None, action=AuditEntry.Action.CREATE,
                  after=snapshot(o, ["content", "source", "deputy", "station", "received_on", "status"]),
                  summary=_("群众通过代表码留言"))
    if deputy.user_id:
        notify(recipients=[deputy.user], title=_("群众通过代表码给您留言：%(c)s") % {"c": content[:30]},
               url=reverse("deputies:opinion-detail", args=[o.pk]), level=Level.ACTION, target=o)
    return o


def opinion_for_tracking(code: str) -> CitizenOpinion | None:
    """The opinion a citizen follows by its tracking code (None when no such code)."""
    code = normalize_tracking_code(code)
    if len(code) != TRACKING_LENGTH or any(ch not in TRACKING_ALPHABET for ch in code):
        return None
    return (CitizenOpinion.objects.select_related("deputy", "routed_unit", "routed_station", "suggestion")
            .filter(tracking_code=code).first())


def _opinion_step(o: CitizenOpinion, actor, name: str, version) -> Transition:
    t = _check(OPINION_TRANSITIONS, name, o, actor, _opinion_kinds(actor, o))
    if version is not None:
        check_version(o, version)
    return t


@transaction.atomic
def opinion_reply(*, actor, opinion: CitizenOpinion, answer: str, version=None) -> CitizenOpinion:
    """The deputy answers the citizen directly; the citizen reads it on the tracking page."""
    o = _lock(CitizenOpinion, opinion)
    t = _opinion_step(o, actor, "reply", version)
    answer = _required("answer", answer, _("请填写答复内容。"))
    before = snapshot(o)
    o.answer = answer
    o.answered_on = today()
    o.answered_at = timezone.now()
    o.answered_by = actor
    o.status = t.target
    _transition_save(o, actor, before, _("代表答复群众意见"))
    return o


@transaction.atomic
def opinion_pass_station(*, actor, opinion: CitizenOpinion, station: LiaisonStation | None = None, note: str = "",
                         version=None) -> CitizenOpinion:
    """The deputy passes the opinion to a liaison station (by default their own) to handle."""
    o = _lock(CitizenOpinion, opinion)
    t = _opinion_step(o, actor, "pass_station", version)
    station = station or o.deputy.station
    if station is None:
        raise field_error("station", _("请选择转交的联络站。"))
    before = snapshot(o)
    o.routed_station = station
    o.routed_on = today()
    o.status = t.target
    _transition_save(o, actor, before, _("转交%(w)s") % {"w": station}, note)
    notify(recipients=office_users(), title=_("代表转来群众意见（%(s)s）：%(c)s") % {"s": station, "c": o.content[:30]},
           body=note, url=reverse("deputies:opinion-detail", args=[o.pk]), level=Level.ACTION, target=o)
    return o


@transaction.atomic
def opinion_pass_unit(*, actor, opinion: CitizenOpinion, unit: HandlingUnit | None, note: str = "",
                      version=None) -> CitizenOpinion:
    """The deputy passes the opinion to a handling unit (a government department), which answers."""
    o = _lock(CitizenOpinion, opinion)
    t = _opinion_step(o, actor, "pass_unit", version)
    if unit is None:
        raise field_error("unit", _("请选择承办单位。"))
    before = snapshot(o)
    o.routed_unit = unit
    o.routed_on = today()
    o.status = t.target
    _transition_save(o, actor, before, _("转交%(w)s") % {"w": unit}, note)
    notify(recipients=unit_users([unit.pk]), title=_("代表转来群众意见：%(c)s") % {"c": o.content[:30]}, body=note,
           url=reverse("deputies:opinion-detail", args=[o.pk]), level=Level.ACTION, target=o)
    return o


@transaction.atomic
def opinion_to_suggestion(*, actor, opinion: CitizenOpinion, title: str, situation: str, proposal: str,
                          category: SuggestionCategory | None = None, is_public: bool = True,
                          is_confidential: bool = False, files: Iterable = ()) -> Suggestion:
    """The deputy takes the citizen's opinion up as their own suggestion: a draft they then
    complete and submit; the opinion and the suggestion point at each other."""
    o = _lock(CitizenOpinion, opinion)
    t = _opinion_step(o, actor, "to_suggestion", None)
    s = suggestion_create(actor=actor, title=title, situation=situation, proposal=proposal, category=category,
                          is_public=is_public, is_confidential=is_confidential, files=files)
    _note(s, actor, _("由群众意见转为代表建议"))
    before = snapshot(o)
    o.suggestion = s
    o.status = t.target
    _transition_save(o, actor, before, _("转为代表建议：%(s)s") % {"s": s.title})
    return s


@transaction.atomic
def opinion_close(*, actor, opinion: CitizenOpinion, version=None) -> CitizenOpinion:
    """The loop is closed: the citizen has the answer (or the suggestion took the matter up)."""
    o = _lock(CitizenOpinion, opinion)
    t = _opinion_step(o, actor, "close", version)
    before = snapshot(o)
    o.closed_on = today()
    o.status = t.target
    _transition_save(o, actor, before, _("办结群众意见"))
    return o


# --------------------------------------------------------------------------- import
@transaction.atomic
def suggestion_import(*, actor, session: CongressSession, rows: list[dict]) -> list[Suggestion]:
    """Load the secretariat's sheet of the session's suggestions as registered items
    (UNDER_REVIEW, numbered as in the sheet or next in line). Rows were validated by the
    importer; this refuses them all if any number is already taken."""
    if not actor.is_assigning_clerk:
        raise NotAllowed(_("只有交办机构可以导入建议。"))
    created = []
    taken = set(Suggestion.objects.filter(session=session, serial__isnull=False).values_list("serial", flat=True))
    clash = [r["serial"] for r in rows if r.get("serial") and r["serial"] in taken]
    if clash:
        raise ServiceError(_("编号已被使用：%(n)s") % {"n": "、".join(str(n) for n in clash)})
    now = timezone.now()
    for r in rows:
        received = r.get("received_on") or today()
        s = Suggestion.objects.create(
            term_id=session.term_id, session=session, period=r.get("period") or period_for(session, received),
            serial=r.get("serial") or _next_serial(session, "suggestion"), title=r["title"], situation=r["situation"],
            proposal=r["proposal"], lead_deputy=r["lead_deputy"], category=r.get("category"), created_by=actor,
            is_public=r.get("is_public", True), status=S.UNDER_REVIEW, submitted_at=now, received_on=received,
            registered_on=today(),
        )
        if r.get("serial"):
            counter, _c = SerialCounter.objects.get_or_create(session=session, kind="suggestion")
            SerialCounter.objects.filter(pk=counter.pk, last__lt=s.serial).update(last=s.serial)
        CoSignature.objects.bulk_create([
            CoSignature(suggestion=s, deputy=d, status=CoSignStatus.CONFIRMED, responded_at=now)
            for d in r.get("cosigners", [])
        ])
        record_change(obj=s, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(s),
                      summary=_("从大会秘书处表格导入"))
        created.append(s)
    return created


__all__ = [name for name in dir() if name.startswith(("suggestion_", "bill_", "opinion_", "activity_", "followup_",
                                                     "deputy_"))]
