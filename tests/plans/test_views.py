"""The plan pages: import with preview, the list with inline progress (htmx), the
item page with its edit conflict, bulk assignment and the exports."""

import io

import pytest
from django.urls import reverse

from plans.choices import ItemStatus, PeriodKind
from plans.models import ImportDraft, PlanItem, ProgressEntry

from .conftest import add_item

pytestmark = pytest.mark.django_db


def test_plan_index_and_detail_render(client_as, planner, imported):
    client = client_as(planner)
    resp = client.get(reverse("plans:plan-list"))
    assert resp.status_code == 200
    assert "江州市人大常委会2026年工作要点" in resp.content.decode()
    resp = client.get(reverse("plans:plan-detail", args=[imported.pk]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "一、凝心聚力,服务中心" in html
    assert "（3）依法对“一府两院”法律法规执行情况及相关工作进行专项检查" in html
    assert html.count('data-level="3"') == 13


def test_create_plan_page(client_as, staff_user):
    client = client_as(staff_user)
    resp = client.post(reverse("plans:plan-create"), {"kind": "supervision", "year": "2026", "title": ""})
    assert resp.status_code == 302
    assert resp.url.endswith("/import/")
    resp = client.post(reverse("plans:plan-create"), {"kind": "", "year": "abc"})
    assert resp.status_code == 200
    assert "is-invalid" in resp.content.decode()


def test_import_preview_edit_confirm_flow(client_as, planner, plan, sample_text):
    client = client_as(planner)
    resp = client.post(reverse("plans:plan-import", args=[plan.pk]), {"text": sample_text})
    assert resp.status_code == 302
    draft = ImportDraft.objects.get()
    assert PlanItem.objects.count() == 0  # nothing saved yet

    resp = client.get(resp.url)
    html = resp.content.decode()
    assert "第1级：3条" in html and "第2级：6条" in html and "第3级：13条" in html
    assert "全年将开展五次以上专项检查工作" in html

    # htmx edit: merge the second item of the first subsection into the first.
    resp = client.post(
        reverse("plans:draft-preview", args=[draft.pk]),
        {"action": "merge", "index": "3", "version": draft.version},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200
    assert 'id="draft-tree"' in resp.content.decode()
    assert "第3级：12条" in resp.content.decode()
    draft.refresh_from_db()
    # A stale version is refused and shown; the tree is unchanged.
    resp = client.post(
        reverse("plans:draft-preview", args=[draft.pk]),
        {"action": "delete", "index": "0", "version": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert "data-draft-error" in resp.content.decode()
    assert len(ImportDraft.objects.get().nodes) == 21

    resp = client.post(reverse("plans:draft-preview", args=[draft.pk]), {"action": "confirm", "version": draft.version})
    assert resp.status_code == 302
    assert PlanItem.objects.filter(plan=plan).count() == 21


def test_import_form_errors_keep_input(client_as, planner, plan):
    resp = client_as(planner).post(reverse("plans:plan-import", args=[plan.pk]), {"text": "没有编号的文字。"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "未识别出编号条目" in html
    assert "没有编号的文字。" in html


def test_import_docx_upload(client_as, planner, plan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .docx_builder import auto_numbered_docx

    data = auto_numbered_docx([(0, "立法工作"), (1, "制定条例"), (0, "监督工作")])
    upload = SimpleUploadedFile("plan.docx", data)
    resp = client_as(planner).post(reverse("plans:plan-import", args=[plan.pk]), {"file": upload})
    assert resp.status_code == 302
    assert [n["title"] for n in ImportDraft.objects.get().nodes] == ["立法工作", "制定条例", "监督工作"]


def test_discard_draft(client_as, planner, plan, sample_text):
    client = client_as(planner)
    client.post(reverse("plans:plan-import", args=[plan.pk]), {"text": sample_text})
    draft = ImportDraft.objects.get()
    client.post(reverse("plans:draft-preview", args=[draft.pk]), {"action": "discard"})
    assert not ImportDraft.objects.exists()
    assert not PlanItem.objects.exists()


def test_inline_progress_updates_the_row_in_place(client_as, staff_user, item):
    client = client_as(staff_user)
    resp = client.get(reverse("plans:item-list"))
    assert f'id="item-row-{item.pk}"' in resp.content.decode()
    resp = client.post(
        reverse("plans:item-progress", args=[item.pk]),
        {"inline": "1", "percent": "45", "text": "已完成初稿", "version": item.version},
        HTTP_HX_REQUEST="true",
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert html.strip().startswith(f'<tr id="item-row-{item.pk}"')
    assert "45%" in html and "已报送" in html
    item.refresh_from_db()
    assert item.progress == 45


def test_inline_progress_conflict_keeps_typed_text(client_as, staff_user, item, planner):
    from plans import services

    stale = item.version
    services.item_update(actor=planner, item=item, version=stale, deliverable="报告")
    resp = client_as(staff_user).post(
        reverse("plans:item-progress", args=[item.pk]),
        {"inline": "1", "percent": "50", "text": "我填写的进展", "version": stale},
        HTTP_HX_REQUEST="true",
    )
    html = resp.content.decode()
    assert "data-conflict" in html
    assert "我填写的进展" in html
    assert f'name="version" value="{stale + 1}"' in html  # resubmitting is now deliberate
    assert not ProgressEntry.objects.exists()


def test_inline_progress_validation_errors_in_row(client_as, staff_user, item):
    resp = client_as(staff_user).post(
        reverse("plans:item-progress", args=[item.pk]),
        {"inline": "1", "percent": "150", "text": "超出", "version": item.version},
        HTTP_HX_REQUEST="true",
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "is-invalid" in html and "超出" in html


def test_item_page_progress_status_and_history(client_as, staff_user, item):
    client = client_as(staff_user)
    resp = client.get(reverse("plans:item-detail", args=[item.pk]))
    assert resp.status_code == 200
    assert "data-progress-form" in resp.content.decode()
    resp = client.post(reverse("plans:item-progress", args=[item.pk]),
                       {"percent": "30", "text": "召开座谈会", "version": item.version})
    assert resp.status_code == 302
    item.refresh_from_db()
    resp = client.post(reverse("plans:item-status", args=[item.pk]),
                       {"status": ItemStatus.DONE, "version": item.version})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "办结须填写完成情况" in html
    resp = client.post(reverse("plans:item-status", args=[item.pk]),
                       {"status": ItemStatus.DONE, "outcome": "报告已审议", "version": item.version})
    assert resp.status_code == 302
    html = client.get(reverse("plans:item-detail", args=[item.pk])).content.decode()
    assert "召开座谈会" in html and "状态改为“已完成”" in html and "报送进度 30%" in html


def test_item_edit_conflict_tells_second_editor_and_keeps_input(client_as, staff_user, planner, item):
    client = client_as(staff_user)
    form_version = item.version
    from plans import services

    services.item_update(actor=planner, item=item, version=form_version, target="全年三次")
    resp = client.post(
        reverse("plans:item-edit", args=[item.pk]),
        {
            "number": item.number, "title": "我改的标题", "item_type": "other", "period_kind": PeriodKind.YEAR,
            "deliverable": "我写的成果", "version": form_version,
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "data-conflict" in html
    assert "我改的标题" in html and "我写的成果" in html
    item.refresh_from_db()
    assert item.title == "听取和审议财政报告" and item.target == "全年三次"


def test_item_edit_saves(client_as, staff_user, item):
    resp = client_as(staff_user).post(
        reverse("plans:item-edit", args=[item.pk]),
        {"number": "1.", "title": "听取财政报告", "item_type": "supervision_report", "period_kind": "quarter",
         "planned_quarter": "3", "deliverable": "审议意见", "version": item.version},
    )
    assert resp.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.planned_quarter, item.lead_office_id) == ("听取财政报告", 3, item.lead_office_id)


def test_bulk_assign_from_list(client_as, planner, plan, office):
    items = [add_item(plan, f"事项{i}") for i in range(3)]
    resp = client_as(planner).post(
        reverse("plans:item-bulk-assign"),
        {"items": [items[0].pk, items[2].pk], "lead_office": office.pk, "period_kind": "month", "planned_month": "5",
         "next": "/plans/items/"},
    )
    assert resp.status_code == 302
    assert set(PlanItem.objects.filter(lead_office=office).values_list("pk", flat=True)) == {items[0].pk, items[2].pk}


def test_excel_export_follows_filters(client_as, planner, plan, office, other_office):
    add_item(plan, "财经事项", office=office)
    add_item(plan, "教科文卫事项", office=other_office)
    resp = client_as(planner).get(reverse("plans:item-export-xlsx") + f"?office={office.pk}")
    assert resp.status_code == 200
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(resp.getvalue())).active
    titles = [row[3] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert titles == ["财经事项"]


def test_word_export_is_numbered_like_the_original(client_as, planner, imported):
    resp = client_as(planner).get(reverse("plans:plan-export-docx", args=[imported.pk]))
    assert resp.status_code == 200
    import docx

    paragraphs = [p.text for p in docx.Document(io.BytesIO(resp.content)).paragraphs]
    assert paragraphs[0] == "江州市人大常委会2026年工作要点"
    assert "一、凝心聚力,服务中心" in paragraphs
    assert "1.为建设美丽城市、增强市民发展共识服务" in paragraphs
    assert any(p.startswith("（3）依法对“一府两院”法律法规执行情况及相关工作进行专项检查。市县联动") for p in paragraphs)
    # Re-importing the export gives the same tree.
    from plans import importer

    again = importer.parse_docx(resp.content)
    assert importer.counts_by_level(again.nodes) == {1: 3, 2: 6, 3: 13}
