"""The REST API: scoped lists and details, filters shared with the page, every step of the
loop, refusals (403 role, 404 out of scope, 400 input/state, 409 stale), OpenAPI schema."""

import datetime as dt

import pytest

from supervision import choices as c
from supervision.models import DeliberationOpinion, SupervisionItem

from .conftest import TODAY

API = "/api/v1/supervision/"


def ids(resp):
    assert resp.status_code == 200, resp.content
    return {r["id"] for r in resp.json()["results"]}


@pytest.fixture
def two_items(heard_item, make_item, other_unit, frozen):
    other = make_item(kind=c.SupervisionType.RESEARCH, title="关于住房保障的调研", target_unit=other_unit)
    return heard_item, other


def test_list_scoped_by_role(two_items, api_client, staff_user, other_staff_user, director, unit_clerk,
                             other_unit_clerk, deputy_user):
    mine, other = two_items
    assert ids(api_client(staff_user).get(API + "items/")) == {mine.pk, other.pk}
    assert ids(api_client(other_staff_user).get(API + "items/")) == {mine.pk, other.pk}
    assert ids(api_client(director).get(API + "items/")) == {mine.pk, other.pk}
    assert ids(api_client(unit_clerk).get(API + "items/")) == {mine.pk}
    assert ids(api_client(other_unit_clerk).get(API + "items/")) == {other.pk}
    assert ids(api_client(deputy_user).get(API + "items/")) == set()
    SupervisionItem.objects.filter(pk=other.pk).update(is_published=True)
    assert ids(api_client(deputy_user).get(API + "items/")) == {other.pk}
    assert api_client().get(API + "items/").status_code in (401, 403)


def test_out_of_scope_detail_is_404(two_items, api_client, unit_clerk):
    mine, other = two_items
    assert api_client(unit_clerk).get(f"{API}items/{other.pk}/").status_code == 404
    assert api_client(unit_clerk).get(f"{API}items/{mine.pk}/").status_code == 200


def test_unit_sees_item_through_a_department_or_audit_problem(make_item, api_client, other_unit, other_unit_clerk,
                                                              staff_user, government, frozen):
    via_dept = make_item(title="部门", target_unit=government, departments=[other_unit])
    audit = make_item(kind=c.SupervisionType.AUDIT_RECTIFICATION, title="审计", target_unit=government)
    from supervision import services

    services.audit_problem_save(actor=staff_user, item=audit, description="问题", responsible_unit=other_unit)
    assert ids(api_client(other_unit_clerk).get(API + "items/")) == {via_dept.pk, audit.pk}


def test_filters_type_year_body_office_status_overdue(two_items, api_client, director, unit, office, frozen):
    mine, other = two_items
    client = api_client(director)
    assert ids(client.get(API + "items/", {"kind": "research"})) == {other.pk}
    assert ids(client.get(API + "items/", {"year": 2025})) == {mine.pk, other.pk}
    assert ids(client.get(API + "items/", {"year": 2024})) == set()
    assert ids(client.get(API + "items/", {"body": unit.pk})) == {mine.pk}
    assert ids(client.get(API + "items/", {"lead_office": office.pk})) == {mine.pk, other.pk}
    assert ids(client.get(API + "items/", {"status": "planned"})) == {mine.pk, other.pk}
    # the heard item's draft report (T-20, 31 May) is overdue on 25 June
    assert ids(client.get(API + "items/", {"overdue": "true"})) == {mine.pk}
    assert ids(client.get(API + "items/", {"overdue": "false"})) == {other.pk}
    assert client.get(API + "items/", {"kind": "nonsense"}).status_code == 400


