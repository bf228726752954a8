"""Every write to plans, items, progress entries and import drafts.

Each service is keyword-only, runs in one transaction, checks the actor's right and
the record's state, locks the row where two people may race, writes history and
queues notifications in the same transaction (architecture habit 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Avg, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.exceptions import NotAllowed, ServiceError, check_version
from congress.history import record_change, snapshot
from congress.models import Attachment, AuditEntry, Office, User
from congress.notifications import Level, notify
from congress.roles import Role
from congress.workdays import today

from . import importer
from .choices import (
    CLOSED_STATUSES,
    REASON_REQUIRED,
    TRANSITIONS,
    ItemStatus,
    ItemType,
    PeriodKind,
    PlanKind,
    can_transition,
)
from .dates import due_date_for
from .models import ImportDraft, Plan, PlanItem, ProgressEntry, default_plan_title

UNSET = object()
STAFF_ROLES = {Role.STAFF, Role.ASSIGNING_CLERK}

# ---------------------------------------------------------------------------
# Who may do what


def can_create_plan(user) -> bool:
    """Committee staff, leaders and administrators draw up plans."""
    return bool(user.is_authenticated and user.is_internal)


def can_manage_plan(user, plan: Plan) -> bool:
    """Edit a plan, import it, assign its items: its drafting office, its creator,
    leaders (the 主任会议 approves and adjusts plans) and administrators."""
    if not user.is_authenticated or not user.is_internal:
        return False
    if user.is_app_admin or user.is_leader:
        return True
    if plan.created_by_id and plan.created_by_id == user.pk:
        return True
    return bool(user.office_id and user.office_id == plan.owner_office_id)


def is_lead_office_staff(user, item: PlanItem) -> bool:
    return bool(
        user.is_authenticated and user.role in STAFF_ROLES and user.office_id and user.office_id == item.lead_office_id
    )


def can_update_item(user, item: PlanItem) -> bool:
    """Staff of the lead office keep their item up to date; the plan's managers too.
    Staff of another office may read it but not change it."""
    return can_manage_plan(user, item.plan) or is_lead_office_staff(user, item)


def can_post_progress(user, item: PlanItem) -> bool:
    """Progress is reported by the lead office (domain §4); while no office is assigned
    yet, by the plan's managers."""
    if user.is_authenticated and user.is_app_admin:
        return True
    if item.lead_office_id:
        return is_lead_office_staff(user, item)
    return can_manage_plan(user, item.plan)


def can_change_status(user, item: PlanItem) -> bool:
    return can_update_item(user, item)


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("您没有权限修改该计划条目。"))


# ---------------------------------------------------------------------------
# Dates


def _clean_period(period_kind, month, quarter) -> tuple[str, int | None, int | None]:
    errors = {}
    if period_kind not in PeriodKind.values:
        errors["period_kind"] = _("请选择计划时间类型。")
    if period_kind == PeriodKind.MONTH:
        if not month or not 1 <= int(month) <= 12:
            errors["planned_month"] = _("请选择计划月份（1至12月）。")
        quarter = None
    elif period_kind == PeriodKind.QUARTER:
        if not quarter or not 1 <= int(quarter) <= 4:
            errors["planned_quarter"] = _("请选择计划季度（1至4季度）。")
        month = None
    else:
        month = quarter = None
    if errors:
        raise ServiceError(errors)
    return period_kind, int(month) if month else None, int(quarter) if quarter else None


# ---------------------------------------------------------------------------
# History helpers

ITEM_M2M = ("cooperating_offices", "cooperating_units", "agenda_items")


def item_snapshot(item: PlanItem) -> dict:
    data = snapshot(item)
    data.pop("path", None)
    if item.pk:
        for name in ITEM_M2M:
            data[name] = sorted(str(o) for o in getattr(item, name).all())
    return data


def _office_members(office: Office | None) -> list[User]:
    if office is None:
        return []
    return list(User.objects.filter(office=office, role__in=STAFF_ROLES, is_active=True))


# ---------------------------------------------------------------------------
# Plans

PLAN_FIELDS = ("kind", "year", "title", "description", "approved_on", "approved_at", "owner_office", "is_published")


