"""Every write of supervision work. Keyword-only, atomic; each checks the actor's role
and the record's state, writes history and notifies in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import workdays
from congress.exceptions import NotAllowed, ServiceError, check_version
from congress.history import diff, record_change, save_with_history, snapshot
from congress.models import AgendaItem, Attachment, AuditEntry, HandlingUnit, Meeting, User
from congress.notifications import Level, notify
from congress.periods import period
from congress.roles import Role

from . import choices as c
from . import permissions as perms
from . import rules
from .models import (
    AppraisalTarget,
    AuditProblem,
    DeliberationOpinion,
    FiledDocument,
    Interpellation,
    LivelihoodProject,
    ProjectMilestone,
    SatisfactionVote,
    SupervisionItem,
    SupervisionStep,
)

ITEM_FIELDS = [
    "kind", "year", "title", "description", "target_unit", "lead_office", "plan_item", "start_date", "end_date",
    "meeting", "agenda_item", "hearing_date", "is_published", "finance_kind", "law_name", "inspection_forms",
    "joint_with_lower", "audit_report_date", "resolution_report_due", "rules_adopted", "result_summary",
]
M2M_FIELDS = ["departments", "members", "invited_deputies"]


# --- helpers ----------------------------------------------------------------------

def _ensure_edit(actor, item) -> None:
    if not perms.can_edit(actor, item):
        raise NotAllowed(_("只有牵头委室的工作人员可以修改该监督事项。"))


def _lock(model, obj, version=None, *, check: bool = True):
    """Reload the row FOR UPDATE (two people may act at once) and refuse a stale read."""
    locked = model._default_manager.select_for_update().get(pk=obj.pk)
    if check:
        check_version(locked, version)
    return locked


def _field_error(field: str, message) -> ServiceError:
    return ServiceError({field: [message]})


def _users_of_units(unit_ids) -> list[User]:
    if not unit_ids:
        return []
    return list(User.objects.filter(unit_id__in=list(unit_ids), is_active=True, role__in=[Role.UNIT_CLERK, Role.UNIT_HEAD]))


def _office_staff(office_id) -> list[User]:
    if not office_id:
        return []
    return list(User.objects.filter(office_id=office_id, is_active=True, role=Role.STAFF))


def _m2m_names(item, name) -> list[str]:
    return sorted(str(o) for o in getattr(item, name).all())


def _touch(item, actor, summary, *, changes=None, action=AuditEntry.Action.UPDATE, reason=""):
    """Bump the item's version (a child changed) and write one history entry on the item."""
    SupervisionItem.objects.filter(pk=item.pk).update(version=item.version + 1)
    item.version += 1
    return record_change(obj=item, actor=actor, action=action, changes=changes or {}, summary=summary, reason=reason)


def _check_meeting_links(data: dict) -> None:
    agenda = data.get("agenda_item")
    meeting = data.get("meeting")
    if agenda is not None:
        if meeting is not None and agenda.meeting_id != meeting.pk:
            raise _field_error("agenda_item", _("所选议题不属于所选会议。"))
        data["meeting"] = agenda.meeting
        meeting = agenda.meeting
    if meeting is not None:
        if meeting.kind != Meeting.Kind.STANDING and data.get("kind") != c.SupervisionType.LIVELIHOOD:
            raise _field_error("meeting", _("监督事项应在常委会会议上审议。"))
        data["hearing_date"] = meeting.start_date


def _validate_item(data: dict) -> None:
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        raise _field_error("end_date", _("结束日期不能早于开始日期。"))
    if data.get("kind") == c.SupervisionType.BUDGET_REVIEW and not data.get("finance_kind"):
        raise _field_error("finance_kind", _("预算、决算审查须选择审查内容。"))
    forms = data.get("inspection_forms") or []
    bad = [f for f in forms if f not in c.InspectionForm.values]
    if bad:
        raise _field_error("inspection_forms", _("检查方式无效：%(v)s") % {"v": "、".join(bad)})


def refresh_due_dates(item: SupervisionItem) -> None:
    """Recompute each step's deadline from its rule and the item's current dates (a moved
    meeting moves its steps); steps whose date an editor set by hand keep it."""
    latest = item.opinions.exclude(issued_on__isnull=True).order_by("round").first()
    anchors = rules.anchors_for(item, opinions_issued=latest.issued_on if latest else None)
    changed = []
    for step in item.steps.all():
        if step.due_manual:
            continue
        definition = c.step_def(item.kind, step.code)
        if definition is None or definition.rule is None:
            continue
        due = rules.apply_rule(definition.rule, anchors)
        if step.code == "handling_report" and item.resolution_report_due:
            due = item.resolution_report_due
        if step.code == "handling_report" and latest and latest.report_due:
            due = latest.report_due
        if due != step.due_date:
            step.due_date = due
            changed.append(step)
    if changed:
        SupervisionStep.objects.bulk_update(changed, ["due_date"])


def _sync_schedule_step(item, actor) -> None:
    """The finance calendar step: only final accounts and first-half execution need a
    June-September session; it is done once a meeting is linked."""
    if item.kind != c.SupervisionType.BUDGET_REVIEW:
        return
    summer = item.finance_kind in c.SUMMER_FINANCE_KINDS
    SupervisionStep.objects.filter(item=item, code="schedule").update(skipped=not summer)
    if not summer:
        return
    # Supervision Law art. 17-18: only a session between June and September counts as
    # scheduled; a meeting outside that window leaves the step open (and the warning on).
    if not item.hearing_date:
        return
    if 6 <= item.hearing_date.month <= 9:
        _mark_step(item, "schedule", actor=actor, done_on=workdays.today())
    else:
        SupervisionStep.objects.filter(item=item, code="schedule").update(done_on=None, done_by=None)


AGENDA_RECEIPT_FIELDS = {
    "draft_report": "draft_report_received_on",
    "final_report": "final_report_received_on",
    "member_notice": "notice_sent_on",
}


def _record_agenda_receipt(item, step, actor) -> None:
    """A preparation step done on the item is also the agenda item's receipt date, so the
    meeting-preparation reminders (congress/reminders.py) stop for it too."""
    field = AGENDA_RECEIPT_FIELDS.get(step.code)
    if not field or not item.agenda_item_id:
        return
    agenda = AgendaItem.objects.select_for_update().get(pk=item.agenda_item_id)
    if getattr(agenda, field) is not None:
        return
    before = snapshot(agenda, [field])
    setattr(agenda, field, step.done_on)
    agenda.version += 1
    agenda.save(update_fields=[field, "version", "updated_at"])
    record_change(obj=agenda, actor=actor, before=before, after=snapshot(agenda, [field]),
                  summary=_("监督事项记录：%(s)s") % {"s": step.label})


def _mark_step(item, code: str, *, actor, done_on: dt.date) -> None:
    SupervisionStep.objects.filter(item=item, code=code, done_on__isnull=True).update(
        done_on=done_on, done_by=actor, skipped=False
    )


def _set_status(item, status: str) -> None:
    if item.status != status:
        item.status = status
        SupervisionItem.objects.filter(pk=item.pk).update(status=status)


