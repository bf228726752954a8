"""Every write to legislative plans and regulation projects.

Each service is keyword-only and runs in one transaction: it checks the actor's right
and the record's state, locks the row where two people may race (with the version the
actor read), makes the change and writes history in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from congress.exceptions import NotAllowed, ServiceError, check_version
from congress.history import record_change, snapshot
from congress.models import AgendaItem, Attachment, AuditEntry, HandlingUnit, Meeting, Office, User
from congress.roles import Role
from congress.workdays import today

from .choices import (
    CLOSED_STATUSES,
    MEETING_STEPS,
    READINGS,
    Category,
    DocumentKind,
    PlanKind,
    PlanStatus,
    ProjectKind,
    ProjectStatus,
    Step,
    next_step,
    step_sequence,
)
from .models import LegislativePlan, ProjectStep, RegulationProject

STAFF_ROLES = {Role.STAFF, Role.ASSIGNING_CLERK}

# ---------------------------------------------------------------------------
# Who may do what


def is_affairs_office(office: Office | None) -> bool:
    """The 法工委 (its short name or full name, setting LEGISLATION_AFFAIRS_OFFICE)."""
    if office is None:
        return False
    name = getattr(settings, "LEGISLATION_AFFAIRS_OFFICE", "法工委")
    return name in (office.short_name, office.name)


def can_manage_plans(user) -> bool:
    """Plans are drawn up by the 法工委's staff and administrators; leaders read them."""
    if not user.is_authenticated:
        return False
    if user.is_app_admin:
        return True
    return user.role in STAFF_ROLES and is_affairs_office(user.office)


def can_manage_project(user, project: RegulationProject) -> bool:
    """A project is kept by the staff of the 法工委 and of its lead committee, and by
    administrators. Leaders, deputies and handling units read it."""
    if not user.is_authenticated:
        return False
    if user.is_app_admin:
        return True
    if user.role not in STAFF_ROLES or not user.office_id:
        return False
    return is_affairs_office(user.office) or user.office_id == project.lead_office_id


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("只有法工委、牵头委员会的工作人员和系统管理员可以修改立法项目。"))


def _lock_project(project: RegulationProject) -> RegulationProject:
    return (
        RegulationProject.objects.select_for_update(of=("self",))
        .select_related("plan", "lead_office")
        .get(pk=project.pk)
    )


def _open(project: RegulationProject) -> None:
    if project.status in CLOSED_STATUSES:
        raise ServiceError(_("该项目%s，不能再办理。") % project.get_status_display())


# ---------------------------------------------------------------------------
# Plans