@transaction.atomic
def plan_create(
    *,
    actor: User,
    kind: str,
    year: int,
    title: str = "",
    description: str = "",
    owner_office: Office | None = None,
    is_published: bool = False,
    approved_on: dt.date | None = None,
    approved_at=None,
) -> Plan:
    """A new, empty plan of one kind for one year; items come from an import or by hand."""
    _require(can_create_plan(actor), _("只有人大机关工作人员可以新建年度计划。"))
    errors = {}
    if kind not in PlanKind.values:
        errors["kind"] = _("请选择计划类别。")
    if not year or not 2000 <= int(year) <= 2100:
        errors["year"] = _("请填写正确的年度。")
    if errors:
        raise ServiceError(errors)
    plan = Plan(
        kind=kind,
        year=int(year),
        title=(title or "").strip() or default_plan_title(year, kind),
        description=description or "",
        owner_office=owner_office if owner_office is not None else actor.office,
        is_published=bool(is_published),
        approved_on=approved_on,
        approved_at=approved_at,
        created_by=actor,
    )
    plan.save()
    record_change(obj=plan, actor=actor, action=AuditEntry.Action.CREATE, after=snapshot(plan), summary=_("新建年度计划"))
    return plan


@transaction.atomic
def plan_update(*, actor: User, plan: Plan, version, **fields) -> Plan:
    """Change a plan's heading data (title, year, approval, publication)."""
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _require(can_manage_plan(actor, plan), _("您没有权限修改该年度计划。"))
    check_version(plan, version)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ServiceError(_("无法修改字段：%s") % ", ".join(sorted(unknown)))
    before = snapshot(plan)
    for name, value in fields.items():
        setattr(plan, name, value)
    if "kind" in fields and plan.kind not in PlanKind.values:
        raise ServiceError({"kind": _("请选择计划类别。")})
    if not str(plan.title).strip():
        raise ServiceError({"title": _("标题不能为空。")})
    year_changed = "year" in fields and before["year"] != plan.year
    plan.version += 1
    plan.save()
    if year_changed:
        # Items' deadlines follow the plan's year.
        for item in plan.items.select_related("plan"):
            item.save(update_fields=["updated_at"])  # save() recomputes the item's dates
    record_change(obj=plan, actor=actor, before=before, after=snapshot(plan), summary=_("修改年度计划"))
    return plan


@transaction.atomic
def plan_delete(*, actor: User, plan: Plan) -> None:
    """Delete a plan that nobody has reported progress on yet (a wrong import, a test)."""
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _require(can_manage_plan(actor, plan), _("您没有权限删除该年度计划。"))
    if ProgressEntry.objects.filter(item__plan=plan).exists():
        raise ServiceError(_("该计划已有进度报送记录，不能删除；如需停止执行，请将条目标记为取消并说明理由。"))
    record_change(obj=plan, actor=actor, action=AuditEntry.Action.DELETE, before=snapshot(plan), summary=_("删除年度计划"))
    plan.delete()


# ---------------------------------------------------------------------------
# Import: preview, edit, confirm


MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@transaction.atomic
def plan_import_preview(
    *, actor: User, plan: Plan, text: str = "", file_name: str = "", file_data: bytes | None = None
) -> ImportDraft:
    """Parse a pasted text or an uploaded .txt/.docx into a draft tree. Nothing becomes a
    plan item until staff confirm the draft."""
    _require(can_manage_plan(actor, plan), _("您没有权限导入该年度计划。"))
    if file_data:
        if len(file_data) > MAX_UPLOAD_BYTES:
            raise ServiceError({"file": _("文件过大（不超过10MB）。")})
        try:
            result = importer.parse_upload(file_name, file_data)
        except ValueError as exc:
            raise ServiceError({"file": str(exc)})
        if file_data[:2] == b"PK":
            source = "\n".join(p.text for p in importer.read_docx(file_data))
        else:
            source = importer.decode_bytes(file_data)
    elif text and text.strip():
        result = importer.parse_text(text)
        source = text
    else:
        raise ServiceError({"text": _("请粘贴计划原文或上传 .txt / .docx 文件。")})
    if not result.nodes:
        raise ServiceError(
            {"text" if not file_data else "file": _("未识别出编号条目。请确认原文使用“一、”“（一）”“1.”“（1）”等编号。")}
        )
    return ImportDraft.objects.create(
        plan=plan,
        created_by=actor,
        source_name=(file_name or _("粘贴文本"))[:200],
        source_text=source,
        nodes=result.nodes,
        meta={k: v for k, v in result.as_dict().items() if k != "nodes"},
    )


DRAFT_OPS = {"level", "indent", "outdent", "merge", "split", "delete", "edit"}