# --- items ----------------------------------------------------------------------

@transaction.atomic
def item_create(*, actor: User, **data) -> SupervisionItem:
    """Record a supervision item; its steps and their deadlines come from the type's table."""
    if not perms.can_create(actor):
        raise NotAllowed(_("只有委室工作人员可以新建监督事项。"))
    m2m = {k: data.pop(k, None) for k in M2M_FIELDS}
    unknown = set(data) - set(ITEM_FIELDS)
    if unknown:
        raise ServiceError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if not data.get("lead_office"):
        data["lead_office"] = actor.office
    if data["lead_office"] is None:
        raise _field_error("lead_office", _("请选择牵头委室。"))
    if not actor.is_app_admin and data["lead_office"].pk != actor.office_id:
        raise _field_error("lead_office", _("只能为本委室新建监督事项。"))
    if not data.get("kind") or data["kind"] not in c.SupervisionType.values:
        raise _field_error("kind", _("请选择监督方式。"))
    if not data.get("title"):
        raise _field_error("title", _("请填写题目。"))
    data.setdefault("year", (data.get("hearing_date") or workdays.today()).year)
    _check_meeting_links(data)
    _validate_item(data)
    item = SupervisionItem(created_by=actor, **data)
    item.save()
    for name, values in m2m.items():
        if values:
            getattr(item, name).set(values)
    SupervisionStep.objects.bulk_create(
        [
            SupervisionStep(item=item, code=s.code, label=str(s.label), order=i + 1, is_optional=s.optional)
            for i, s in enumerate(c.steps_for(item.kind))
        ]
    )
    refresh_due_dates(item)
    _sync_schedule_step(item, actor)
    record_change(obj=item, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(item), summary=_("新建监督事项"))
    return item


@transaction.atomic
def item_update(*, actor: User, item: SupervisionItem, version, reason: str = "", **data) -> SupervisionItem:
    """Change an item's fields; a changed meeting or date moves the steps' deadlines."""
    _ensure_edit(actor, item)
    item = _lock(SupervisionItem, item, version)
    m2m = {k: data.pop(k) for k in M2M_FIELDS if k in data}
    unknown = set(data) - set(ITEM_FIELDS)
    if unknown:
        raise ServiceError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if "kind" in data and data["kind"] != item.kind:
        raise _field_error("kind", _("监督方式创建后不能修改，请新建监督事项。"))
    if "lead_office" in data and data["lead_office"] != item.lead_office and not actor.is_app_admin:
        if data["lead_office"] is None or data["lead_office"].pk != actor.office_id:
            raise _field_error("lead_office", _("只有系统管理员可以把监督事项转给其他委室。"))
    before = snapshot(item)
    before_m2m = {k: _m2m_names(item, k) for k in m2m}
    merged = {f: getattr(item, f) for f in ITEM_FIELDS}
    merged.update(data)
    if ("meeting" in data or "agenda_item" in data) and merged.get("meeting") is None and merged.get("agenda_item") is None:
        merged["hearing_date"] = data.get("hearing_date")
    _check_meeting_links(merged)
    _validate_item(merged)
    for f in ITEM_FIELDS:
        setattr(item, f, merged[f])
    for name, values in m2m.items():
        getattr(item, name).set(values or [])
    item.version += 1
    item.save()
    changes = diff(before, snapshot(item))
    for name in m2m:
        after = _m2m_names(item, name)
        if after != before_m2m[name]:
            changes[name] = [before_m2m[name], after]
    record_change(obj=item, actor=actor, changes=changes, reason=reason, summary=_("修改监督事项"))
    refresh_due_dates(item)
    _sync_schedule_step(item, actor)
    return item


@transaction.atomic
def item_transition(*, actor: User, item: SupervisionItem, to_status: str, version, reason: str = "") -> SupervisionItem:
    _ensure_edit(actor, item)
    item = _lock(SupervisionItem, item, version)
    allowed = c.ITEM_TRANSITIONS.get(item.status, ())
    if to_status not in allowed:
        raise _field_error(
            "to_status",
            _("“%(from)s”状态不能变更为“%(to)s”。")
            % {"from": item.get_status_display(), "to": dict(c.ItemStatus.choices).get(to_status, to_status)},
        )
    if to_status == c.ItemStatus.CANCELLED and not reason:
        raise _field_error("reason", _("取消监督事项须说明理由。"))
    before = snapshot(item)
    item.status = to_status
    if to_status == c.ItemStatus.HEARD and not item.hearing_date:
        raise _field_error("to_status", _("请先关联审议会议或填写审议日期。"))
    if to_status == c.ItemStatus.HEARD:
        _mark_step(item, "heard", actor=actor, done_on=item.hearing_date)
    save_with_history(obj=item, actor=actor, before=before, reason=reason, summary=_("状态变更"))
    return item


@transaction.atomic
def item_mark_heard(*, actor: User, item: SupervisionItem, version) -> SupervisionItem:
    """The report was heard at its meeting: the loop's clock (5 working days) starts."""
    return item_transition(actor=actor, item=item, to_status=c.ItemStatus.HEARD, version=version)


# --- steps ----------------------------------------------------------------------

@transaction.atomic
def step_complete(
    *, actor: User, step: SupervisionStep, version, done_on: dt.date | None = None, note: str = ""
) -> SupervisionStep:
    _ensure_edit(actor, step.item)
    step = _lock(SupervisionStep, step, version)
    if step.done_on:
        raise _field_error("done_on", _("该步骤已于%(d)s完成。") % {"d": step.done_on})
    done_on = done_on or workdays.today()
    if done_on > workdays.today():
        raise _field_error("done_on", _("完成日期不能晚于今天。"))
    step.done_on, step.done_by, step.skipped = done_on, actor, False
    if note:
        step.note = note
    step.version += 1
    step.save()
    item = step.item
    _record_agenda_receipt(item, step, actor)
    if step.code == "heard" and item.status in (c.ItemStatus.PLANNED, c.ItemStatus.IN_PROGRESS):
        _set_status(item, c.ItemStatus.HEARD)
    elif item.status == c.ItemStatus.PLANNED:
        _set_status(item, c.ItemStatus.IN_PROGRESS)
    _touch(item, actor, _("完成步骤：%(s)s（%(d)s）") % {"s": step.label, "d": done_on}, reason=note)
    return step


@transaction.atomic
def step_update(
    *, actor: User, step: SupervisionStep, version, due_date=None, skipped: bool | None = None,
    reopen: bool = False, note: str | None = None,
) -> SupervisionStep:
    """Set a deadline by hand (e.g. a date a resolution fixes), mark a step not
    applicable, or reopen it."""
    _ensure_edit(actor, step.item)
    step = _lock(SupervisionStep, step, version)
    before = snapshot(step, ["due_date", "done_on", "skipped", "note"])
    if due_date is not None:
        step.due_date, step.due_manual = due_date, True
    if skipped is not None:
        if skipped and not step.is_optional:
            raise _field_error("skipped", _("必经步骤不能标为不适用。"))
        step.skipped = skipped
    if reopen:
        step.done_on, step.done_by = None, None
    if note is not None:
        step.note = note
    step.version += 1
    step.save()
    after = snapshot(step, ["due_date", "done_on", "skipped", "note"])
    _touch(step.item, actor, _("修改步骤：%(s)s") % {"s": step.label}, changes=diff(before, after))
    return step