def test_create_and_update_with_version(api_client, staff_user, agenda_item, unit, frozen):
    client = api_client(staff_user)
    resp = client.post(API + "items/", {"kind": "special_report", "title": agenda_item.title,
                                        "agenda_item": agenda_item.pk, "target_unit": unit.pk}, format="json")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["hearing_date"] == "2025-06-20" and body["can_edit"]
    assert {s["code"]: s["due_date"] for s in body["steps"]}["issue_opinions"] == "2025-06-27"
    pk = body["id"]
    ok = client.patch(f"{API}items/{pk}/", {"version": body["version"], "is_published": True}, format="json")
    assert ok.status_code == 200 and ok.json()["is_published"]
    stale = client.patch(f"{API}items/{pk}/", {"version": body["version"], "title": "x"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == body["version"] + 1


def test_create_refusals(api_client, other_staff_user, unit_clerk, office, frozen):
    bad = api_client(other_staff_user).post(API + "items/", {"kind": "research", "title": "x", "lead_office": office.pk},
                                            format="json")
    assert bad.status_code == 400 and "lead_office" in bad.json()
    assert api_client(unit_clerk).post(API + "items/", {"kind": "research", "title": "x"}, format="json").status_code == 403
    missing = api_client(other_staff_user).post(API + "items/", {"kind": "research"}, format="json")
    assert missing.status_code == 400


def test_other_office_reads_but_cannot_edit(heard_item, api_client, other_staff_user, frozen):
    client = api_client(other_staff_user)
    detail = client.get(f"{API}items/{heard_item.pk}/")
    assert detail.status_code == 200 and detail.json()["can_edit"] is False
    resp = client.patch(f"{API}items/{heard_item.pk}/", {"version": heard_item.version, "title": "x"}, format="json")
    assert resp.status_code == 403


def test_opinion_loop_through_the_api(heard_item, api_client, staff_user, unit_clerk, other_unit_clerk, chair_meeting,
                                      frozen):
    staff = api_client(staff_user)
    r = staff.post(API + "opinions/", {"item": heard_item.pk, "text": "一、加强师资。", "compiled_on": "2025-06-23"},
                   format="json")
    assert r.status_code == 201, r.content
    op = r.json()
    assert op["issue_due"] == "2025-06-27"
    # issuing before approval is refused with the state
    assert staff.post(f"{API}opinions/{op['id']}/issue/", {"version": op["version"]}, format="json").status_code == 400
    op = staff.post(f"{API}opinions/{op['id']}/approve/", {"version": op["version"], "approval_meeting": chair_meeting.pk},
                    format="json").json()
    op = staff.post(f"{API}opinions/{op['id']}/issue/", {"version": op["version"], "in_person": True}, format="json").json()
    assert op["status"] == "issued" and op["report_due"] == "2025-09-25"
    # another unit cannot even see it; the body reports
    assert api_client(other_unit_clerk).post(f"{API}opinions/{op['id']}/report/", {"version": op["version"],
                                             "report_text": "x"}, format="json").status_code == 404
    r = api_client(unit_clerk).post(f"{API}opinions/{op['id']}/report/", {"version": op["version"], "report_text": "已落实"},
                                    format="json")
    assert r.status_code == 200 and r.json()["status"] == "reported"
    # the unit cannot follow up (office work)
    op = r.json()
    assert api_client(unit_clerk).post(f"{API}opinions/{op['id']}/follow-up/", {"version": op["version"], "note": "x"},
                                       format="json").status_code == 403
    r = staff.post(f"{API}opinions/{op['id']}/follow-up/", {"version": op["version"], "note": "跟踪", "close": True},
                   format="json")
    assert r.json()["status"] == "closed"


def test_vote_api_returns_result_and_rule(heard_item, api_client, staff_user, frozen):
    r = api_client(staff_user).post(API + "votes/", {
        "item": heard_item.pk, "voted_on": "2025-06-20", "members_total": 40, "satisfied": 20,
        "basically_satisfied": 0, "dissatisfied": 20, "result": "satisfied"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["result"] == "dissatisfied"  # computed, never taken from the client
    assert "半数" in r.json()["rule"]
    bad = api_client(staff_user).post(API + "votes/", {
        "item": heard_item.pk, "voted_on": "2025-06-20", "members_total": 10, "satisfied": 9,
        "basically_satisfied": 9, "dissatisfied": 0}, format="json")
    assert bad.status_code == 400 and "dissatisfied" in bad.json()
    # a new re-report round exists after the 不满意 vote
    assert DeliberationOpinion.objects.filter(item=heard_item, status="issued").exists()


def test_steps_api_complete_and_change(heard_item, api_client, staff_user, other_staff_user, frozen):
    r = api_client(staff_user).get(API + "steps/", {"item": heard_item.pk, "code": "draft_report"})
    step = r.json()["results"][0]
    assert step["status_colour"] == "red"  # 25 days overdue
    assert api_client(other_staff_user).post(f"{API}steps/{step['id']}/complete/", {"version": step["version"]},
                                             format="json").status_code == 403
    done = api_client(staff_user).post(f"{API}steps/{step['id']}/complete/", {"version": step["version"],
                                       "done_on": "2025-05-30"}, format="json")
    assert done.status_code == 200 and done.json()["done_on"] == "2025-05-30"
    future = api_client(staff_user).post(f"{API}steps/{step['id']}/change/", {"version": done.json()["version"],
                                         "due_date": "2025-06-01"}, format="json")
    assert future.status_code == 200 and future.json()["due_manual"]


def test_audit_problem_api_and_import(make_item, api_client, staff_user, unit, unit_clerk, frozen):
    from .test_services import workbook

    item = make_item(kind=c.SupervisionType.AUDIT_RECTIFICATION)
    client = api_client(staff_user)
    r = client.post(f"{API}items/{item.pk}/import-audit-problems/",
                    {"file": workbook([["1", "资金闲置", "", "", unit.name, "限期整改", ""]])}, format="multipart")
    assert r.status_code == 201, r.content
    problem = r.json()[0]
    r = api_client(unit_clerk).post(f"{API}audit-problems/{problem['id']}/evidence/",
                                    {"version": problem["version"], "measures": "已收回资金", "finished": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "evidence_submitted"
    r = client.post(f"{API}audit-problems/{problem['id']}/verify/", {"version": r.json()["version"]}, format="json")
    assert r.json()["status"] == "rectified"
    stats = client.get(API + "stats/", {"year": 2025}).json()
    assert {f["key"]: f["value"] for f in stats}["rectification_rate"] == 100.0


def test_livelihood_api(make_item, api_client, staff_user, unit, unit_clerk, frozen):
    item = make_item(kind=c.SupervisionType.LIVELIHOOD)
    client = api_client(staff_user)
    p = client.post(API + "projects/", {"item": item.pk, "name": "新建学校", "department": unit.pk, "budget": "1000"},
                    format="json").json()
    r = client.post(f"{API}items/{item.pk}/project-votes/", {"voters_total": 10, "seats": 1,
                    "votes": [{"project": p["id"], "votes_for": 8}]}, format="json")
    assert r.status_code == 200 and r.json()[0]["status"] == "elected"
    r = client.post(f"{API}projects/{p['id']}/milestones/", {"title": "开工", "due_date": "2025-05-01"}, format="json")
    assert r.status_code == 201
    p = client.get(f"{API}projects/{p['id']}/").json()
    r = api_client(unit_clerk).post(f"{API}projects/{p['id']}/progress/", {"version": p["version"], "percent": 20,
                                    "note": "设计中"}, format="json")
    assert r.status_code == 200 and r.json()["progress_percent"] == 20
    letter = client.get(f"{API}projects/{p['id']}/reminder-letter/")
    assert letter.status_code == 200 and letter["Content-Type"].startswith("application/vnd.openxmlformats")


def test_interpellation_and_filing_api(make_item, api_client, staff_user, unit, unit_clerk, frozen):
    client = api_client(staff_user)
    inter_item = make_item(kind=c.SupervisionType.INTERPELLATION)
    bad = client.post(API + "interpellations/", {"item": inter_item.pk, "subject": "x", "proposer_names": "甲\n乙",
                                                 "submitted_on": "2025-06-20"}, format="json")
    assert bad.status_code == 400 and "proposer_names" in bad.json()
    filing = make_item(kind=c.SupervisionType.FILING_REVIEW)
    r = client.post(API + "filed-documents/", {"item": filing.pk, "title": "办法", "published_on": "2025-06-01",
                                               "filed_on": "2025-06-10", "maker": unit.pk}, format="json")
    assert r.status_code == 201 and r.json()["review_due"] == "2025-09-10"


def test_appraisal_api(make_item, api_client, staff_user, unit, frozen):
    item = make_item(kind=c.SupervisionType.PERFORMANCE_APPRAISAL)
    client = api_client(staff_user)
    t = client.post(API + "appraisal-targets/", {"item": item.pk, "person_name": "许文静", "unit": unit.pk},
                    format="json").json()
    r = client.post(f"{API}appraisal-targets/{t['id']}/vote/", {"version": t["version"], "members_total": 40,
                    "satisfied": 30, "basically_satisfied": 5, "dissatisfied": 1}, format="json")
    assert r.json()["result"] == "satisfied"


def test_meeting_due_endpoint(heard_item, api_client, director, meeting, frozen):
    r = api_client(director).get(f"{API}meetings/{meeting.pk}/due/")
    assert r.status_code == 200
    body = r.json()
    assert body["draft_due"] == "2025-05-31" and body["final_due"] == "2025-06-10"
    assert [p["item"]["id"] for p in body["prep"]] == [heard_item.pk]


def test_council_meeting_due_is_404_for_units(api_client, unit_clerk, chair_meeting):
    assert api_client(unit_clerk).get(f"{API}meetings/{chair_meeting.pk}/due/").status_code == 404


def test_openapi_schema_documents_the_endpoints(api_client, director):
    r = api_client(director).get("/api/v1/schema/", {"format": "json"})
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in ["items/", "items/{id}/transition/", "opinions/{id}/issue/", "opinions/{id}/report/", "votes/",
              "audit-problems/{id}/evidence/", "projects/{id}/progress/", "stats/", "meetings/{meeting_id}/due/",
              "steps/{id}/complete/", "interpellations/{id}/answer/", "filed-documents/{id}/review/"]:
        assert f"/api/v1/supervision/{p}" in paths, p


def test_today_is_frozen(frozen):
    from congress.workdays import today

    assert today() == TODAY == dt.date(2025, 6, 25)


def test_milestone_reached_through_the_api(make_item, api_client, staff_user, unit, unit_clerk, other_unit_clerk, frozen):
    from supervision import services

    item = make_item(kind=c.SupervisionType.LIVELIHOOD, target_unit=None)
    p = services.project_save(actor=staff_user, item=item, name="新建学校", department=unit)
    services.project_votes_record(actor=staff_user, item=item, voters_total=5, seats=1, votes={p.pk: (5, 0, 0)})
    m = services.milestone_save(actor=staff_user, project=p, title="开工", due_date=dt.date(2025, 5, 1))
    url = f"{API}milestones/{m.pk}/"
    assert api_client(unit_clerk).get(f"{API}milestones/", {"project": p.pk}).json()["count"] == 1
    assert api_client(other_unit_clerk).patch(url, {"version": m.version, "done_on": "2025-05-20"},
                                              format="json").status_code == 404
    assert api_client(unit_clerk).patch(url, {"done_on": "2025-05-20"}, format="json").status_code == 400
    assert api_client(unit_clerk).patch(url, {"version": m.version - 1, "done_on": "2025-05-20"},
                                        format="json").status_code == 409
    resp = api_client(unit_clerk).patch(url, {"version": m.version, "done_on": "2025-05-20"}, format="json")
    assert resp.status_code == 200 and resp.json()["done_on"] == "2025-05-20"
    assert api_client(staff_user).get(f"{API}milestones/", {"open": "true"}).json()["count"] == 0
    future = api_client(staff_user).patch(url, {"version": resp.json()["version"], "done_on": "2025-12-01"},
                                          format="json")
    assert future.status_code == 400 and "done_on" in future.json()


def test_reminder_letter_is_not_for_deputies(make_item, api_client, staff_user, unit, unit_clerk, deputy_user, frozen):
    from supervision import services

    item = make_item(kind=c.SupervisionType.LIVELIHOOD, is_published=True)
    p = services.project_save(actor=staff_user, item=item, name="新建学校", department=unit)
    url = f"{API}projects/{p.pk}/reminder-letter/"
    assert api_client(deputy_user).get(f"{API}projects/{p.pk}/").status_code == 200  # the project itself is public
    assert api_client(deputy_user).get(url).status_code == 404
    assert api_client(unit_clerk).get(url).status_code == 200
    assert api_client(staff_user).get(url).status_code == 200