@transaction.atomic
def draft_edit(
    *,
    actor: User,
    draft: ImportDraft,
    op: str,
    index: int,
    level: int | None = None,
    sentence: int | None = None,
    title: str | None = None,
    description: str | None = None,
    target: str | None = None,
    item_type: str | None = None,
    version=None,
) -> ImportDraft:
    """One correction to the draft tree: change a level, merge with the previous item,
    split an item before a sentence, delete or retitle an item."""
    draft = ImportDraft.objects.select_for_update(of=("self",)).select_related("plan").get(pk=draft.pk)
    _require(can_manage_plan(actor, draft.plan), _("您没有权限修改该导入草稿。"))
    if draft.confirmed_at:
        raise ServiceError(_("该草稿已确认导入，不能再修改。"))
    if version is not None and str(version) != "":
        check_version(draft, version)
    if op not in DRAFT_OPS:
        raise ServiceError({"op": _("不支持的操作。")})
    nodes = list(draft.nodes)
    try:
        index = int(index)
        if op == "level":
            importer.set_level(nodes, index, int(level or 0))
        elif op == "indent":
            importer.set_level(nodes, index, nodes[index]["level"] + 1 if 0 <= index < len(nodes) else 0)
        elif op == "outdent":
            importer.set_level(nodes, index, nodes[index]["level"] - 1 if 0 <= index < len(nodes) else 0)
        elif op == "merge":
            importer.merge_with_previous(nodes, index)
        elif op == "split":
            importer.split_node(nodes, index, int(sentence or 0))
        elif op == "delete":
            importer.delete_node(nodes, index)
        elif op == "edit":
            if item_type is not None and item_type not in ItemType.values:
                raise ValueError(_("请选择正确的类型。"))
            importer.update_node(nodes, index, title=title, description=description, target=target, item_type=item_type)
    except (ValueError, TypeError, IndexError) as exc:
        raise ServiceError({"op": str(exc) or _("操作无效。")})
    draft.nodes = nodes
    draft.version += 1
    draft.save(update_fields=["nodes", "version", "updated_at"])
    return draft


@transaction.atomic
def draft_discard(*, actor: User, draft: ImportDraft) -> None:
    draft = ImportDraft.objects.select_for_update(of=("self",)).select_related("plan").get(pk=draft.pk)
    _require(can_manage_plan(actor, draft.plan), _("您没有权限删除该导入草稿。"))
    if draft.confirmed_at:
        raise ServiceError(_("该草稿已确认导入。"))
    draft.delete()


def _path(parent_path: str, position: int) -> str:
    own = f"{position:04d}"
    return f"{parent_path}.{own}" if parent_path else own


@transaction.atomic
def draft_confirm(*, actor: User, draft: ImportDraft, version=None) -> list[PlanItem]:
    """Save the checked tree as plan items (after any items the plan already has)."""
    draft = ImportDraft.objects.select_for_update(of=("self",)).select_related("plan").get(pk=draft.pk)
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=draft.plan_id)
    _require(can_manage_plan(actor, plan), _("您没有权限导入该年度计划。"))
    if draft.confirmed_at:
        raise ServiceError(_("该草稿已确认导入，请勿重复提交。"))
    if version is not None and str(version) != "":
        check_version(draft, version)
    nodes = list(draft.nodes)
    problems = importer.validate_nodes(nodes)
    if not nodes:
        problems.append(_("草稿中没有条目。"))
    if problems:
        raise ServiceError({"nodes": problems})
    offset = plan.items.filter(parent__isnull=True).aggregate(m=Max("position"))["m"] or 0
    due = due_date_for(plan.year, PeriodKind.YEAR, None, None)
    created: list[PlanItem] = []
    stack: list[PlanItem] = []
    for node in importer.renumber(nodes):
        level = node["level"]
        stack = stack[: level - 1]
        parent = stack[-1] if stack else None
        position = node["position"] + (offset if parent is None else 0)
        item = PlanItem(
            plan=plan,
            parent=parent,
            level=level,
            position=position,
            number=node.get("number", "")[:20],
            path=_path(parent.path if parent else "", position),
            title=node["title"][:500],
            description=node.get("description", ""),
            item_type=node.get("item_type") if node.get("item_type") in ItemType.values else ItemType.OTHER,
            target=(node.get("target") or "")[:300],
            period_kind=PeriodKind.YEAR,
            due_date=due,
        )
        item.save()
        created.append(item)
        stack.append(item)
    meta = draft.meta or {}
    plan_changes = {}
    if not plan.source_text:
        plan.source_text = draft.source_text
        plan.source_name = draft.source_name[:200]
        plan_changes["source_name"] = [None, plan.source_name]
    if not plan.description and meta.get("preamble"):
        plan.description = meta["preamble"]
        plan_changes["description"] = [None, plan.description]
    if plan_changes:
        plan.version += 1
        plan.save()
    draft.confirmed_at = timezone.now()
    draft.version += 1
    draft.save(update_fields=["confirmed_at", "version", "updated_at"])
    # One history entry per item (created by import), and one on the plan.
    ct = ContentType.objects.get_for_model(PlanItem)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                content_type=ct,
                object_id=item.pk,
                object_repr=str(item)[:300],
                actor=actor,
                action=AuditEntry.Action.CREATE,
                summary=_("从“%s”导入") % draft.source_name[:100],
            )
            for item in created
        ]
    )
    record_change(
        obj=plan,
        actor=actor,
        changes=plan_changes,
        summary=_("导入%(n)d个条目（%(src)s）") % {"n": len(created), "src": draft.source_name[:100]},
    )
    return created