# --- deliberation-opinion loop ---------------------------------------------------

def _report_months(item) -> int:
    return period("opinion_report_budget_months") if item.is_budget_type else period("opinion_report_months")


@transaction.atomic
def opinion_compile(*, actor: User, item: SupervisionItem, text: str, compiled_on: dt.date | None = None) -> DeliberationOpinion:
    """The committee compiles the members' opinions after the hearing (domain §3)."""
    _ensure_edit(actor, item)
    item = _lock(SupervisionItem, item, check=False)
    if not item.has_opinion_loop:
        raise ServiceError(_("“%(k)s”不需要审议意见。") % {"k": item.get_kind_display()})
    if not item.hearing_date:
        raise _field_error("compiled_on", _("请先关联审议会议：审议意见在会议审议后汇总。"))
    if item.opinions.exclude(status=c.OpinionStatus.CLOSED).exists():
        raise ServiceError(_("该事项已有尚未办结的审议意见。"))
    if not (text or "").strip():
        raise _field_error("text", _("请填写审议意见。"))
    compiled_on = compiled_on or workdays.today()
    if compiled_on < item.hearing_date:
        raise _field_error("compiled_on", _("汇总日期不能早于审议日期。"))
    last = item.opinions.order_by("-round").first()
    opinion = DeliberationOpinion.objects.create(
        item=item,
        round=(last.round + 1) if last else 1,
        text=text.strip(),
        compiled_on=compiled_on,
        issue_due=workdays.add_working_days(item.hearing_date, period("opinion_issue_working_days")),
    )
    _mark_step(item, "compile_opinions", actor=actor, done_on=compiled_on)
    if item.status in (c.ItemStatus.PLANNED, c.ItemStatus.IN_PROGRESS):
        _set_status(item, c.ItemStatus.HEARD)
        _mark_step(item, "heard", actor=actor, done_on=item.hearing_date)
    record_change(obj=opinion, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(opinion), summary=_("汇总审议意见"))
    _touch(item, actor, _("汇总审议意见（第%(r)s轮）") % {"r": opinion.round})
    return opinion


@transaction.atomic
def opinion_update_text(*, actor: User, opinion: DeliberationOpinion, text: str, version) -> DeliberationOpinion:
    _ensure_edit(actor, opinion.item)
    opinion = _lock(DeliberationOpinion, opinion, version)
    if opinion.status not in (c.OpinionStatus.COMPILING, c.OpinionStatus.APPROVED):
        raise ServiceError(_("审议意见交办后不能再修改。"))
    if not (text or "").strip():
        raise _field_error("text", _("请填写审议意见。"))
    before = snapshot(opinion)
    opinion.text = text.strip()
    save_with_history(obj=opinion, actor=actor, before=before, summary=_("修改审议意见"))
    return opinion


# The state each step of the opinion loop starts from, and what the page says when it is not there.
OPINION_STEPS = {
    "approve": (c.OpinionStatus.COMPILING, gettext_lazy("当前状态为“%(s)s”，不能记录主任会议通过。")),
    "issue": (c.OpinionStatus.APPROVED, gettext_lazy("当前状态为“%(s)s”：审议意见须经主任会议通过后交办。")),
    "report": (c.OpinionStatus.ISSUED, gettext_lazy("当前状态为“%(s)s”，不能报送研究处理情况。")),
    "follow_up": (c.OpinionStatus.REPORTED, gettext_lazy("当前状态为“%(s)s”：收到研究处理情况报告后才能跟踪监督。")),
}


def opinion_unmet(opinion: DeliberationOpinion, step: str) -> list[tuple[str, str]]:
    """What keeps a step of the opinion loop from succeeding (opinions issued only after
    the 主任会议 approved them, and so on). The services refuse on it; the step's page
    lists it before the click."""
    status, message = OPINION_STEPS[step]
    if opinion.status != status:
        return [("", str(message) % {"s": opinion.get_status_display()})]
    return []


def _require(opinion, step):
    for _field, message in opinion_unmet(opinion, step):
        raise ServiceError(message)


@transaction.atomic
def opinion_approve(
    *, actor: User, opinion: DeliberationOpinion, version, approved_on: dt.date | None = None,
    approval_meeting: Meeting | None = None,
) -> DeliberationOpinion:
    """The 主任会议 approved the opinions (domain §3)."""
    _ensure_edit(actor, opinion.item)
    opinion = _lock(DeliberationOpinion, opinion, version)
    _require(opinion, "approve")
    if approval_meeting is not None:
        if approval_meeting.kind != Meeting.Kind.CHAIRPERSONS:
            raise _field_error("approval_meeting", _("审议意见由主任会议通过，请选择主任会议。"))
        approved_on = approved_on or approval_meeting.start_date
    approved_on = approved_on or workdays.today()
    if opinion.compiled_on and approved_on < opinion.compiled_on:
        raise _field_error("approved_on", _("通过日期不能早于汇总日期。"))
    before = snapshot(opinion)
    opinion.status, opinion.approved_on, opinion.approval_meeting = c.OpinionStatus.APPROVED, approved_on, approval_meeting
    save_with_history(obj=opinion, actor=actor, before=before, summary=_("主任会议通过审议意见"))
    _mark_step(opinion.item, "approve_opinions", actor=actor, done_on=approved_on)
    _touch(opinion.item, actor, _("主任会议通过审议意见"))
    return opinion


@transaction.atomic
def opinion_issue(
    *, actor: User, opinion: DeliberationOpinion, version, issued_on: dt.date | None = None,
    in_person: bool = False, report_due: dt.date | None = None,
) -> DeliberationOpinion:
    """Issue the opinions to the body (within 5 working days of the meeting [local]);
    its handling report is due 3 months later (2 for budget and audit), or on the date
    a resolution sets."""
    item = opinion.item
    _ensure_edit(actor, item)
    opinion = _lock(DeliberationOpinion, opinion, version)
    _require(opinion, "issue")
    issued_on = issued_on or workdays.today()
    if issued_on > workdays.today():
        raise _field_error("issued_on", _("交办日期不能晚于今天。"))
    if opinion.approved_on and issued_on < opinion.approved_on:
        raise _field_error("issued_on", _("交办日期不能早于主任会议通过日期。"))
    by_resolution = bool(report_due or item.resolution_report_due)
    due = report_due or item.resolution_report_due or workdays.deadline_after_months(issued_on, _report_months(item))
    if due <= issued_on:
        raise _field_error("report_due", _("报告期限应晚于交办日期。"))
    before = snapshot(opinion)
    opinion.status = c.OpinionStatus.ISSUED
    opinion.issued_on, opinion.issued_in_person = issued_on, in_person
    opinion.report_due, opinion.report_due_by_resolution = due, by_resolution
    save_with_history(obj=opinion, actor=actor, before=before, summary=_("交办审议意见"))
    _mark_step(item, "issue_opinions", actor=actor, done_on=issued_on)
    code = "handling_report" if opinion.round == 1 else f"re_report_{opinion.round}"
    SupervisionStep.objects.filter(item=item, code=code).update(due_date=due)
    _set_status(item, c.ItemStatus.OPINIONS_ISSUED)
    _touch(item, actor, _("审议意见已交办，处理情况报告期限%(d)s") % {"d": due})
    late = issued_on > (opinion.issue_due or issued_on)
    notify(
        recipients=_users_of_units(perms.body_unit_ids(item)),
        title=_("审议意见交办：%(t)s") % {"t": item.title},
        body=_("请研究处理常委会审议意见，并于%(d)s前报送研究处理情况。") % {"d": due},
        url=item.get_absolute_url(),
        level=Level.ACTION,
        target=item,
    )
    if late:
        record_change(obj=opinion, actor=actor, changes={}, summary=_("超过交办期限%(d)s") % {"d": opinion.issue_due})
    return opinion


