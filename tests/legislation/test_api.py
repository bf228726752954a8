"""The read-only legislation API: scoped like the pages, filtered by the same FilterSet,
codes with labels, 404 everywhere where the module is off."""

import pytest
from django.test import override_settings

from legislation import services_projects as services
from legislation.choices import Step

from .conftest import walk

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/legislation/plans/"
PROJECTS = "/api/v1/legislation/projects/"


@pytest.fixture
def draft_project(next_plan, legal_staff):
    return services.project_add(actor=legal_staff, plan=next_plan, title="《江州市数据条例》", category="research")


def test_staff_list_every_plan_and_project(api_client, staff_user, plan, next_plan, project, draft_project):
    client = api_client(staff_user)
    assert {p["id"] for p in client.get(PLANS).json()["results"]} == {plan.pk, next_plan.pk}
    rows = client.get(PROJECTS).json()["results"]
    assert {p["id"] for p in rows} == {project.pk, draft_project.pk}
    row = next(r for r in rows if r["id"] == project.pk)
    assert row["category_display"] == "初次审议项目" and row["kind_display"] == "制定"
    assert row["current_step_display"] == "未立项"


@pytest.mark.parametrize("who", ["deputy_user", "unit_clerk"])
def test_deputies_and_units_read_adopted_plans_only(request, api_client, who, plan, next_plan, project, draft_project):
    client = api_client(request.getfixturevalue(who))
    assert [p["id"] for p in client.get(PLANS).json()["results"]] == [plan.pk]
    assert [p["id"] for p in client.get(PROJECTS).json()["results"]] == [project.pk]
    assert client.get(f"{PROJECTS}{draft_project.pk}/").status_code == 404
    assert client.get(f"{PLANS}{next_plan.pk}/").status_code == 404
    assert client.get(PROJECTS, {"plan": next_plan.pk}).status_code == 400  # an unseen plan is not a choice


def test_signed_out_is_refused(api_client, plan):
    assert api_client().get(PLANS).status_code in (401, 403)


def test_detail_has_steps_with_agenda_items_and_documents(api_client, legal_staff, project, meetings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    walk(project, legal_staff, Step.FIRST_READING, agenda=meetings[:1])
    services.project_upload_document(actor=legal_staff, project=project, kind="draft",
                                     file=SimpleUploadedFile("草案.txt", "草案".encode()))
    data = api_client(legal_staff).get(f"{PROJECTS}{project.pk}/").json()
    assert [s["step"] for s in data["steps"]] == ["initiation", "drafting", "submission", "first_reading"]
    assert data["steps"][-1]["step_display"] == "一审"
    assert meetings[0].title in data["steps"][-1]["agenda_item_title"]
    assert data["documents"][0]["kind_display"] == "草案"


def test_same_filters_as_the_page(api_client, client_as, legal_staff, plan, project, draft_project):
    query = {"category": "research"}
    api = [p["id"] for p in api_client(legal_staff).get(PROJECTS, query).json()["results"]]
    page = client_as(legal_staff).get("/legislation/projects/", query)
    assert api == [draft_project.pk] and [p.pk for p in page.context["rows"]] == api
    assert api_client(legal_staff).get(PROJECTS, {"year": "abc"}).status_code == 400


def test_read_only(api_client, legal_staff, project):
    client = api_client(legal_staff)
    assert client.post(PROJECTS, {"title": "x"}).status_code == 405
    assert client.patch(f"{PROJECTS}{project.pk}/", {"title": "x"}).status_code == 405


@override_settings(LEGISLATION_ENABLED=False)
def test_404_when_the_module_is_off(api_client, admin_user, plan, project):
    client = api_client(admin_user)
    for url in (PLANS, f"{PLANS}{plan.pk}/", PROJECTS, f"{PROJECTS}{project.pk}/"):
        assert client.get(url).status_code == 404, url
    assert api_client().get(PLANS).status_code == 404