# ---------------------------------------------------------------------------
# Items


ASSIGN_FIELDS = (
    "title",
    "description",
    "item_type",
    "lead_office",
    "vice_chair",
    "period_kind",
    "planned_month",
    "planned_quarter",
    "meeting",
    "deliverable",
    "target",
    "number",
)
# Re-assigning an item to another office or leader is for the plan's managers only.
MANAGER_ONLY = {"lead_office", "vice_chair"}


def _validate_item(item: PlanItem) -> None:
    errors = {}
    if not str(item.title or "").strip():
        errors["title"] = _("标题不能为空。")
    if item.item_type not in ItemType.values:
        errors["item_type"] = _("请选择类型。")
    if item.vice_chair_id and item.vice_chair.role not in {Role.DIRECTOR, Role.VICE_DIRECTOR, Role.SECRETARY_GENERAL}:
        errors["vice_chair"] = _("分管领导须为主任、副主任或秘书长。")
    if errors:
        raise ServiceError(errors)


def _notify_assignment(item: PlanItem, actor: User) -> None:
    recipients = [u for u in _office_members(item.lead_office) if u.pk != actor.pk]
    if recipients:
        notify(
            recipients=recipients,
            title=_("年度计划条目已分配给您委室：%s") % item.title[:80],
            body=_("%(plan)s。请按月报送进度，计划时间：%(period)s。") % {"plan": item.plan, "period": item.period_label},
            url=item.get_absolute_url(),
            level=Level.ACTION,
            target=item,
        )


@transaction.atomic
def item_create(*, actor: User, plan: Plan, parent: PlanItem | None = None, title: str, **fields) -> PlanItem:
    """Add one item by hand (at the end of its parent's children)."""
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _require(can_manage_plan(actor, plan), _("您没有权限在该计划中添加条目。"))
    if parent is not None and parent.plan_id != plan.pk:
        raise ServiceError({"parent": _("上级条目不属于该计划。")})
    siblings = plan.items.filter(parent=parent)
    position = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
    level = parent.level + 1 if parent else 1
    m2m = {k: fields.pop(k) for k in ITEM_M2M if k in fields}
    unknown = set(fields) - set(ASSIGN_FIELDS)
    if unknown:
        raise ServiceError(_("无法设置字段：%s") % ", ".join(sorted(unknown)))
    item = PlanItem(plan=plan, parent=parent, level=level, position=position, title=(title or "").strip())
    item.path = _path(parent.path if parent else "", position)
    for name, value in fields.items():
        setattr(item, name, value if value is not None else getattr(item, name))
    if not item.number:
        item.number = importer.format_label(importer.DEFAULT_LEVEL_STYLES[min(level - 1, 4)], position)
    item.period_kind, item.planned_month, item.planned_quarter = _clean_period(
        item.period_kind, item.planned_month, item.planned_quarter
    )
    if item.lead_office_id and not item.vice_chair_id:
        item.vice_chair_id = item.lead_office.vice_chair_id
    _validate_item(item)
    item.due_date = due_date_for(plan.year, item.period_kind, item.planned_month, item.planned_quarter)
    item.save()
    for name, values in m2m.items():
        getattr(item, name).set(values)
    record_change(obj=item, actor=actor, action=AuditEntry.Action.CREATE, after=item_snapshot(item), summary=_("新增计划条目"))
    if item.lead_office_id:
        _notify_assignment(item, actor)
    if parent is not None:
        _roll_up(parent, actor)
    return item