def _clean_plan(kind, year, end_year, title) -> dict:
    errors = {}
    if kind not in PlanKind.values:
        errors["kind"] = _("请选择计划类别。")
    try:
        year = int(year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = _("请填写正确的年度。")
        year = None
    if kind == PlanKind.FIVE_YEAR:
        try:
            end_year = int(end_year) if end_year not in (None, "") else (year + 4 if year else None)
        except (TypeError, ValueError):
            end_year = None
        if year and (not end_year or not year <= end_year <= year + 10):
            errors["end_year"] = _("截止年度应不早于起始年度。")
    else:
        end_year = None
    if errors:
        raise ServiceError(errors)
    default = (
        _("%(a)s—%(b)s年立法规划") % {"a": year, "b": end_year}
        if kind == PlanKind.FIVE_YEAR
        else _("%(year)s年度立法计划") % {"year": year}
    )
    return {"kind": kind, "year": year, "end_year": end_year, "title": (title or "").strip() or default}


@transaction.atomic
def plan_create(
    *,
    actor: User,
    kind: str = PlanKind.ANNUAL,
    year: int,
    end_year: int | None = None,
    title: str = "",
    description: str = "",
    status: str = PlanStatus.DRAFT,
    adopted_on: dt.date | None = None,
    adopted_at: Meeting | None = None,
) -> LegislativePlan:
    """A new plan (a year's 立法计划 or a five-year 立法规划); projects come by hand or
    from an imported document."""
    _require(can_manage_plans(actor), _("只有法工委的工作人员和系统管理员可以新建立法计划。"))
    data = _clean_plan(kind, year, end_year, title)
    if status not in PlanStatus.values:
        raise ServiceError({"status": _("请选择状态。")})
    if status == PlanStatus.ADOPTED and not adopted_on:
        raise ServiceError({"adopted_on": _("已通过的计划请填写通过日期。")})
    plan = LegislativePlan.objects.create(
        **data, description=description or "", status=status, adopted_on=adopted_on, adopted_at=adopted_at,
        created_by=actor,
    )
    record_change(obj=plan, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(plan), summary=_("新建立法计划"))
    return plan


PLAN_FIELDS = ("kind", "year", "end_year", "title", "description", "status", "adopted_on", "adopted_at")


@transaction.atomic
def plan_update(*, actor: User, plan: LegislativePlan, version, **fields) -> LegislativePlan:
    """Change a plan's heading data, or record its adoption by the 主任会议."""
    plan = LegislativePlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _require(can_manage_plans(actor), _("只有法工委的工作人员和系统管理员可以修改立法计划。"))
    check_version(plan, version)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ServiceError(_("无法修改字段：%s") % ", ".join(sorted(unknown)))
    before = snapshot(plan)
    data = _clean_plan(
        fields.get("kind", plan.kind), fields.get("year", plan.year), fields.get("end_year", plan.end_year),
        fields.get("title", plan.title),
    )
    for name, value in {**fields, **data}.items():
        setattr(plan, name, value)
    if plan.status not in PlanStatus.values:
        raise ServiceError({"status": _("请选择状态。")})
    if plan.status == PlanStatus.ADOPTED and not plan.adopted_on:
        raise ServiceError({"adopted_on": _("已通过的计划请填写通过日期。")})
    plan.version += 1
    plan.save()
    record_change(obj=plan, actor=actor, before=before, after=snapshot(plan), summary=_("修改立法计划"))
    return plan


# ---------------------------------------------------------------------------
# Projects


def _clean_project(fields: dict) -> None:
    errors = {}
    if "title" in fields and not (fields["title"] or "").strip():
        errors["title"] = _("请填写法规名称。")
    if "category" in fields and fields["category"] not in Category.values:
        errors["category"] = _("请选择项目类别。")
    if "kind" in fields and fields["kind"] not in ProjectKind.values:
        errors["kind"] = _("请选择立法形式。")
    vice_chair = fields.get("vice_chair")
    if vice_chair is not None and not vice_chair.is_leader:
        errors["vice_chair"] = _("分管副主任应为常委会领导。")
    if errors:
        raise ServiceError(errors)


@transaction.atomic
def project_add(
    *,
    actor: User,
    plan: LegislativePlan,
    title: str,
    category: str = Category.FIRST,
    kind: str = ProjectKind.ENACT,
    lead_office: Office | None = None,
    drafting_body: str = "",
    drafting_unit: HandlingUnit | None = None,
    vice_chair: User | None = None,
    previous: RegulationProject | None = None,
) -> RegulationProject:
    """Add a regulation to a plan. A new project has no step yet: 立项 is its first."""
    plan = LegislativePlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _require(can_manage_plans(actor), _("只有法工委的工作人员和系统管理员可以向立法计划添加项目。"))
    fields = dict(title=title, category=category, kind=kind, vice_chair=vice_chair)
    _clean_project(fields)
    position = (plan.projects.filter(category=category).aggregate(m=Max("position"))["m"] or 0) + 1
    project = RegulationProject.objects.create(
        plan=plan, position=position, title=title.strip(), category=category, kind=kind, lead_office=lead_office,
        drafting_body=(drafting_body or "").strip(), drafting_unit=drafting_unit, vice_chair=vice_chair,
        previous=previous,
    )
    record_change(obj=project, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(project),
                  summary=_("列入%s") % plan.title)
    return project


PROJECT_FIELDS = ("title", "category", "kind", "lead_office", "drafting_body", "drafting_unit", "vice_chair")


@transaction.atomic
def project_update(*, actor: User, project: RegulationProject, version, **fields) -> RegulationProject:
    """Change a project's data (title, category, kind, lead committee, drafting body, vice-chair)."""
    project = _lock_project(project)
    _require(can_manage_project(actor, project))
    check_version(project, version)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ServiceError(_("无法修改字段：%s") % ", ".join(sorted(unknown)))
    _clean_project(fields)
    before = snapshot(project)
    for name, value in fields.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    project.version += 1
    project.save()
    record_change(obj=project, actor=actor, before=before, after=snapshot(project), summary=_("修改立法项目"))
    return project


def _agenda_item_for(step: str, agenda_item: AgendaItem | None, date: dt.date | None):
    """A reading or the vote happens at a standing-committee meeting: its agenda item
    gives the date when none is typed."""
    if agenda_item is None:
        return date
    if step not in MEETING_STEPS:
        raise ServiceError({"agenda_item": _("只有审议和表决环节关联常委会会议议题。")})
    if agenda_item.meeting.kind != Meeting.Kind.STANDING:
        raise ServiceError({"agenda_item": _("请选择常委会会议的议题。")})
    return date or agenda_item.meeting.start_date


@transaction.atomic
def project_advance(
    *,
    actor: User,
    project: RegulationProject,
    step: str,
    version,
    date: dt.date | None = None,
    agenda_item: AgendaItem | None = None,
    note: str = "",
) -> ProjectStep:
    """Record the project's next step (choices.step_sequence: no step may be skipped or
    repeated). A reading or the vote may name its agenda item; the vote completes the
    deliberation, publication completes the project."""
    project = _lock_project(project)
    _require(can_manage_project(actor, project))
    check_version(project, version)
    _open(project)
    if step not in Step.values:
        raise ServiceError({"step": _("请选择环节。")})
    expected = next_step(project.current_step)
    if expected is None:
        raise ServiceError({"step": _("该项目已完成全部环节。")})
    if step != expected:
        raise ServiceError(
            {"step": _("下一环节应为“%(next)s”，不能直接登记“%(step)s”。") % {"next": Step(expected).label,
                                                                       "step": Step(step).label}}
        )
    if project.category in (Category.PREPARATORY, Category.RESEARCH) and step == Step.SUBMISSION:
        raise ServiceError({"step": _("预备项目和调研项目须先经主任会议调整为正式项目，才能提请审议。")})
    date = _agenda_item_for(step, agenda_item, date) or today()
    if date > today():
        raise ServiceError({"date": _("日期不能晚于今天。")})
    last = project.steps.order_by("-date", "-id").first()
    if last is not None and date < last.date:
        raise ServiceError({"date": _("日期不能早于上一环节（%(step)s，%(date)s）。") % {
            "step": last.get_step_display(), "date": f"{last.date:%Y-%m-%d}"}})
    if agenda_item is not None and ProjectStep.objects.filter(agenda_item=agenda_item).exists():
        raise ServiceError({"agenda_item": _("该议题已关联其他审议环节。")})
    before = snapshot(project)
    record = ProjectStep.objects.create(
        project=project, step=step, date=date, agenda_item=agenda_item, note=(note or "").strip(), recorded_by=actor
    )
    project.current_step = step
    if step in READINGS:
        project.last_reading_on = date
    elif step == Step.VOTE:
        project.voted_on = date
    elif step == Step.APPROVAL:
        project.approval_requested_on = date
    elif step == Step.PUBLICATION:
        project.published_on = date
        project.status = ProjectStatus.COMPLETED
    project.version += 1
    project.save()
    record_change(obj=project, actor=actor, before=before, after=snapshot(project),
                  summary=_("登记环节：%s") % Step(step).label, reason=record.note)
    return record


@transaction.atomic
def project_link_agenda_item(
    *, actor: User, project: RegulationProject, step_record: ProjectStep, agenda_item: AgendaItem | None, version
) -> ProjectStep:
    """Link (or unlink) a reading or the vote to the agenda item where it was heard."""
    project = _lock_project(project)
    _require(can_manage_project(actor, project))
    check_version(project, version)
    if step_record.project_id != project.pk:
        raise ServiceError({"step": _("该环节不属于本项目。")})
    if agenda_item is not None:
        _agenda_item_for(step_record.step, agenda_item, step_record.date)
        if ProjectStep.objects.filter(agenda_item=agenda_item).exclude(pk=step_record.pk).exists():
            raise ServiceError({"agenda_item": _("该议题已关联其他审议环节。")})
    before = str(step_record.agenda_item) if step_record.agenda_item_id else None
    step_record.agenda_item = agenda_item
    step_record.save(update_fields=["agenda_item"])
    project.version += 1
    project.save(update_fields=["version", "updated_at"])
    record_change(obj=project, actor=actor,
                  changes={"agenda_item": [before, str(agenda_item) if agenda_item else None]},
                  summary=_("%s关联会议议题") % step_record.get_step_display())
    return step_record


@transaction.atomic
def project_record_approval(*, actor: User, project: RegulationProject, approved_on: dt.date, version) -> RegulationProject:
    """The provincial standing committee approved the regulation (Legislation Law art. 81):
    publication may follow."""
    project = _lock_project(project)
    _require(can_manage_project(actor, project))
    check_version(project, version)
    _open(project)
    if project.current_step != Step.APPROVAL:
        raise ServiceError({"approved_on": _("只有处于“报省人大常委会批准”环节的项目可以登记批准。")})
    if not approved_on:
        raise ServiceError({"approved_on": _("请填写批准日期。")})
    if approved_on > today() or (project.approval_requested_on and approved_on < project.approval_requested_on):
        raise ServiceError({"approved_on": _("批准日期应在报请批准之后、今天之前。")})
    before = snapshot(project)
    project.approved_on = approved_on
    project.version += 1
    project.save()
    record_change(obj=project, actor=actor, before=before, after=snapshot(project), summary=_("登记省人大常委会批准"))
    return project


@transaction.atomic
def project_record_filing(*, actor: User, project: RegulationProject, filed_on: dt.date, version) -> RegulationProject:
    """Filed (备案) with the higher bodies after publication (Legislation Law art. 109)."""
    project = _lock_project(project)
    _require(can_manage_project(actor, project))
    check_version(project, version)
    if not project.published_on:
        raise ServiceError({"filed_on": _("法规公布后才能登记备案。")})
    if not filed_on or filed_on < project.published_on or filed_on > today():
        raise ServiceError({"filed_on": _("备案日期应在公布之后、今天之前。")})
    before = snapshot(project)
    project.filed_on = filed_on
    project.version += 1
    project.save()
    record_change(obj=project, actor=actor, before=before, after=snapshot(project), summary=_("登记备案"))
    return project


@transaction.atomic
def project_shelve(*, actor: User, project: RegulationProject, reason: str, version) -> RegulationProject:
    """Stop a project (the 主任会议 decided so, the matter is settled otherwise): the
    reason is kept for the year-end report."""
    project = _lock_project(project)
    _require(can_manage_project(actor, project))
    check_version(project, version)
    _open(project)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError({"reason": _("请说明搁置理由。")})
    if project.status == ProjectStatus.COMPLETED:
        raise ServiceError(_("已公布的法规不能搁置。"))
    before = snapshot(project)
    project.status = ProjectStatus.SHELVED
    project.status_reason = reason
    project.version += 1
    project.save()
    record_change(obj=project, actor=actor, before=before, after=snapshot(project), reason=reason, summary=_("搁置"))
    return project


@transaction.atomic
def project_carry_over(
    *, actor: User, project: RegulationProject, next_plan: LegislativePlan, version, reason: str = ""
) -> RegulationProject:
    """Carry an unfinished project into next year's plan: a new project there (继续审议
    once it has been read, otherwise in its old category), linked to this one, which
    closes as carried over. The new project starts where the old one stands."""
    project = _lock_project(project)
    _require(can_manage_project(actor, project))
    _require(can_manage_plans(actor), _("只有法工委的工作人员和系统管理员可以将项目结转至下年度计划。"))
    check_version(project, version)
    _open(project)
    if project.status == ProjectStatus.COMPLETED:
        raise ServiceError(_("已公布的法规无需结转。"))
    if next_plan.kind != PlanKind.ANNUAL or next_plan.year != project.plan.year + 1:
        raise ServiceError({"next_plan": _("请选择%s年度立法计划。") % (project.plan.year + 1)})
    read = project.current_step in {*READINGS, Step.VOTE}
    category = Category.CONTINUED if read else project.category
    new = project_add(
        actor=actor, plan=next_plan, title=project.title, category=category, kind=project.kind,
        lead_office=project.lead_office, drafting_body=project.drafting_body, drafting_unit=project.drafting_unit,
        vice_chair=project.vice_chair, previous=project,
    )
    # The steps already taken stay on the old project; the new one carries where it stands.
    new.current_step = project.current_step
    new.last_reading_on = project.last_reading_on
    new.save(update_fields=["current_step", "last_reading_on", "updated_at"])
    before = snapshot(project)
    project.status = ProjectStatus.CARRIED_OVER
    project.status_reason = (reason or "").strip() or _("结转至%s") % next_plan.title
    project.version += 1
    project.save()
    record_change(obj=project, actor=actor, before=before, after=snapshot(project), reason=project.status_reason,
                  summary=_("结转至%s") % next_plan.title)
    return new


@transaction.atomic
def project_upload_document(
    *, actor: User, project: RegulationProject, kind: str, file, name: str = ""
) -> Attachment:
    """A document of the project: the draft, its explanation, the deliberation report,
    the report on revisions. Files are checked by congress/uploads.py (the model field's
    validator runs here, so the API and the page refuse the same files)."""
    project = _lock_project(project)
    _require(can_manage_project(actor, project))
    if kind not in DocumentKind.values:
        raise ServiceError({"kind": _("请选择材料类别。")})
    if file is None:
        raise ServiceError({"file": _("请选择文件。")})
    from congress.uploads import validate_document

    try:
        validate_document(file)
    except Exception as exc:  # django ValidationError with the file's name
        raise ServiceError({"file": getattr(exc, "messages", [str(exc)])})
    att = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(RegulationProject),
        object_id=project.pk,
        file=file,
        name=(name or getattr(file, "name", "") or _("附件"))[:200],
        kind=kind,
        uploaded_by=actor,
    )
    project.version += 1
    project.save(update_fields=["version", "updated_at"])
    record_change(obj=project, actor=actor, action=AuditEntry.Action.UPDATE,
                  summary=_("上传%(kind)s：%(name)s") % {"kind": DocumentKind(kind).label, "name": att.name})
    return att


