"""Services: plans, the import (preview then confirm), assignment, progress and its
roll-up, statuses with reasons, the edit conflict, history and notifications."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.exceptions import EditConflict, NotAllowed, ServiceError
from congress.history import history_for
from congress.models import Attachment, AuditEntry, Notification
from plans import services
from plans.choices import ItemStatus, ItemType, PeriodKind, PlanKind
from plans.models import ImportDraft, Plan, PlanItem, ProgressEntry
from tests import factories as f

from .conftest import add_item

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# Plans


def test_staff_creates_a_plan_owned_by_their_office(staff_user):
    plan = services.plan_create(actor=staff_user, kind=PlanKind.SUPERVISION, year=2026)
    assert plan.title == "2026年监督工作计划"
    assert plan.owner_office == staff_user.office
    assert history_for(plan).first().action == AuditEntry.Action.CREATE


@pytest.mark.parametrize("role_fixture", ["deputy_user", "unit_clerk"])
def test_outsiders_cannot_create_plans(request, role_fixture):
    with pytest.raises(NotAllowed):
        services.plan_create(actor=request.getfixturevalue(role_fixture), kind=PlanKind.WORK_POINTS, year=2026)


def test_plan_create_validates_kind_and_year(staff_user):
    with pytest.raises(ServiceError) as exc:
        services.plan_create(actor=staff_user, kind="nonsense", year=1800)
    assert set(exc.value.error_dict) == {"kind", "year"}


def test_plan_update_checks_version_and_moves_due_dates(plan, planner, item):
    services.plan_update(actor=planner, plan=plan, version=plan.version, year=2027)
    item.refresh_from_db()
    assert item.due_date == dt.date(2027, 6, 30)
    with pytest.raises(EditConflict):
        services.plan_update(actor=planner, plan=plan, version=1, title="旧版本")


def test_other_office_cannot_edit_the_plan(plan, staff_user):
    with pytest.raises(NotAllowed):
        services.plan_update(actor=staff_user, plan=plan, version=plan.version, title="改")


def test_plan_with_progress_cannot_be_deleted(plan, planner, item, staff_user):
    services.item_post_progress(actor=staff_user, item=item, percent=10, text="启动", version=item.version)
    with pytest.raises(ServiceError):
        services.plan_delete(actor=planner, plan=plan)
    assert Plan.objects.filter(pk=plan.pk).exists()


# ---------------------------------------------------------------------------
# Import: nothing is saved before confirm


def test_preview_saves_nothing_until_confirmed(plan, planner, sample_text):
    draft = services.plan_import_preview(actor=planner, plan=plan, text=sample_text)
    assert PlanItem.objects.count() == 0
    assert len(draft.nodes) == 22
    assert draft.meta["preamble"].startswith("202x年")

    created = services.draft_confirm(actor=planner, draft=draft)
    assert len(created) == 22
    plan.refresh_from_db()
    sections = PlanItem.objects.filter(plan=plan, level=1).order_by("path")
    assert [s.title for s in sections] == ["凝心聚力,服务中心", "深化改革,优化营商环境", "强化监督,提升治理效能"]
    assert PlanItem.objects.filter(plan=plan, level=2).count() == 6
    assert PlanItem.objects.filter(plan=plan, level=3).count() == 13
    first_item = PlanItem.objects.get(plan=plan, path="0001.0001.0001")
    assert first_item.parent.parent == sections[0]
    assert first_item.number == "（1）"
    inspection = PlanItem.objects.get(plan=plan, title__startswith="依法对“一府两院”")
    assert inspection.target == "全年将开展五次以上专项检查工作"
    assert inspection.due_date == dt.date(2026, 12, 31)
    assert plan.description.startswith("202x年")
    assert plan.source_text == sample_text
    # Every item has its creation in its history, the plan the import.
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_id=inspection.pk).exists()
    assert "导入22个条目" in history_for(plan).first().summary


def test_confirm_twice_is_refused(plan, planner, sample_text):
    draft = services.plan_import_preview(actor=planner, plan=plan, text=sample_text)
    services.draft_confirm(actor=planner, draft=draft)
    with pytest.raises(ServiceError):
        services.draft_confirm(actor=planner, draft=draft)
    assert PlanItem.objects.count() == 22


def test_second_import_appends_after_existing_sections(imported, planner):
    draft = services.plan_import_preview(actor=planner, plan=imported, text="四、加强自身建设\n（一）开展学习培训。\n")
    services.draft_confirm(actor=planner, draft=draft)
    last = PlanItem.objects.filter(plan=imported, level=1).order_by("path").last()
    assert last.title == "加强自身建设"
    assert last.path == "0004"


def test_draft_edits_then_confirm(plan, planner):
    draft = services.plan_import_preview(actor=planner, plan=plan, text="一、监督\n（一）听取报告。第二句。\n（二）执法检查。\n")
    draft = services.draft_edit(actor=planner, draft=draft, op="split", index=1, sentence=1, version=draft.version)
    draft = services.draft_edit(actor=planner, draft=draft, op="indent", index=3, version=draft.version)
    draft = services.draft_edit(actor=planner, draft=draft, op="edit", index=0, title="强化监督", version=draft.version)
    assert [(n["level"], n["title"]) for n in draft.nodes] == [(1, "强化监督"), (2, "听取报告"), (2, "第二句"), (3, "执法检查")]
    with pytest.raises(EditConflict):
        services.draft_edit(actor=planner, draft=draft, op="merge", index=1, version=1)
    with pytest.raises(ServiceError):
        services.draft_edit(actor=planner, draft=draft, op="level", index=0, level=3)
    services.draft_confirm(actor=planner, draft=draft)
    assert PlanItem.objects.get(title="执法检查").parent.title == "第二句"


def test_import_refuses_empty_or_unnumbered_text(plan, planner):
    with pytest.raises(ServiceError):
        services.plan_import_preview(actor=planner, plan=plan, text="   ")
    with pytest.raises(ServiceError):
        services.plan_import_preview(actor=planner, plan=plan, text="没有编号的一段话。")
    assert ImportDraft.objects.count() == 0


def test_import_from_uploaded_docx(plan, planner):
    from .docx_builder import auto_numbered_docx

    data = auto_numbered_docx([(0, "立法工作"), (1, "制定物业管理条例"), (0, "监督工作")])
    draft = services.plan_import_preview(actor=planner, plan=plan, file_name="要点.docx", file_data=data)
    assert [(n["level"], n["number"], n["title"]) for n in draft.nodes] == [
        (1, "一、", "立法工作"), (2, "（一）", "制定物业管理条例"), (1, "二、", "监督工作")
    ]
    assert draft.source_name == "要点.docx"


def test_other_office_cannot_import(plan, staff_user, sample_text):
    with pytest.raises(NotAllowed):
        services.plan_import_preview(actor=staff_user, plan=plan, text=sample_text)


# ---------------------------------------------------------------------------
# Assignment


def test_assign_item_sets_due_date_vice_chair_and_notifies_office(plan, planner, office, staff_user, vice_director):
    leaf = add_item(plan, "专项检查")
    services.item_update(
        actor=planner, item=leaf, version=leaf.version, lead_office=office, period_kind=PeriodKind.QUARTER,
        planned_quarter=3, item_type=ItemType.SUPERVISION_INSPECTION, deliverable="检查报告",
    )
    leaf.refresh_from_db()
    assert leaf.vice_chair == vice_director  # the office's vice-chair by default
    assert leaf.due_date == dt.date(2026, 9, 30)
    assert leaf.version == 2
    note = Notification.objects.get(recipient=staff_user)
    assert "专项检查" in note.title
    entry = history_for(leaf).first()
    assert entry.changes["lead_office"]["after"] == str(office)


def test_period_needs_its_month_or_quarter(plan, planner):
    leaf = add_item(plan, "事项")
    with pytest.raises(ServiceError) as exc:
        services.item_update(actor=planner, item=leaf, version=leaf.version, period_kind=PeriodKind.MONTH)
    assert "planned_month" in exc.value.error_dict


def test_vice_chair_must_be_a_leader(plan, planner, other_staff_user):
    leaf = add_item(plan, "事项")
    with pytest.raises(ServiceError):
        services.item_update(actor=planner, item=leaf, version=leaf.version, vice_chair=other_staff_user)


def test_lead_office_staff_edit_but_cannot_reassign(item, staff_user, other_office):
    services.item_update(actor=staff_user, item=item, version=item.version, deliverable="审议意见")
    item.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.item_update(actor=staff_user, item=item, version=item.version, lead_office=other_office)


def test_cooperating_units_and_agenda_links_in_history(item, planner, unit, other_office):
    agenda = f.AgendaItemFactory(title="关于财政预算执行情况的报告")
    services.item_update(
        actor=planner, item=item, version=item.version, cooperating_units=[unit], cooperating_offices=[other_office],
        agenda_items=[agenda], meeting=agenda.meeting,
    )
    assert list(item.agenda_items.all()) == [agenda]
    changes = history_for(item).first().changes
    assert changes["agenda_items"]["after"] == ["关于财政预算执行情况的报告"]
    assert changes["cooperating_units"]["after"] == [unit.name]


def test_bulk_assign(plan, planner, office, other_office, staff_user, other_staff_user):
    items = [add_item(plan, f"事项{i}") for i in range(3)]
    n = services.item_bulk_assign(actor=planner, items=items, lead_office=office, period_kind=PeriodKind.MONTH,
                                  planned_month=9)
    assert n == 3
    assert set(PlanItem.objects.values_list("lead_office", "planned_month", "due_date")) == {
        (office.pk, 9, dt.date(2026, 9, 30))
    }
    assert Notification.objects.filter(recipient=staff_user).count() == 1  # one message for the three
    assert all(history_for(i).first().summary == "批量分配" for i in items)


def test_bulk_assign_refused_for_other_office_and_without_values(plan, staff_user, planner):
    items = [add_item(plan, "事项")]
    with pytest.raises(NotAllowed):
        services.item_bulk_assign(actor=staff_user, items=items, period_kind=PeriodKind.YEAR)
    with pytest.raises(ServiceError):
        services.item_bulk_assign(actor=planner, items=items)
    with pytest.raises(ServiceError):
        services.item_bulk_assign(actor=planner, items=[], period_kind=PeriodKind.YEAR)


# ---------------------------------------------------------------------------
# Progress and roll-up


def test_progress_entry_updates_item_and_rolls_up(plan, office, staff_user, frozen):
    section = add_item(plan, "一、监督")
    sub = add_item(plan, "（一）报告", parent=section)
    a = add_item(plan, "甲", parent=sub, office=office)
    b = add_item(plan, "乙", parent=sub, office=office)
    c = add_item(plan, "丙", parent=section, office=office)

    entry = services.item_post_progress(actor=staff_user, item=a, percent=60, text="完成调研", version=a.version)
    a.refresh_from_db()
    assert (a.progress, a.status, a.last_progress_on, a.version) == (60, ItemStatus.IN_PROGRESS, frozen, 2)
    assert entry.reported_on == frozen
    sub.refresh_from_db()
    section.refresh_from_db()
    assert sub.progress == 30  # (60 + 0) / 2
    assert sub.status == ItemStatus.IN_PROGRESS
    assert section.progress == 15  # (30 + 0) / 2
    assert "进度由下级条目汇总" in history_for(section).first().summary

    services.item_post_progress(actor=staff_user, item=b, percent=100, text="已完成", version=b.version)
    services.item_post_progress(actor=staff_user, item=c, percent=40, text="推进中", version=c.version)
    sub.refresh_from_db()
    section.refresh_from_db()
    assert sub.progress == 80
    assert section.progress == 60


def test_cancelled_children_leave_the_roll_up(plan, office, staff_user, planner):
    parent = add_item(plan, "父")
    a = add_item(plan, "甲", parent=parent, office=office)
    b = add_item(plan, "乙", parent=parent, office=office)
    services.item_post_progress(actor=staff_user, item=a, percent=80, text="推进", version=a.version)
    services.item_change_status(actor=planner, item=b, status=ItemStatus.CANCELLED, reason="主任会议决定取消",
                                version=b.version)
    parent.refresh_from_db()
    assert parent.progress == 80


def test_progress_attachments(item, staff_user):
    upload = SimpleUploadedFile("调研报告.txt", "内容".encode(), content_type="text/plain")
    entry = services.item_post_progress(actor=staff_user, item=item, percent=20, text="调研", version=item.version,
                                        files=[upload])
    assert [a.name for a in Attachment.objects.all()] == ["调研报告.txt"]
    assert entry.attachments.count() == 1


def test_progress_refusals(plan, item, staff_user, other_staff_user, planner):
    with pytest.raises(NotAllowed):
        services.item_post_progress(actor=other_staff_user, item=item, percent=10, text="x", version=item.version)
    with pytest.raises(ServiceError) as exc:
        services.item_post_progress(actor=staff_user, item=item, percent=120, text="", version=item.version)
    assert set(exc.value.error_dict) == {"percent", "text"}
    with pytest.raises(ServiceError):
        services.item_post_progress(actor=planner, item=item.parent, percent=10, text="x", version=item.parent.version)
    assert ProgressEntry.objects.count() == 0


def test_progress_on_closed_item_refused(item, staff_user):
    services.item_change_status(actor=staff_user, item=item, status=ItemStatus.DONE, outcome="报告已审议",
                                version=item.version)
    item.refresh_from_db()
    with pytest.raises(ServiceError):
        services.item_post_progress(actor=staff_user, item=item, percent=100, text="x", version=item.version)


# ---------------------------------------------------------------------------
# Statuses


def test_done_needs_outcome_or_reason(item, staff_user, frozen):
    with pytest.raises(ServiceError) as exc:
        services.item_change_status(actor=staff_user, item=item, status=ItemStatus.DONE, version=item.version)
    assert "outcome" in exc.value.error_dict
    services.item_change_status(actor=staff_user, item=item, status=ItemStatus.DONE, outcome="报告已经常委会会议审议",
                                version=item.version)
    item.refresh_from_db()
    assert (item.status, item.progress, item.closed_on) == (ItemStatus.DONE, 100, frozen)
    assert item.outcome == "报告已经常委会会议审议"
    entry = history_for(item).first()
    assert entry.action == AuditEntry.Action.TRANSITION


def test_done_with_a_reason_instead_of_the_deliverable(item, staff_user):
    services.item_change_status(actor=staff_user, item=item, status=ItemStatus.DONE,
                                reason="并入年中审议的综合报告", version=item.version)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE


@pytest.mark.parametrize("status", [ItemStatus.DELAYED, ItemStatus.CANCELLED, ItemStatus.ADJUSTED])
def test_delay_cancel_adjust_need_a_reason(item, planner, staff_user, status):
    with pytest.raises(ServiceError) as exc:
        services.item_change_status(actor=planner, item=item, status=status, version=item.version)
    assert "reason" in exc.value.error_dict
    services.item_change_status(actor=planner, item=item, status=status, reason="主任会议调整", version=item.version)
    item.refresh_from_db()
    assert item.status == status and item.status_reason == "主任会议调整"
    # The lead office is told when someone else changes its item this way.
    assert Notification.objects.filter(recipient=staff_user, level="warning").exists()


def test_transition_table_is_enforced(item, staff_user):
    services.item_change_status(actor=staff_user, item=item, status=ItemStatus.DONE, outcome="完成", version=item.version)
    item.refresh_from_db()
    with pytest.raises(ServiceError):
        services.item_change_status(actor=staff_user, item=item, status=ItemStatus.DELAYED, reason="x", version=item.version)
    with pytest.raises(ServiceError) as exc:  # reopening needs a reason
        services.item_change_status(actor=staff_user, item=item, status=ItemStatus.IN_PROGRESS, version=item.version)
    assert "reason" in exc.value.error_dict
    services.item_change_status(actor=staff_user, item=item, status=ItemStatus.IN_PROGRESS, reason="主任会议要求补充",
                                version=item.version)
    item.refresh_from_db()
    assert item.closed_on is None


def test_other_office_cannot_change_status(item, other_staff_user):
    with pytest.raises(NotAllowed):
        services.item_change_status(actor=other_staff_user, item=item, status=ItemStatus.DONE, outcome="x",
                                    version=item.version)


# ---------------------------------------------------------------------------
# Edit conflict


def test_second_editor_gets_a_conflict_and_nothing_is_overwritten(item, planner, staff_user):
    read_by_a = item.version
    read_by_b = item.version
    services.item_update(actor=planner, item=item, version=read_by_a, deliverable="专项工作报告")
    with pytest.raises(EditConflict) as exc:
        services.item_update(actor=staff_user, item=item, version=read_by_b, deliverable="调研报告")
    assert exc.value.current_version == read_by_a + 1
    item.refresh_from_db()
    assert item.deliverable == "专项工作报告"
    with pytest.raises(EditConflict):
        services.item_post_progress(actor=staff_user, item=item, percent=10, text="x", version=read_by_b)
    with pytest.raises(EditConflict):
        services.item_update(actor=staff_user, item=item, version=None, deliverable="x")


def test_roll_up_does_not_cause_conflicts_on_the_parent(plan, office, staff_user, planner):
    parent = add_item(plan, "父")
    child = add_item(plan, "子", parent=parent, office=office)
    read = parent.version
    services.item_post_progress(actor=staff_user, item=child, percent=50, text="x", version=child.version)
    services.item_update(actor=planner, item=parent, version=read, deliverable="汇总报告")
    parent.refresh_from_db()
    assert (parent.progress, parent.deliverable) == (50, "汇总报告")


def test_item_create_and_delete(plan, planner, office, staff_user):
    section = add_item(plan, "一、监督")
    new = services.item_create(actor=planner, plan=plan, parent=section, title="开展专题询问", lead_office=office,
                               period_kind=PeriodKind.MONTH, planned_month=11)
    assert (new.level, new.position, new.path, new.due_date) == (2, 1, "0001.0001", dt.date(2026, 11, 30))
    assert Notification.objects.filter(recipient=staff_user).exists()
    services.item_post_progress(actor=staff_user, item=new, percent=10, text="x", version=new.version)
    with pytest.raises(ServiceError):
        services.item_delete(actor=planner, item=section)
    other = services.item_create(actor=planner, plan=plan, title="临时事项")
    services.item_delete(actor=planner, item=other)
    assert not PlanItem.objects.filter(pk=other.pk).exists()
    with pytest.raises(NotAllowed):
        services.item_create(actor=staff_user, plan=plan, title="越权")