@transaction.atomic
def opinion_submit_report(
    *, actor: User, opinion: DeliberationOpinion, version, report_text: str, submitted_on: dt.date | None = None
) -> DeliberationOpinion:
    """The body reports how it handled the opinions. Its own users submit it; the lead
    office may record a report received on paper."""
    item = opinion.item
    if not (perms.can_edit(actor, item) or perms.is_body_user(actor, item)):
        raise NotAllowed(_("只有被监督机关或牵头委室可以报送研究处理情况。"))
    opinion = _lock(DeliberationOpinion, opinion, version)
    _require(opinion, "report")
    if not (report_text or "").strip():
        raise _field_error("report_text", _("请填写研究处理情况。"))
    submitted_on = submitted_on or workdays.today()
    if submitted_on > workdays.today():
        raise _field_error("submitted_on", _("报送日期不能晚于今天。"))
    if opinion.issued_on and submitted_on < opinion.issued_on:
        raise _field_error("submitted_on", _("报送日期不能早于交办日期。"))
    before = snapshot(opinion)
    opinion.status = c.OpinionStatus.REPORTED
    opinion.report_text, opinion.report_submitted_on, opinion.report_submitted_by = report_text.strip(), submitted_on, actor
    save_with_history(obj=opinion, actor=actor, before=before, summary=_("报送研究处理情况"))
    code = "handling_report" if opinion.round == 1 else f"re_report_{opinion.round}"
    _mark_step(item, code, actor=actor, done_on=submitted_on)
    _set_status(item, c.ItemStatus.REPORTED)
    _touch(item, actor, _("收到研究处理情况报告（第%(r)s轮）") % {"r": opinion.round})
    if not perms.can_edit(actor, item):
        notify(
            recipients=_office_staff(item.lead_office_id),
            title=_("研究处理情况已报送：%(t)s") % {"t": item.title},
            body=_("%(u)s报送了审议意见研究处理情况。") % {"u": actor.unit or actor},
            url=item.get_absolute_url(),
            target=item,
        )
    return opinion


@transaction.atomic
def opinion_follow_up(
    *, actor: User, opinion: DeliberationOpinion, version, note: str, close: bool = False
) -> DeliberationOpinion:
    """Follow-up supervision (跟踪监督) after the report; closing ends the round."""
    item = opinion.item
    _ensure_edit(actor, item)
    opinion = _lock(DeliberationOpinion, opinion, version)
    _require(opinion, "follow_up")
    if not (note or "").strip():
        raise _field_error("note", _("请填写跟踪监督情况。"))
    before = snapshot(opinion)
    stamp = f"{workdays.today():%Y-%m-%d} {note.strip()}"
    opinion.follow_up_note = f"{opinion.follow_up_note}\n{stamp}".strip()
    if close:
        opinion.status, opinion.closed_on = c.OpinionStatus.CLOSED, workdays.today()
    save_with_history(obj=opinion, actor=actor, before=before, summary=_("跟踪监督"))
    if close:
        _mark_step(item, "follow_up", actor=actor, done_on=workdays.today())
        _set_status(item, c.ItemStatus.FOLLOW_UP)
    _touch(item, actor, _("跟踪监督：%(n)s") % {"n": note.strip()[:100]})
    return opinion


# --- satisfaction votes ------------------------------------------------------------

def _validate_counts(members_total, satisfied, basic, dissatisfied) -> None:
    errors = {}
    for name, value in (("members_total", members_total), ("satisfied", satisfied),
                        ("basically_satisfied", basic), ("dissatisfied", dissatisfied)):
        if value is None or value < 0:
            errors[name] = [_("请填写不小于0的整数。")]
    if not errors and members_total <= 0:
        errors["members_total"] = [_("组成人员总数须大于0。")]
    if not errors and satisfied + basic + dissatisfied > members_total:
        errors["dissatisfied"] = [
            _("三项票数之和%(s)d超过组成人员总数%(n)d。") % {"s": satisfied + basic + dissatisfied, "n": members_total}
        ]
    if errors:
        raise ServiceError(errors)


@transaction.atomic
def vote_record(
    *, actor: User, item: SupervisionItem, voted_on: dt.date, members_total: int, satisfied: int,
    basically_satisfied: int, dissatisfied: int, subject: str = "", opinion: DeliberationOpinion | None = None,
    agenda_item: AgendaItem | None = None,
) -> SatisfactionVote:
    """Record a satisfaction vote; the result follows the rule of domain §3, and 不满意
    opens a re-report step (a new opinion round the body must answer)."""
    _ensure_edit(actor, item)
    item = _lock(SupervisionItem, item, check=False)
    _validate_counts(members_total, satisfied, basically_satisfied, dissatisfied)
    if voted_on is None:
        raise _field_error("voted_on", _("请填写测评日期。"))
    if voted_on > workdays.today():
        raise _field_error("voted_on", _("测评日期不能晚于今天。"))
    if opinion is not None and opinion.item_id != item.pk:
        raise _field_error("opinion", _("所选审议意见不属于该监督事项。"))
    outcome = rules.satisfaction_result(
        members_total=members_total, satisfied=satisfied, basically_satisfied=basically_satisfied
    )
    vote = SatisfactionVote.objects.create(
        item=item, opinion=opinion, agenda_item=agenda_item, subject=subject, voted_on=voted_on,
        members_total=members_total, satisfied=satisfied, basically_satisfied=basically_satisfied,
        dissatisfied=dissatisfied, result=outcome.result, explanation=outcome.explanation[:300],
    )
    record_change(obj=vote, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(vote), summary=outcome.explanation)
    _mark_step(item, "satisfaction_vote", actor=actor, done_on=voted_on)
    if outcome.result == c.VoteResult.DISSATISFIED:
        _open_re_report(actor=actor, item=item, voted_on=voted_on)
    _touch(item, actor, _("满意度测评：%(r)s") % {"r": vote.get_result_display()}, reason=outcome.explanation)
    return vote