@transaction.atomic
def item_update(*, actor: User, item: PlanItem, version, reason: str = "", **fields) -> PlanItem:
    """Assign or correct an item: type, offices, leader, period, meeting, deliverable,
    target, agenda items. Refuses a stale version: the second editor is told."""
    item = PlanItem.objects.select_for_update(of=("self",)).select_related("plan", "lead_office").get(pk=item.pk)
    _require(can_update_item(actor, item))
    check_version(item, version)
    unknown = set(fields) - set(ASSIGN_FIELDS) - set(ITEM_M2M)
    if unknown:
        raise ServiceError(_("无法修改字段：%s") % ", ".join(sorted(unknown)))
    if not can_manage_plan(actor, item.plan):
        changed = {
            k for k in MANAGER_ONLY & set(fields) if getattr(item, f"{k}_id") != (fields[k].pk if fields[k] else None)
        }
        if changed:
            raise NotAllowed(_("只有计划起草委室或领导可以调整牵头委室和分管领导。"))
    before = item_snapshot(item)
    old_office = item.lead_office_id
    m2m = {k: fields.pop(k) for k in ITEM_M2M if k in fields}
    for name, value in fields.items():
        setattr(item, name, value)
    item.period_kind, item.planned_month, item.planned_quarter = _clean_period(
        item.period_kind, item.planned_month, item.planned_quarter
    )
    if item.lead_office_id and item.lead_office_id != old_office and "vice_chair" not in fields:
        item.vice_chair_id = item.lead_office.vice_chair_id if item.lead_office else None
    _validate_item(item)
    item.due_date = due_date_for(item.plan.year, item.period_kind, item.planned_month, item.planned_quarter)
    item.version += 1
    item.save()
    for name, values in m2m.items():
        getattr(item, name).set(values)
    record_change(obj=item, actor=actor, before=before, after=item_snapshot(item), reason=reason, summary=_("修改计划条目"))
    if item.lead_office_id and item.lead_office_id != old_office:
        _notify_assignment(item, actor)
    return item


@transaction.atomic
def item_delete(*, actor: User, item: PlanItem) -> None:
    """Remove an item entered by mistake (no progress reported on it or its sub-items)."""
    item = PlanItem.objects.select_for_update(of=("self",)).select_related("plan").get(pk=item.pk)
    _require(can_manage_plan(actor, item.plan), _("您没有权限删除计划条目。"))
    subtree = PlanItem.objects.filter(plan=item.plan, path__startswith=item.path)
    if ProgressEntry.objects.filter(item__in=subtree).exists():
        raise ServiceError(_("该条目已有进度报送记录，不能删除；如不再执行，请标记为取消并说明理由。"))
    record_change(obj=item, actor=actor, action=AuditEntry.Action.DELETE, before=item_snapshot(item), summary=_("删除计划条目"))
    parent = item.parent
    item.delete()
    if parent is not None:
        _roll_up(parent, actor)


