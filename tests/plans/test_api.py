"""The plans API: CRUD, the tree in one request, import preview → edit → confirm,
progress entries, statuses, bulk assignment, conflicts (409) and the schema."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS

from plans.choices import ItemStatus
from plans.models import ImportDraft, Plan, PlanItem, ProgressEntry

from .conftest import add_item
from .docx_builder import auto_numbered_docx

pytestmark = pytest.mark.django_db
BASE = "/api/v1/plans"


def test_plan_crud(api_client, staff_user):
    api = api_client(staff_user)
    resp = api.post(f"{BASE}/plans/", {"kind": "supervision", "year": 2026}, format="json")
    assert resp.status_code == 201, resp.json()
    pk = resp.json()["id"]
    assert resp.json()["title"] == "2026年监督工作计划"
    resp = api.patch(f"{BASE}/plans/{pk}/", {"title": "2026年监督工作计划", "is_published": True, "version": 1}, format="json")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["version"] == 2
    resp = api.patch(f"{BASE}/plans/{pk}/", {"title": "旧", "version": 1}, format="json")
    assert resp.status_code == 409
    assert resp.json()["current_version"] == 2
    assert api.get(f"{BASE}/plans/?kind=supervision").json()["count"] == 1
    assert api.delete(f"{BASE}/plans/{pk}/").status_code == 204
    assert not Plan.objects.exists()


def test_plan_create_bad_input_is_400(api_client, staff_user):
    resp = api_client(staff_user).post(f"{BASE}/plans/", {"kind": "xx", "year": "abc"}, format="json")
    assert resp.status_code == 400
    assert {"kind", "year"} <= set(resp.json())


def test_import_preview_edit_confirm(api_client, planner, plan, sample_text):
    api = api_client(planner)
    resp = api.post(f"{BASE}/plans/{plan.pk}/import/", {"text": sample_text}, format="json")
    assert resp.status_code == 201, resp.json()
    draft = resp.json()
    assert draft["counts"] == {"1": 3, "2": 6, "3": 13}
    assert PlanItem.objects.count() == 0
    resp = api.post(f"{BASE}/drafts/{draft['id']}/edit/", {"op": "outdent", "index": 2, "version": draft["version"]},
                    format="json")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["counts"] == {"1": 3, "2": 7, "3": 12}
    resp = api.post(f"{BASE}/drafts/{draft['id']}/edit/", {"op": "level", "index": 0, "level": 2}, format="json")
    assert resp.status_code == 400
    resp = api.post(f"{BASE}/drafts/{draft['id']}/confirm/", {}, format="json")
    assert resp.status_code == 201
    assert resp.json()["created"] == 22
    assert PlanItem.objects.filter(plan=plan).count() == 22
    assert api.post(f"{BASE}/drafts/{draft['id']}/confirm/", {}, format="json").status_code == 404  # no longer a draft


def test_import_docx_multipart(api_client, planner, plan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = auto_numbered_docx([(0, "立法工作"), (1, "制定条例"), (2, "起草"), (0, "监督工作")])
    resp = api_client(planner).post(
        f"{BASE}/plans/{plan.pk}/import/", {"file": SimpleUploadedFile("p.docx", data)}, format="multipart"
    )
    assert resp.status_code == 201, resp.json()
    assert [(n["level"], n["number"]) for n in resp.json()["nodes"]] == [(1, "一、"), (2, "（一）"), (3, "1."), (1, "二、")]


def test_import_without_text_is_400(api_client, planner, plan):
    resp = api_client(planner).post(f"{BASE}/plans/{plan.pk}/import/", {"text": ""}, format="json")
    assert resp.status_code == 400
    assert "text" in resp.json()


def test_tree_in_one_request(api_client, planner, imported):
    resp = api_client(planner).get(f"{BASE}/plans/{imported.pk}/tree/")
    assert resp.status_code == 200
    data = resp.json()
    assert data["plan"]["id"] == imported.pk
    assert [n["title"] for n in data["items"]] == ["凝心聚力,服务中心", "深化改革,优化营商环境", "强化监督,提升治理效能"]
    assert [len(n["children"]) for n in data["items"]] == [2, 2, 2]
    assert len(data["items"][0]["children"][1]["children"]) == 3
    assert data["items"][0]["children"][1]["children"][2]["number"] == "（3）"


def test_item_crud_and_assignment(api_client, planner, plan, office, staff_user, vice_director, unit):
    api = api_client(planner)
    section = add_item(plan, "一、监督")
    resp = api.post(f"{BASE}/items/", {"plan": plan.pk, "parent": section.pk, "title": "专题询问",
                                       "lead_office": office.pk, "period_kind": "month", "planned_month": 10,
                                       "cooperating_units": [unit.pk]}, format="json")
    assert resp.status_code == 201, resp.json()
    item = resp.json()
    assert (item["level"], item["due_date"], item["vice_chair"]) == (2, "2026-10-31", vice_director.pk)
    resp = api.patch(f"{BASE}/items/{item['id']}/", {"deliverable": "询问报告", "version": item["version"]}, format="json")
    assert resp.status_code == 200
    assert resp.json()["deliverable"] == "询问报告"
    assert resp.json()["cooperating_units"] == [unit.pk]
    resp = api.patch(f"{BASE}/items/{item['id']}/", {"deliverable": "x", "version": item["version"]}, format="json")
    assert resp.status_code == 409
    resp = api.patch(f"{BASE}/items/{item['id']}/", {"period_kind": "quarter", "version": item["version"] + 1}, format="json")
    assert resp.status_code == 400
    assert "planned_quarter" in resp.json()
    assert api.delete(f"{BASE}/items/{item['id']}/").status_code == 204


def test_progress_status_via_api(api_client, staff_user, other_staff_user, item):
    api = api_client(staff_user)
    resp = api.post(f"{BASE}/items/{item.pk}/progress/", {"percent": 40, "text": "调研", "version": item.version},
                    format="json")
    assert resp.status_code == 201, resp.json()
    assert api.get(f"{BASE}/items/{item.pk}/progress/").json()[0]["percent"] == 40
    resp = api.post(f"{BASE}/items/{item.pk}/progress/", {"percent": 50, "text": "x", "version": item.version},
                    format="json")
    assert resp.status_code == 409
    resp = api.post(f"{BASE}/progress/", {"item": item.pk, "percent": 60, "text": "推进", "version": item.version + 1},
                    format="json")
    assert resp.status_code == 201, resp.json()
    assert api.get(f"{BASE}/progress/?item={item.pk}").json()["count"] == 2

    resp = api.post(f"{BASE}/items/{item.pk}/status/", {"status": "done", "version": item.version + 2}, format="json")
    assert resp.status_code == 400
    assert "outcome" in resp.json()
    resp = api.post(f"{BASE}/items/{item.pk}/status/",
                    {"status": "done", "outcome": "报告已审议", "version": item.version + 2}, format="json")
    assert resp.status_code == 200
    assert resp.json()["status"] == ItemStatus.DONE and resp.json()["progress"] == 100
    assert resp.json()["cooperating_offices"] == list(item.cooperating_offices.values_list("pk", flat=True))

    other = api_client(other_staff_user)
    resp = other.post(f"{BASE}/items/{item.pk}/progress/", {"percent": 1, "text": "x", "version": 5}, format="json")
    assert resp.status_code == 403
    assert ProgressEntry.objects.count() == 2


def test_bulk_assign_api(api_client, planner, staff_user, plan, office):
    items = [add_item(plan, f"事项{i}") for i in range(3)]
    ids = [i.pk for i in items]
    resp = api_client(planner).post(f"{BASE}/items/bulk-assign/",
                                    {"items": ids, "lead_office": office.pk, "period_kind": "quarter",
                                     "planned_quarter": 2}, format="json")
    assert resp.status_code == 200, resp.json()
    assert resp.json() == {"updated": 3}
    assert set(PlanItem.objects.values_list("planned_quarter", flat=True)) == {2}
    resp = api_client(staff_user).post(f"{BASE}/items/bulk-assign/", {"items": ids, "period_kind": "year"}, format="json")
    assert resp.status_code == 403
    resp = api_client(planner).post(f"{BASE}/items/bulk-assign/", {"items": [999999], "period_kind": "year"}, format="json")
    assert resp.status_code == 400


def test_drafts_are_only_for_the_plan_managers(api_client, planner, staff_user, plan, sample_text):
    resp = api_client(planner).post(f"{BASE}/plans/{plan.pk}/import/", {"text": sample_text}, format="json")
    draft_id = resp.json()["id"]
    assert api_client(staff_user).get(f"{BASE}/drafts/{draft_id}/").status_code == 404
    assert api_client(staff_user).post(f"{BASE}/drafts/{draft_id}/confirm/", {}, format="json").status_code == 404
    assert api_client(planner).delete(f"{BASE}/drafts/{draft_id}/").status_code == 204
    assert not ImportDraft.objects.exists()


def test_schema_documents_the_plans_endpoints(api_client, staff_user):
    GENERATOR_STATS.reset()
    resp = api_client(staff_user).get("/api/v1/schema/?format=json")
    assert resp.status_code == 200
    problems = {**GENERATOR_STATS._warn_cache, **GENERATOR_STATS._error_cache}
    GENERATOR_STATS.reset()
    ours = [p for p in problems if "plans" in p]
    assert not ours, ours
    paths = resp.json()["paths"]
    for path in (
        "/api/v1/plans/plans/", "/api/v1/plans/plans/{id}/tree/", "/api/v1/plans/plans/{id}/import/",
        "/api/v1/plans/drafts/{id}/edit/", "/api/v1/plans/drafts/{id}/confirm/", "/api/v1/plans/items/",
        "/api/v1/plans/items/{id}/progress/", "/api/v1/plans/items/{id}/status/", "/api/v1/plans/items/bulk-assign/",
        "/api/v1/plans/progress/",
    ):
        assert path in paths, path
    params = {p["name"] for p in paths["/api/v1/plans/items/"]["get"]["parameters"]}
    assert {"plan", "office", "vice_chair", "type", "status", "period", "overdue", "q"} <= params