def _open_re_report(*, actor, item, voted_on) -> DeliberationOpinion:
    """不满意: the body rectifies and reports again, on the same clock as a handling report."""
    for open_round in item.opinions.exclude(status=c.OpinionStatus.CLOSED):
        if open_round.status == c.OpinionStatus.REPORTED:
            before = snapshot(open_round)
            open_round.status, open_round.closed_on = c.OpinionStatus.CLOSED, voted_on
            open_round.follow_up_note = (open_round.follow_up_note + "\n" + _("满意度测评不满意，转入再次报告。")).strip()
            save_with_history(obj=open_round, actor=actor, before=before, summary=_("满意度测评不满意，转入再次报告"))
        elif open_round.status != c.OpinionStatus.CLOSED:
            raise ServiceError(_("该事项仍有未报告的审议意见，测评结果为不满意时无法再开启再次报告。"))
    last = item.opinions.order_by("-round").first()
    round_no = (last.round + 1) if last else 1
    due = workdays.deadline_after_months(voted_on, _report_months(item))
    opinion = DeliberationOpinion.objects.create(
        item=item, round=round_no, status=c.OpinionStatus.ISSUED,
        text=_("满意度测评结果为不满意，请认真整改，并于%(d)s前再次报告。") % {"d": due},
        compiled_on=voted_on, approved_on=voted_on, issued_on=voted_on, issue_due=voted_on, report_due=due,
    )
    record_change(obj=opinion, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(opinion),
                  summary=_("满意度测评不满意，要求再次报告"))
    order = (item.steps.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    SupervisionStep.objects.create(
        item=item, code=f"re_report_{round_no}", label=_("整改后再次报告（第%(r)s轮）") % {"r": round_no},
        order=order, due_date=due, due_manual=True,
    )
    _set_status(item, c.ItemStatus.OPINIONS_ISSUED)
    notify(
        recipients=_users_of_units(perms.body_unit_ids(item)) + _office_staff(item.lead_office_id),
        title=_("满意度测评不满意，须再次报告：%(t)s") % {"t": item.title},
        body=_("请整改并于%(d)s前再次报告。") % {"d": due},
        url=item.get_absolute_url(), level=Level.ACTION, target=item,
    )
    return opinion


# --- audit rectification ----------------------------------------------------------

AUDIT_FIELDS = ["number", "description", "category", "amount", "responsible_unit", "rectification_kind", "due_date"]


def _ensure_type(item, kind, label):
    if item.kind != kind:
        raise ServiceError(_("只有“%(k)s”类监督事项可以记录%(l)s。") % {"k": c.SupervisionType(kind).label, "l": label})


@transaction.atomic
def audit_problem_save(*, actor: User, item: SupervisionItem, problem: AuditProblem | None = None, version=None, **data) -> AuditProblem:
    _ensure_edit(actor, item)
    _ensure_type(item, c.SupervisionType.AUDIT_RECTIFICATION, _("审计查出问题"))
    unknown = set(data) - set(AUDIT_FIELDS)
    if unknown:
        raise ServiceError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if "description" in data and not (data["description"] or "").strip():
        raise _field_error("description", _("请填写问题。"))
    if problem is None:
        if not (data.get("description") or "").strip():
            raise _field_error("description", _("请填写问题。"))
        problem = AuditProblem.objects.create(item=item, **data)
        record_change(obj=problem, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(problem), summary=_("新增审计查出问题"))
        return problem
    problem = _lock(AuditProblem, problem, version)
    before = snapshot(problem)
    for k, v in data.items():
        setattr(problem, k, v)
    save_with_history(obj=problem, actor=actor, before=before, summary=_("修改审计查出问题"))
    return problem


IMPORT_HEADERS = {
    "序号": "number", "编号": "number",
    "问题": "description", "问题描述": "description", "审计查出问题": "description", "问题内容": "description",
    "问题类别": "category", "类别": "category",
    "金额": "amount", "涉及金额": "amount", "金额（万元）": "amount", "涉及金额（万元）": "amount",
    "责任单位": "responsible_unit", "整改责任单位": "responsible_unit",
    "整改类型": "rectification_kind", "整改方式": "rectification_kind",
    "整改期限": "due_date",
}


def _cell_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-")
    return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))


def _unit_by_suffix(units: dict, name: str):
    """Audit lists often drop the city's name ("市财政局" for "江州市财政局"): accept a
    name that ends exactly one unit's full name."""
    matches = {u.pk: u for full, u in units.items() if full.endswith(name)}
    return next(iter(matches.values())) if len(matches) == 1 else None


@transaction.atomic
def audit_problems_import(*, actor: User, item: SupervisionItem, file) -> list[AuditProblem]:
    """Import the problem list from the audit bureau's Excel sheet (first sheet, a header
    row naming the columns). All or nothing: any bad row refuses the file with the rows' errors."""
    import openpyxl

    _ensure_edit(actor, item)
    _ensure_type(item, c.SupervisionType.AUDIT_RECTIFICATION, _("审计查出问题"))
    try:
        wb = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:
        raise _field_error("file", _("无法读取该文件，请上传 .xlsx 格式的 Excel 文件。"))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header_idx, columns = None, {}
    for i, row in enumerate(rows[:10]):
        found = {IMPORT_HEADERS[str(v).strip()]: j for j, v in enumerate(row) if v and str(v).strip() in IMPORT_HEADERS}
        if "description" in found:
            header_idx, columns = i, found
            break
    if header_idx is None:
        raise _field_error("file", _("未找到表头：第一张工作表须有“问题”列（可选：序号、问题类别、涉及金额、责任单位、整改类型、整改期限）。"))
    units = {}
    for u in HandlingUnit.objects.all():
        units[u.name] = u
        if u.short_name:
            units.setdefault(u.short_name, u)
    kinds = {str(label): value for value, label in c.RectificationKind.choices}
    created, errors = [], []
    for n, row in enumerate(rows[header_idx + 1:], start=header_idx + 2):
        def get(name, row=row):
            j = columns.get(name)
            return row[j] if j is not None and j < len(row) else None

        desc = get("description")
        if desc is None or not str(desc).strip():
            continue
        data = {"description": str(desc).strip(), "number": str(get("number") or "").strip()[:20],
                "category": str(get("category") or "").strip()[:50]}
        amount = get("amount")
        if amount not in (None, ""):
            try:
                data["amount"] = Decimal(str(amount).replace(",", "").replace("万元", "").strip())
            except InvalidOperation:
                errors.append(_("第%(n)d行：金额“%(v)s”不是数字。") % {"n": n, "v": amount})
        unit_name = str(get("responsible_unit") or "").strip()
        if unit_name:
            unit = units.get(unit_name) or _unit_by_suffix(units, unit_name)
            if unit is None:
                errors.append(_("第%(n)d行：找不到责任单位“%(v)s”。") % {"n": n, "v": unit_name})
            data["responsible_unit"] = unit
        kind = str(get("rectification_kind") or "").strip()
        if kind:
            if kind not in kinds:
                errors.append(_("第%(n)d行：整改类型应为“限期整改”或“持续整改”。") % {"n": n})
            data["rectification_kind"] = kinds.get(kind, c.RectificationKind.DEADLINE)
        try:
            data["due_date"] = _cell_date(get("due_date"))
        except ValueError:
            errors.append(_("第%(n)d行：整改期限“%(v)s”不是日期。") % {"n": n, "v": get("due_date")})
        created.append(AuditProblem(item=item, **data))
    if errors:
        raise _field_error("file", " ".join(str(e) for e in errors))
    if not created:
        raise _field_error("file", _("文件中没有问题记录。"))
    AuditProblem.objects.bulk_create(created)
    _mark_step(item, "problem_list", actor=actor, done_on=workdays.today())
    _touch(item, actor, _("从Excel导入审计查出问题%(n)d个") % {"n": len(created)})
    return created