@transaction.atomic
def item_bulk_assign(
    *,
    actor: User,
    items: Iterable[PlanItem],
    lead_office=UNSET,
    vice_chair=UNSET,
    item_type=UNSET,
    period_kind=UNSET,
    planned_month=UNSET,
    planned_quarter=UNSET,
) -> int:
    """Set the office, leader, type or period of many items at once (from the list).
    Every item is checked and gets its own history entry; one refusal refuses all."""
    ids = [i.pk for i in items]
    if not ids:
        raise ServiceError({"items": _("请先勾选计划条目。")})
    values = {
        k: v
        for k, v in {
            "lead_office": lead_office,
            "vice_chair": vice_chair,
            "item_type": item_type,
            "period_kind": period_kind,
            "planned_month": planned_month,
            "planned_quarter": planned_quarter,
        }.items()
        if v is not UNSET
    }
    if not values:
        raise ServiceError({"non_field_errors": _("请选择要批量设置的内容。")})
    locked = list(
        PlanItem.objects.select_for_update(of=("self",)).select_related("plan", "lead_office").filter(pk__in=ids).order_by("pk")
    )
    for item in locked:
        _require(can_manage_plan(actor, item.plan), _("您没有权限批量分配“%s”。") % item.title[:40])
    notify_items = []
    for item in locked:
        before = item_snapshot(item)
        old_office = item.lead_office_id
        for name, value in values.items():
            setattr(item, name, value)
        if "period_kind" in values:
            item.period_kind, item.planned_month, item.planned_quarter = _clean_period(
                item.period_kind, item.planned_month, item.planned_quarter
            )
        if "lead_office" in values and "vice_chair" not in values and item.lead_office_id != old_office:
            item.vice_chair_id = item.lead_office.vice_chair_id if item.lead_office else None
        _validate_item(item)
        item.due_date = due_date_for(item.plan.year, item.period_kind, item.planned_month, item.planned_quarter)
        item.version += 1
        item.save()
        record_change(obj=item, actor=actor, before=before, after=item_snapshot(item), summary=_("批量分配"))
        if item.lead_office_id and item.lead_office_id != old_office:
            notify_items.append(item)
    by_office: dict[int, list[PlanItem]] = {}
    for item in notify_items:
        by_office.setdefault(item.lead_office_id, []).append(item)
    for group in by_office.values():
        recipients = [u for u in _office_members(group[0].lead_office) if u.pk != actor.pk]
        if recipients:
            notify(
                recipients=recipients,
                title=_("%d个年度计划条目已分配给您委室") % len(group),
                body="\n".join(f"· {i.title[:60]}（{i.period_label}）" for i in group),
                url=group[0].get_absolute_url() if len(group) == 1 else "/plans/items/?office=%d" % group[0].lead_office_id,
                level=Level.ACTION,
            )
    return len(locked)


@transaction.atomic
def item_post_progress(
    *,
    actor: User,
    item: PlanItem,
    percent: int,
    text: str,
    version,
    files: Iterable = (),
) -> ProgressEntry:
    """Report progress on an item (monthly, by the lead office): percent, text, files.
    The item's percent follows; its parents' percent rolls up from their children."""
    item = PlanItem.objects.select_for_update(of=("self",)).select_related("plan", "parent").get(pk=item.pk)
    _require(can_post_progress(actor, item), _("只有牵头委室的工作人员可以报送该条目的进度。"))
    check_version(item, version)
    errors = {}
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        errors["percent"] = _("请填写0至100之间的整数。")
    else:
        if not 0 <= percent <= 100:
            errors["percent"] = _("请填写0至100之间的整数。")
    if not (text or "").strip():
        errors["text"] = _("请填写进展情况。")
    if errors:
        raise ServiceError(errors)
    if item.children.exists():
        raise ServiceError(_("该条目的进度由下级条目汇总，请在下级条目中报送。"))
    if item.status in CLOSED_STATUSES:
        raise ServiceError(_("该条目已%s，不能再报送进度；如需继续，请先恢复为推进中。") % item.get_status_display())
    entry = ProgressEntry.objects.create(item=item, author=actor, percent=percent, text=text.strip(), reported_on=today())
    for f in files or ():
        Attachment.objects.create(
            content_type=ContentType.objects.get_for_model(ProgressEntry),
            object_id=entry.pk,
            file=f,
            name=(getattr(f, "name", "") or _("附件"))[:200],
            kind="progress",
            uploaded_by=actor,
        )
    before = item_snapshot(item)
    item.progress = percent
    item.last_progress_on = entry.reported_on
    if item.status == ItemStatus.NOT_STARTED and percent > 0:
        item.status = ItemStatus.IN_PROGRESS
    item.version += 1
    item.save()
    record_change(
        obj=item,
        actor=actor,
        before=before,
        after=item_snapshot(item),
        summary=_("报送进度 %(p)d%%：%(t)s") % {"p": percent, "t": text.strip()[:200]},
    )
    if item.parent_id:
        _roll_up(item.parent, actor)
    return entry


def status_unmet(item: PlanItem, status: str, *, reason: str = "", outcome: str = "") -> list[tuple[str, str]]:
    """What a change to `status` still needs, as (field, message): a reason for delays,
    cancellations, adjustments and reopening; the outcome (or a reason) for closing. The
    service refuses on the first; the item page lists them per status before the click."""
    unmet = []
    if status in REASON_REQUIRED and not reason:
        unmet.append(("reason", str(_("“%s”须说明理由（如主任会议的调整决定）。") % ItemStatus(status).label)))
    elif item.status in CLOSED_STATUSES and not reason:
        unmet.append(("reason", str(_("恢复已办结的条目须说明理由。"))))
    if status == ItemStatus.DONE and not (outcome or reason):
        unmet.append(("outcome", str(_("办结须填写完成情况（对照成果形式：%s），或说明未形成成果的理由。")
                                     % (item.deliverable or _("未填写")))))
    return unmet


