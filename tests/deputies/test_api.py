"""The REST API: lists, details and every transition, scoped by role, with the same
FilterSet as the pages, 400 with field errors, 403 with the refusal, 409 on stale edits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from deputies.actions import BILL_ACTIONS, SUGGESTION_ACTIONS
from deputies.api.views import SuggestionViewSet
from deputies.choices import SuggestionStatus as S
from deputies.models import Suggestion

API = "/api/v1/deputies"


@pytest.mark.urls("congress.urls")
def test_api_urls_are_not_shadowed():
    # The core registers /api/v1/deputies/<pk>/ for Deputy records; its lookup must not
    # swallow this app's lists (needs `lookup_value_regex = r"\d+"` on the core DeputyViewSet).
    match = resolve(f"{API}/suggestions/")
    assert match.func.cls is SuggestionViewSet, f"{API}/suggestions/ resolves to {match.func.cls.__name__}"


def test_schema_documents_every_transition(api_client, users):
    resp = api_client(users["office"]).get(reverse("api-schema") + "?format=json")
    paths = resp.json()["paths"]
    for name in SUGGESTION_ACTIONS:
        assert f"{API}/suggestions/{{id}}/{name.replace('_', '-')}/" in paths, name
    for name in BILL_ACTIONS:
        assert f"{API}/bills/{{id}}/{name.replace('_', '-')}/" in paths, name
    assert f"{API}/statistics/" in paths and f"{API}/public/" in paths


def test_deputy_creates_and_submits_through_the_api(world, users, api_client):
    api = api_client(users["lead"])
    resp = api.post(f"{API}/suggestions/", {"title": "", "situation": "x", "proposal": "y"}, format="json")
    assert resp.status_code == 400 and "title" in resp.json()
    resp = api.post(f"{API}/suggestions/", {"title": "关于增设夜间公交的建议", "situation": "夜间无公交",
                                            "proposal": "开通夜班线路"}, format="json")
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["status"] == S.DRAFT and "submit" in data["available_actions"]
    resp = api.post(f"{API}/suggestions/{data['id']}/submit/", {}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == S.SUBMITTED
    # a second submit is refused with the state named
    resp = api.post(f"{API}/suggestions/{data['id']}/submit/", {}, format="json")
    assert resp.status_code == 400 and "已提交" in resp.json()["non_field_errors"][0]


def test_units_cannot_create_suggestions(users, api_client, world):
    resp = api_client(users["unit_clerk"]).post(f"{API}/suggestions/", {"title": "a", "situation": "b", "proposal": "c"},
                                                format="json")
    assert resp.status_code == 403 and "只有人大代表" in resp.json()["detail"]


def test_wrong_role_is_refused_with_the_tables_message(world, users, api_client):
    s = world.suggestion(S.SUBMITTED)
    resp = api_client(users["staff"]).post(f"{API}/suggestions/{s.pk}/register/", {}, format="json")
    assert resp.status_code == 403 and resp.json()["detail"] == "只有交办机构可以登记建议。"


def test_stale_version_is_a_conflict(world, users, api_client):
    s = world.suggestion(S.DRAFT)
    api = api_client(users["lead"])
    assert api.patch(f"{API}/suggestions/{s.pk}/", {"title": "新标题", "version": s.version}, format="json").status_code == 200
    resp = api.patch(f"{API}/suggestions/{s.pk}/", {"title": "旧版本上的修改", "version": s.version}, format="json")
    assert resp.status_code == 409 and resp.json()["current_version"] == s.version + 1


def test_action_input_is_validated_by_the_same_form(world, users, api_client):
    s = world.suggestion(S.ACCEPTED)
    api = api_client(users["office"])
    resp = api.post(f"{API}/suggestions/{s.pk}/assign/", {"lead_unit": 99999}, format="json")
    assert resp.status_code == 400 and "lead_unit" in resp.json()
    resp = api.post(f"{API}/suggestions/{s.pk}/assign/", {}, format="json")
    assert resp.status_code == 400 and "lead_unit" in resp.json()
    resp = api.post(f"{API}/suggestions/{s.pk}/assign/", {"lead_unit": world.unit.pk, "co_units": [world.other_unit.pk],
                                                        "is_complex": True}, format="json")
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == S.ASSIGNED and {u["role"] for u in body["units"]} == {"lead", "co"}


def test_unit_replies_with_a_letter_over_multipart(world, users, api_client):
    s = world.suggestion(S.ASSIGNED)
    clerk, head = api_client(users["unit_clerk"]), api_client(users["unit_head"])
    assert clerk.post(f"{API}/suggestions/{s.pk}/sign/", {}, format="json").status_code == 200
    letter = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4", content_type="application/pdf")
    a = world.category("A")
    resp = clerk.post(f"{API}/suggestions/{s.pk}/draft-reply/", {"text": "逐条答复如下", "category": a.pk, "letter": letter},
                      format="multipart")
    assert resp.status_code == 200, resp.content
    assert clerk.post(f"{API}/suggestions/{s.pk}/submit-reply/", {}, format="json").status_code == 200
    resp = head.post(f"{API}/suggestions/{s.pk}/approve-reply/", {}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == S.REPLIED
    reply = resp.json()["replies"][0]
    assert reply["category_code"] == "A" and reply["letters"][0]["name"] == "答复函.pdf"
    # the deputy rates through the API
    resp = api_client(users["lead"]).post(f"{API}/suggestions/{s.pk}/evaluate/",
                                          {"attitude": "satisfied", "result": "basic"}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == S.CLOSED


def test_same_filters_on_the_page_and_the_api(world, users, api_client, client):
    a = world.suggestion(S.ASSIGNED, title="关于教育局办理事项的建议")
    world.suggestion(S.ASSIGNED, title="关于住建局办理事项的建议", unit=world.other_unit)
    world.suggestion(S.ACCEPTED, title="关于待交办事项的建议")
    query = f"?status=assigned&unit={world.unit.pk}"
    api_ids = [r["id"] for r in api_client(users["office"]).get(f"{API}/suggestions/{query}").json()["results"]]
    client.force_login(users["office"])
    page_ids = [s.pk for s, _c in client.get(reverse("deputies:suggestion-list") + query).context["rows"]]
    assert api_ids == page_ids == [a.pk]


def test_bulk_assign_through_the_api(world, users, api_client):
    a, b = world.suggestion(S.ACCEPTED), world.suggestion(S.ACCEPTED, title="另一件")
    api = api_client(users["office"])
    resp = api.post(f"{API}/suggestions/bulk-assign/", {"rows": [
        {"suggestion": a.pk, "lead_unit": world.unit.pk}, {"suggestion": b.pk},
    ]}, format="json")
    assert resp.status_code == 400
    assert Suggestion.objects.filter(status=S.ASSIGNED).count() == 0
    resp = api.post(f"{API}/suggestions/bulk-assign/", {"rows": [
        {"suggestion": a.pk, "lead_unit": world.unit.pk}, {"suggestion": b.pk, "separate_units": [world.unit.pk, world.other_unit.pk]},
    ]}, format="json")
    assert resp.status_code == 200 and len(resp.json()) == 2


def test_statistics_and_public_endpoints(world, users, api_client):
    world.suggestion(S.CLOSED)
    world.suggestion(S.REPLIED, is_confidential=True, title="关于涉密事项的建议")
    data = api_client(users["director"]).get(f"{API}/statistics/?by=unit").json()
    assert data["counts"]["closed"] == 1
    assert {d["key"] for d in data["definitions"]} >= {"reply_rate", "satisfaction_rate", "solved_or_planned_rate"}
    assert data["by"][0]["label"] == "江州市教育局"
    assert api_client(users["director"]).get(f"{API}/statistics/?by=nonsense").status_code == 400
    public = api_client().get(f"{API}/public/").json()["results"]
    assert [p["title"] for p in public] == ["关于加快城区学校建设缓解大班额问题的建议"]
    assert "citizen_contact" not in public[0] and public[0]["replies"][0]["category_code"] == "A"


def test_similar_endpoint_is_for_committee_staff(world, users, api_client):
    s = world.suggestion(S.UNDER_REVIEW)
    world.suggestion(S.IN_PROGRESS, title="关于缓解城区学校大班额的建议")
    data = api_client(users["office"]).get(f"{API}/suggestions/{s.pk}/similar/").json()
    assert data["items"] and data["suggested_unit"] == "江州市教育局"
    assert api_client(users["lead"]).get(f"{API}/suggestions/{s.pk}/similar/").status_code == 403


def test_cosign_inbox_and_confirm(world, users, api_client):
    s = world.suggestion(S.DRAFT)
    world.invite(s)
    api = api_client(users["other_deputy"])
    inbox = api.get(f"{API}/cosignatures/?inbox=true").json()["results"]
    assert [c["suggestion"] for c in inbox] == [s.pk]
    assert api.post(f"{API}/suggestions/{s.pk}/confirm-cosign/", {}, format="json").status_code == 200
    assert api.get(f"{API}/cosignatures/?inbox=true").json()["results"] == []


def test_bill_api_and_activities(world, users, api_client):
    api = api_client(users["lead"])
    resp = api.post(f"{API}/bills/", {"title": "关于制定养犬管理条例的议案", "grounds": "纠纷多", "solution": "立法"},
                    format="json")
    assert resp.status_code == 201
    bill = resp.json()
    resp = api.post(f"{API}/bills/{bill['id']}/submit/", {}, format="json")
    assert resp.status_code == 400 and "10名以上" in resp.json()["non_field_errors"][0]
    resp = api.post(f"{API}/activities/", {"kind": "reception", "title": "接待日", "date": "2026-11-02",
                                           "people_received": 9, "deputies": []}, format="json")
    assert resp.status_code == 201 and resp.json()["people_received"] == 9
    assert api_client(users["other_deputy"]).get(f"{API}/activities/").json()["results"] == []
    record = api.get(f"{API}/deputies/{world.deputy('lead').pk}/record/").json()
    assert record["activities"] == 1 and record["people_received"] == 9
    assert api_client(users["other_deputy"]).get(f"{API}/deputies/{world.deputy('lead').pk}/record/").status_code == 404