@transaction.atomic
def audit_problem_submit_evidence(
    *, actor: User, problem: AuditProblem, version, measures: str, evidence: str, finished: bool = False
) -> AuditProblem:
    """The responsible body reports its measures and evidence; the lead office verifies."""
    item = problem.item
    own_unit = perms.is_unit_user_of(actor, problem.responsible_unit_id) or perms.is_body_user(actor, item)
    if not (own_unit or perms.can_edit(actor, item)):
        raise NotAllowed(_("只有责任单位或牵头委室可以报送整改情况。"))
    problem = _lock(AuditProblem, problem, version)
    if problem.status == c.ProblemStatus.RECTIFIED:
        raise ServiceError(_("该问题已对账销号。"))
    if not (measures or "").strip() and not (evidence or "").strip():
        raise _field_error("measures", _("请填写整改措施或佐证材料。"))
    before = snapshot(problem)
    problem.measures, problem.evidence = (measures or "").strip(), (evidence or "").strip()
    problem.status = c.ProblemStatus.EVIDENCE_SUBMITTED if finished else c.ProblemStatus.IN_PROGRESS
    problem.evidence_submitted_on = workdays.today()
    save_with_history(obj=problem, actor=actor, before=before, summary=_("报送整改情况"))
    if own_unit and not perms.can_edit(actor, item):
        notify(
            recipients=_office_staff(item.lead_office_id),
            title=_("审计整改材料已报送：%(p)s") % {"p": str(problem)[:60]},
            url=item.get_absolute_url(), target=item,
        )
    return problem


@transaction.atomic
def audit_problem_verify(
    *, actor: User, problem: AuditProblem, version, rectified_on: dt.date | None = None, rules_adopted: int = 0
) -> AuditProblem:
    """The lead office checks the evidence and closes the problem (对账销号)."""
    _ensure_edit(actor, problem.item)
    problem = _lock(AuditProblem, problem, version)
    if problem.status == c.ProblemStatus.RECTIFIED:
        raise ServiceError(_("该问题已对账销号。"))
    before = snapshot(problem)
    problem.status = c.ProblemStatus.RECTIFIED
    problem.rectified_on = rectified_on or workdays.today()
    problem.rules_adopted = rules_adopted or 0
    save_with_history(obj=problem, actor=actor, before=before, summary=_("对账销号"))
    return problem


# --- livelihood projects ---------------------------------------------------------

PROJECT_FIELDS = ["name", "description", "department", "budget"]


@transaction.atomic
def project_save(*, actor: User, item: SupervisionItem, project: LivelihoodProject | None = None, version=None, **data) -> LivelihoodProject:
    _ensure_edit(actor, item)
    _ensure_type(item, c.SupervisionType.LIVELIHOOD, _("民生实事项目"))
    unknown = set(data) - set(PROJECT_FIELDS)
    if unknown:
        raise ServiceError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if data.get("budget") is not None and data["budget"] < 0:
        raise _field_error("budget", _("预算不能为负数。"))
    if project is None:
        if not (data.get("name") or "").strip():
            raise _field_error("name", _("请填写项目名称。"))
        project = LivelihoodProject.objects.create(item=item, **data)
        record_change(obj=project, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(project), summary=_("新增候选项目"))
        return project
    project = _lock(LivelihoodProject, project, version)
    before = snapshot(project)
    for k, v in data.items():
        setattr(project, k, v)
    save_with_history(obj=project, actor=actor, before=before, summary=_("修改民生实事项目"))
    return project


@transaction.atomic
def project_votes_record(
    *, actor: User, item: SupervisionItem, voters_total: int, seats: int, votes: dict[int, tuple[int, int, int]],
    voted_on: dt.date | None = None,
) -> list[LivelihoodProject]:
    """The deputies' vote at the congress session: a candidate passes with more than half
    of the voters for it, and at most `seats` pass, highest first (more candidates than
    will pass, domain §3)."""
    _ensure_edit(actor, item)
    _ensure_type(item, c.SupervisionType.LIVELIHOOD, _("票决结果"))
    if not voters_total or voters_total <= 0:
        raise _field_error("voters_total", _("参加票决的代表人数须大于0。"))
    if not seats or seats <= 0:
        raise _field_error("seats", _("拟确定项目数须大于0。"))
    projects = {p.pk: p for p in LivelihoodProject.objects.select_for_update().filter(item=item)}
    if not projects:
        raise ServiceError(_("请先录入候选项目。"))
    # A vote may be corrected until the departments start reporting; after that a new
    # count would silently undo their progress and completions.
    started = [p.name for p in projects.values()
               if p.status == c.ProjectStatus.COMPLETED or p.progress_updated_on is not None]
    if started:
        raise ServiceError(
            _("以下项目已报告进度，不能重新录入票决结果：%(n)s") % {"n": "、".join(started)}
        )
    missing = [p.name for pk, p in projects.items() if pk not in votes]
    if missing:
        raise _field_error("votes", _("以下候选项目缺少票数：%(n)s") % {"n": "、".join(missing)})
    for pk, (yes, no, abstain) in votes.items():
        if pk not in projects:
            raise _field_error("votes", _("候选项目不存在。"))
        if min(yes, no, abstain) < 0 or yes + no + abstain > voters_total:
            raise _field_error("votes", _("“%(n)s”的票数之和超过参加票决的代表人数。") % {"n": projects[pk].name})
    ranked = sorted(projects.values(), key=lambda p: (-votes[p.pk][0], p.pk))
    passed = 0
    for p in ranked:
        p.votes_for, p.votes_against, p.votes_abstain = votes[p.pk]
        if p.votes_for * 2 > voters_total and passed < seats:
            p.status = c.ProjectStatus.ELECTED
            passed += 1
        else:
            p.status = c.ProjectStatus.NOT_ELECTED
        p.version += 1
    LivelihoodProject.objects.bulk_update(ranked, ["votes_for", "votes_against", "votes_abstain", "status", "version"])
    _mark_step(item, "vote", actor=actor, done_on=voted_on or item.hearing_date or workdays.today())
    _touch(
        item, actor, _("记录票决结果：%(p)d个项目当选（参加%(v)d人，拟定%(s)d个）") % {"p": passed, "v": voters_total, "s": seats}
    )
    return ranked