def status_requirements(item: PlanItem) -> list[tuple[str, list[str]]]:
    """For each status the item may move to, what the form must carry (status_unmet with
    nothing typed yet), for the page to show next to the status form."""
    result = []
    for target in sorted(TRANSITIONS.get(item.status, []), key=list(ItemStatus.values).index):
        needs = [m for _f, m in status_unmet(item, target)]
        if needs:
            result.append((ItemStatus(target).label, needs))
    return result


@transaction.atomic
def item_change_status(
    *, actor: User, item: PlanItem, status: str, version, reason: str = "", outcome: str = ""
) -> PlanItem:
    """Move an item along its workflow (choices.TRANSITIONS). Delays, cancellations and
    adjustments need a reason (the 主任会议 adjusts plans); closing needs the outcome
    against the deliverable, or a reason why it closes without one."""
    item = PlanItem.objects.select_for_update(of=("self",)).select_related("plan", "parent", "lead_office").get(pk=item.pk)
    _require(can_change_status(actor, item))
    check_version(item, version)
    reason = (reason or "").strip()
    outcome = (outcome or "").strip()
    if status not in ItemStatus.values:
        raise ServiceError({"status": _("请选择状态。")})
    if status == item.status:
        raise ServiceError({"status": _("条目已是“%s”状态。") % item.get_status_display()})
    if not can_transition(item.status, status):
        raise ServiceError(
            {"status": _("不能从“%(a)s”改为“%(b)s”。") % {"a": item.get_status_display(), "b": ItemStatus(status).label}}
        )
    for field_name, message in status_unmet(item, status, reason=reason, outcome=outcome):
        raise ServiceError({field_name: message})
    before = item_snapshot(item)
    item.status = status
    item.status_reason = reason
    if outcome:
        item.outcome = outcome
    if status in CLOSED_STATUSES:
        item.closed_on = today()
        if status == ItemStatus.DONE:
            item.progress = 100
    else:
        item.closed_on = None
    item.version += 1
    item.save()
    record_change(
        obj=item,
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        before=before,
        after=item_snapshot(item),
        reason=reason,
        summary=_("状态改为“%s”") % item.get_status_display(),
    )
    if status in {ItemStatus.CANCELLED, ItemStatus.ADJUSTED, ItemStatus.DELAYED}:
        told = [u for u in _office_members(item.lead_office) if u.pk != actor.pk]
        if item.vice_chair_id and item.vice_chair_id != actor.pk:
            told.append(item.vice_chair)
        if told:
            notify(
                recipients=told,
                title=_("计划条目“%(t)s”%(s)s") % {"t": item.title[:60], "s": item.get_status_display()},
                body=_("理由：%s") % reason,
                url=item.get_absolute_url(),
                level=Level.WARNING,
                target=item,
            )
    if item.parent_id:
        _roll_up(item.parent, actor)
    return item


def _roll_up(parent: PlanItem, actor: User | None) -> None:
    """A parent's progress is the mean of its children's (cancelled or adjusted ones left
    out), up to the top of the tree. Derived, so the parent's version is not bumped:
    someone editing the parent's text is not told of a conflict that is not theirs."""
    node = parent
    while node is not None:
        children = PlanItem.objects.filter(parent=node).exclude(status__in=[ItemStatus.CANCELLED, ItemStatus.ADJUSTED])
        avg = children.aggregate(a=Avg("progress"))["a"]
        node = PlanItem.objects.select_for_update(of=("self",)).select_related("plan").get(pk=node.pk)
        new = round(avg) if avg is not None else node.progress
        updates = {}
        if new != node.progress:
            updates["progress"] = [node.progress, new]
            node.progress = new
        if node.status == ItemStatus.NOT_STARTED and new > 0:
            updates["status"] = [str(node.get_status_display()), str(ItemStatus.IN_PROGRESS.label)]
            node.status = ItemStatus.IN_PROGRESS
        if updates:
            node.save(update_fields=["progress", "status", "updated_at"])
            record_change(obj=node, actor=actor, changes=updates, summary=_("进度由下级条目汇总"))
        node = node.parent