def steps_remaining(project: RegulationProject) -> list[str]:
    seq = step_sequence()
    if not project.current_step:
        return seq
    return seq[seq.index(project.current_step) + 1:] if project.current_step in seq else []


# ---------------------------------------------------------------------------
# Import of a plan document


def plan_import_preview(*, actor: User, plan: LegislativePlan, text: str = "", file_name: str = "",
                        file_data: bytes | None = None):
    """Parse a pasted text or an uploaded .txt/.docx; nothing is saved until confirmed.
    Returns (parsed plan, the source as text, for the confirm step to send back)."""
    from . import importer

    _require(can_manage_plans(actor), _("只有法工委的工作人员和系统管理员可以导入立法计划。"))
    if not file_data and not (text or "").strip():
        raise ServiceError({"text": _("请粘贴立法计划原文或上传 .txt / .docx 文件。")})
    try:
        parsed, source = importer.parse(text=text, file_name=file_name, file_data=file_data)
    except ValueError as exc:
        raise ServiceError({"file" if file_data else "text": str(exc)})
    if not parsed.projects:
        raise ServiceError({"file" if file_data else "text": parsed.warnings[-1]})
    return parsed, source


@transaction.atomic
def plan_import_confirm(*, actor: User, plan: LegislativePlan, text: str, version) -> list[RegulationProject]:
    """Add every project of the (re-parsed) text to the plan, in the document's order.
    The plan's version guards against importing the same preview twice."""
    from . import importer

    plan = LegislativePlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _require(can_manage_plans(actor), _("只有法工委的工作人员和系统管理员可以导入立法计划。"))
    check_version(plan, version)
    parsed, _source = importer.parse(text=text)
    if not parsed.projects:
        raise ServiceError({"text": _("未识别出立法项目。")})
    created = [project_add(actor=actor, plan=plan, **p) for p in parsed.projects]
    plan.version += 1
    plan.save(update_fields=["version", "updated_at"])
    record_change(obj=plan, actor=actor, action=AuditEntry.Action.UPDATE,
                  summary=_("导入立法项目%(n)d件") % {"n": len(created)})
    return created