@transaction.atomic
def project_progress(
    *, actor: User, project: LivelihoodProject, version, percent: int, note: str, completed: bool = False
) -> LivelihoodProject:
    """Progress reported by the lead office or the department itself ("年中问进度")."""
    item = project.item
    if not (perms.can_edit(actor, item) or perms.is_unit_user_of(actor, project.department_id)):
        raise NotAllowed(_("只有牵头委室或项目责任单位可以更新进度。"))
    project = _lock(LivelihoodProject, project, version)
    if project.status not in (c.ProjectStatus.ELECTED, c.ProjectStatus.COMPLETED):
        raise ServiceError(_("只有票决通过的项目需要报告进度。"))
    if percent is None or not 0 <= percent <= 100:
        raise _field_error("percent", _("进度应在0到100之间。"))
    if not (note or "").strip():
        raise _field_error("note", _("请填写进展情况。"))
    before = snapshot(project)
    project.progress_percent, project.progress_note = percent, note.strip()
    project.progress_updated_on = workdays.today()
    if completed or percent == 100:
        project.status = c.ProjectStatus.COMPLETED
    save_with_history(obj=project, actor=actor, before=before, summary=_("更新项目进度"))
    return project


@transaction.atomic
def milestone_save(
    *, actor: User, project: LivelihoodProject, title: str, due_date: dt.date, milestone: ProjectMilestone | None = None,
    done_on: dt.date | None = None, version=None,
) -> ProjectMilestone:
    item = project.item
    if not (perms.can_edit(actor, item) or (milestone and perms.is_unit_user_of(actor, project.department_id))):
        raise NotAllowed(_("只有牵头委室可以设定项目节点。"))
    if not (title or "").strip():
        raise _field_error("title", _("请填写节点。"))
    if due_date is None:
        raise _field_error("due_date", _("请填写计划完成日期。"))
    if done_on and done_on > workdays.today():
        raise _field_error("done_on", _("实际完成日期不能晚于今天。"))
    if milestone is None:
        m = ProjectMilestone.objects.create(project=project, item=item, title=title.strip(), due_date=due_date, done_on=done_on)
        record_change(obj=project, actor=actor, changes={"milestones": [None, f"{m.title} {m.due_date}"]}, summary=_("新增项目节点"))
        return m
    m = _lock(ProjectMilestone, milestone, version)
    before = snapshot(m)
    if perms.can_edit(actor, item):
        m.title, m.due_date = title.strip(), due_date
    m.done_on = done_on
    save_with_history(obj=m, actor=actor, before=before, summary=_("更新项目节点"))
    return m


# --- appraisals ----------------------------------------------------------------------

TARGET_FIELDS = ["person_name", "position", "unit", "opinion", "rectification_due"]


@transaction.atomic
def appraisal_target_save(
    *, actor: User, item: SupervisionItem, target: AppraisalTarget | None = None, version=None, **data
) -> AppraisalTarget:
    _ensure_edit(actor, item)
    if item.kind not in c.APPRAISAL_TYPES:
        raise ServiceError(_("只有工作评议、履职评议可以记录评议对象。"))
    unknown = set(data) - set(TARGET_FIELDS)
    if unknown:
        raise ServiceError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if target is None:
        if not (data.get("person_name") or "").strip():
            raise _field_error("person_name", _("请填写评议对象。"))
        target = AppraisalTarget.objects.create(item=item, **data)
        record_change(obj=target, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(target), summary=_("新增评议对象"))
        return target
    target = _lock(AppraisalTarget, target, version)
    before = snapshot(target)
    for k, v in data.items():
        setattr(target, k, v)
    save_with_history(obj=target, actor=actor, before=before, summary=_("修改评议对象"))
    return target


@transaction.atomic
def appraisal_vote(
    *, actor: User, target: AppraisalTarget, version, members_total: int, satisfied: int, basically_satisfied: int,
    dissatisfied: int,
) -> AppraisalTarget:
    """The members' vote on one person appraised, by the same rule as satisfaction votes."""
    _ensure_edit(actor, target.item)
    target = _lock(AppraisalTarget, target, version)
    _validate_counts(members_total, satisfied, basically_satisfied, dissatisfied)
    outcome = rules.satisfaction_result(members_total=members_total, satisfied=satisfied, basically_satisfied=basically_satisfied)
    before = snapshot(target)
    target.members_total, target.satisfied = members_total, satisfied
    target.basically_satisfied, target.dissatisfied = basically_satisfied, dissatisfied
    target.result = outcome.result
    save_with_history(obj=target, actor=actor, before=before, summary=_("评议测评"), reason=outcome.explanation)
    return target


@transaction.atomic
def appraisal_rectification(
    *, actor: User, target: AppraisalTarget, version, report: str, rectified_on: dt.date | None = None
) -> AppraisalTarget:
    item = target.item
    if not (perms.can_edit(actor, item) or perms.is_unit_user_of(actor, target.unit_id)):
        raise NotAllowed(_("只有牵头委室或评议对象所在单位可以报送整改情况。"))
    target = _lock(AppraisalTarget, target, version)
    if not (report or "").strip():
        raise _field_error("report", _("请填写整改情况。"))
    before = snapshot(target)
    target.rectification_report, target.rectified_on = report.strip(), rectified_on or workdays.today()
    save_with_history(obj=target, actor=actor, before=before, summary=_("报送整改情况"))
    return target


# --- interpellations ----------------------------------------------------------------

@transaction.atomic
def interpellation_create(
    *, actor: User, item: SupervisionItem, subject: str, proposer_names: str, submitted_on: dt.date,
    addressed_unit: HandlingUnit | None = None, answer_form: str = c.AnswerForm.ORAL,
) -> Interpellation:
    """An interpellation needs enough members in writing (Supervision Law art. 35: 5 at
    city level, 3 at county level; configurable)."""
    _ensure_edit(actor, item)
    _ensure_type(item, c.SupervisionType.INTERPELLATION, _("质询案"))
    names = [n.strip() for n in (proposer_names or "").replace("，", "\n").replace("、", "\n").splitlines() if n.strip()]
    if len(set(names)) != len(names):
        raise _field_error("proposer_names", _("提案人有重复。"))
    minimum = rules.setting("interpellation_min_members")
    if len(names) < minimum:
        raise _field_error(
            "proposer_names",
            _("质询案须由常委会组成人员%(m)d人以上联名提出，现有%(n)d人。") % {"m": minimum, "n": len(names)},
        )
    if not (subject or "").strip():
        raise _field_error("subject", _("请填写质询事由。"))
    if submitted_on is None:
        raise _field_error("submitted_on", _("请填写提出日期。"))
    inter = Interpellation.objects.create(
        item=item, subject=subject.strip(), proposer_names="\n".join(names), proposer_count=len(names),
        submitted_on=submitted_on, addressed_unit=addressed_unit or item.target_unit, answer_form=answer_form,
    )
    _mark_step(item, "received", actor=actor, done_on=submitted_on)
    record_change(obj=inter, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(inter), summary=_("收到质询案"))
    return inter


@transaction.atomic
def interpellation_answer(
    *, actor: User, inter: Interpellation, version, answered_on: dt.date, answer_text: str, second: bool = False
) -> Interpellation:
    item = inter.item
    if not (perms.can_edit(actor, item) or perms.is_unit_user_of(actor, inter.addressed_unit_id)):
        raise NotAllowed(_("只有受质询机关或牵头委室可以记录答复。"))
    inter = _lock(Interpellation, inter, version)
    if answered_on is None:
        raise _field_error("answered_on", _("请填写答复日期。"))
    if second and not inter.second_answer_required:
        raise ServiceError(_("过半数提案人不满意时才需再次答复。"))
    if not second and inter.answered_on:
        raise ServiceError(_("已记录答复。"))
    before = snapshot(inter)
    if second:
        inter.second_answered_on = answered_on
        inter.answer_text = f"{inter.answer_text}\n\n【{_('再次答复')}】{answer_text.strip()}".strip()
        _mark_step(item, "second_answer", actor=actor, done_on=answered_on)
    else:
        inter.answered_on, inter.answer_text = answered_on, (answer_text or "").strip()
        _mark_step(item, "answer", actor=actor, done_on=answered_on)
    save_with_history(obj=inter, actor=actor, before=before, summary=_("质询答复"))
    return inter


@transaction.atomic
def interpellation_record_dissatisfaction(*, actor: User, inter: Interpellation, version, dissatisfied_count: int) -> Interpellation:
    """Supervision Law art. 37: more than half of the proposers dissatisfied → a second answer."""
    _ensure_edit(actor, inter.item)
    inter = _lock(Interpellation, inter, version)
    if not inter.answered_on:
        raise ServiceError(_("请先记录答复。"))
    if dissatisfied_count is None or not 0 <= dissatisfied_count <= inter.proposer_count:
        raise _field_error("dissatisfied_count", _("不满意人数应在0到提案人数%(n)d之间。") % {"n": inter.proposer_count})
    before = snapshot(inter)
    inter.dissatisfied_count = dissatisfied_count
    inter.second_answer_required = rules.second_answer_required(
        proposer_count=inter.proposer_count, dissatisfied=dissatisfied_count
    )
    save_with_history(obj=inter, actor=actor, before=before, summary=_("记录提案人意见"))
    step = SupervisionStep.objects.filter(item=inter.item, code="second_answer")
    step.update(skipped=not inter.second_answer_required)
    return inter


# --- filing review -------------------------------------------------------------------

@transaction.atomic
def filed_document_create(
    *, actor: User, item: SupervisionItem, title: str, published_on: dt.date, filed_on: dt.date | None = None,
    doc_number: str = "", maker: HandlingUnit | None = None,
) -> FiledDocument:
    """A filed normative document: due within 30 days of publication; proactive review within 3 months."""
    _ensure_edit(actor, item)
    _ensure_type(item, c.SupervisionType.FILING_REVIEW, _("备案文件"))
    if not (title or "").strip():
        raise _field_error("title", _("请填写文件名称。"))
    if published_on is None:
        raise _field_error("published_on", _("请填写公布日期。"))
    if filed_on and filed_on < published_on:
        raise _field_error("filed_on", _("报备日期不能早于公布日期。"))
    doc = FiledDocument.objects.create(
        item=item, title=title.strip(), doc_number=doc_number, maker=maker, published_on=published_on, filed_on=filed_on,
        filing_due=workdays.deadline_after_days(published_on, period("filing_days")),
        review_due=workdays.deadline_after_months(filed_on, period("filing_review_months")) if filed_on else None,
        status=c.FilingStatus.REVIEWING if filed_on else c.FilingStatus.FILED,
    )
    record_change(obj=doc, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(doc), summary=_("登记备案文件"))
    return doc


@transaction.atomic
def filed_document_review(
    *, actor: User, doc: FiledDocument, version, finding: str, problem: bool, reviewed_on: dt.date | None = None
) -> FiledDocument:
    """The review's conclusion; a problem sends a written opinion the maker answers within 30 days."""
    _ensure_edit(actor, doc.item)
    doc = _lock(FiledDocument, doc, version)
    if doc.status in (c.FilingStatus.NO_ISSUE, c.FilingStatus.CORRECTED):
        raise ServiceError(_("该文件已审查完毕。"))
    if problem and not (finding or "").strip():
        raise _field_error("finding", _("请填写审查意见。"))
    reviewed_on = reviewed_on or workdays.today()
    before = snapshot(doc)
    doc.finding, doc.reviewed_on = (finding or "").strip(), reviewed_on
    if problem:
        doc.status, doc.opinion_sent_on = c.FilingStatus.OPINION_SENT, reviewed_on
        doc.answer_due = workdays.deadline_after_days(reviewed_on, period("filing_answer_days"))
    else:
        doc.status = c.FilingStatus.NO_ISSUE
    save_with_history(obj=doc, actor=actor, before=before, summary=_("备案审查"))
    if problem and doc.maker_id:
        notify(
            recipients=_users_of_units([doc.maker_id]),
            title=_("备案审查意见：%(t)s") % {"t": doc.title},
            body=_("请于%(d)s前书面答复处理情况。") % {"d": doc.answer_due},
            url=doc.item.get_absolute_url(), level=Level.ACTION, target=doc.item,
        )
    return doc


@transaction.atomic
def filed_document_answer(*, actor: User, doc: FiledDocument, version, answered_on: dt.date | None = None, corrected: bool = True) -> FiledDocument:
    item = doc.item
    if not (perms.can_edit(actor, item) or perms.is_unit_user_of(actor, doc.maker_id)):
        raise NotAllowed(_("只有制定机关或牵头委室可以记录答复。"))
    doc = _lock(FiledDocument, doc, version)
    if doc.status != c.FilingStatus.OPINION_SENT:
        raise ServiceError(_("该文件没有待答复的审查意见。"))
    before = snapshot(doc)
    doc.answered_on = answered_on or workdays.today()
    if corrected:
        doc.status = c.FilingStatus.CORRECTED
    save_with_history(obj=doc, actor=actor, before=before, summary=_("制定机关答复"))
    return doc


# --- attachments ---------------------------------------------------------------------

@transaction.atomic
def attachment_add(*, actor: User, item: SupervisionItem, file, kind: str = "", target=None) -> Attachment:
    """A document on the item (or one of its records): plans, reports, evidence. The lead
    office and the bodies the item concerns may upload; everyone who sees the item reads it."""
    target = target or item
    if not (perms.can_edit(actor, item) or perms.is_body_user(actor, item)
            or (isinstance(target, AuditProblem) and perms.is_unit_user_of(actor, target.responsible_unit_id))):
        raise NotAllowed(_("您不能为该监督事项上传材料。"))
    if file is None:
        raise _field_error("file", _("请选择文件。"))
    if file.size > 20 * 1024 * 1024:
        raise _field_error("file", _("文件不能超过20MB。"))
    att = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk, file=file,
        name=getattr(file, "name", "file")[:200], kind=kind[:40], uploaded_by=actor,
    )
    _touch(item, actor, _("上传材料：%(n)s") % {"n": att.name})
    return att
