"""Pages of the legislation module: who sees which plans, the project page with its
timeline, documents and actions, refusals next to the field, and the switch."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from legislation import services_projects as services
from legislation.choices import Step
from legislation.models import RegulationProject

from .conftest import walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_project(next_plan, legal_staff, office):
    return services.project_add(actor=legal_staff, plan=next_plan, title="《江州市数据条例》", lead_office=office)


@pytest.mark.parametrize("who", ["legal_staff", "staff_user", "director", "vice_director", "admin_user"])
def test_the_committee_sees_every_plan(request, client_as, who, plan, next_plan, project, draft_project):
    client = client_as(request.getfixturevalue(who))
    page = client.get(reverse("legislation:plan-list")).content.decode()
    assert plan.title in page and next_plan.title in page
    assert client.get(reverse("legislation:plan-detail", args=[next_plan.pk])).status_code == 200
    assert client.get(reverse("legislation:project-detail", args=[draft_project.pk])).status_code == 200


@pytest.mark.parametrize("who", ["deputy_user", "unit_clerk"])
def test_deputies_and_units_read_adopted_plans_only(request, client_as, who, plan, next_plan, project, draft_project):
    client = client_as(request.getfixturevalue(who))
    page = client.get(reverse("legislation:plan-list")).content.decode()
    assert plan.title in page and next_plan.title not in page
    assert client.get(reverse("legislation:plan-detail", args=[next_plan.pk])).status_code == 404
    assert client.get(reverse("legislation:project-detail", args=[draft_project.pk])).status_code == 404
    detail = client.get(reverse("legislation:project-detail", args=[project.pk]))
    assert detail.status_code == 200
    assert 'data-action="advance"' not in detail.content.decode()  # read-only
    assert client.post(reverse("legislation:project-advance", args=[project.pk]),
                       {"step": "initiation", "version": project.version}).status_code == 403
    assert client.get(reverse("legislation:plan-create")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, plan):
    resp = client.get(reverse("legislation:plan-detail", args=[plan.pk]))
    assert resp.status_code == 302 and "login" in resp["Location"]


def test_plan_page_groups_projects_by_category(client_as, legal_staff, plan, project):
    services.project_add(actor=legal_staff, plan=plan, title="《江州市养老服务条例》", category="preparatory")
    page = client_as(legal_staff).get(reverse("legislation:plan-detail", args=[plan.pk])).content.decode()
    assert 'data-category="first"' in page and 'data-category="preparatory"' in page
    assert "初次审议项目" in page and "预备项目" in page and "制定" in page


def test_project_page_shows_the_timeline_documents_and_labels(client_as, legal_staff, project, meetings):
    walk(project, legal_staff, Step.FIRST_READING, agenda=meetings[:1])
    services.project_upload_document(actor=legal_staff, project=project, kind="explanation",
                                     file=SimpleUploadedFile("说明.txt", "关于草案的说明".encode()))
    page = client_as(legal_staff).get(reverse("legislation:project-detail", args=[project.pk])).content.decode()
    assert 'data-step="first_reading" data-step-done' in page
    assert meetings[0].title in page
    assert "二审" in page and "下一环节" in page
    assert "说明" in page and "说明.txt" in page
    assert "first_reading" not in page.split('data-current-step>')[1][:20]  # a label, never a code


def test_staff_advance_from_the_page_and_refusals_come_back_next_to_the_field(client_as, staff_user, project):
    client = client_as(staff_user)
    url = reverse("legislation:project-advance", args=[project.pk])
    resp = client.post(url, {"step": "initiation", "date": "2026-01-12", "version": project.version})
    assert resp.status_code == 302
    project.refresh_from_db()
    assert project.current_step == Step.INITIATION
    resp = client.post(url, {"step": "vote", "version": project.version})
    assert resp.status_code == 400
    assert "下一环节应为“起草”" in resp.content.decode()
    assert 'data-field-error="step"' in resp.content.decode()
    resp = client.post(url, {"step": "drafting", "version": project.version - 1})
    assert resp.status_code == 400 and "已被他人修改" in resp.content.decode()


def test_shelve_needs_a_reason_on_the_page(client_as, legal_staff, project):
    client = client_as(legal_staff)
    url = reverse("legislation:project-shelve", args=[project.pk])
    resp = client.post(url, {"reason": "", "version": project.version})
    assert resp.status_code == 400 and 'data-field-error="reason"' in resp.content.decode()
    assert client.post(url, {"reason": "暂缓", "version": project.version}).status_code == 302


def test_carry_over_from_the_page_opens_the_new_project(client_as, legal_staff, project, next_plan):
    resp = client_as(legal_staff).post(reverse("legislation:project-carry", args=[project.pk]),
                                       {"next_plan": next_plan.pk, "version": project.version})
    new = RegulationProject.objects.get(plan=next_plan)
    assert resp.status_code == 302 and resp["Location"] == new.get_absolute_url()


def test_actions_answer_post_only(client_as, legal_staff, project):
    assert client_as(legal_staff).get(reverse("legislation:project-shelve", args=[project.pk])).status_code == 405


def test_plan_and_project_forms(client_as, legal_staff, plan):
    client = client_as(legal_staff)
    resp = client.post(reverse("legislation:plan-create"), {"kind": "annual", "year": "", "status": "draft"})
    assert resp.status_code == 200 and resp.context["form"].errors
    resp = client.post(reverse("legislation:plan-create"), {"kind": "annual", "year": "2027", "status": "adopted"})
    assert "adopted_on" in resp.context["form"].errors
    resp = client.post(reverse("legislation:plan-create"), {"kind": "annual", "year": "2027", "status": "draft"})
    assert resp.status_code == 302
    url = reverse("legislation:project-create", args=[plan.pk])
    resp = client.post(url, {"title": "", "category": "first", "kind": "enact"})
    assert resp.status_code == 200 and "title" in resp.context["form"].errors
    resp = client.post(url, {"title": "《江州市河道管理条例》", "category": "first", "kind": "enact",
                             "drafting_body": "市水利局"})
    assert resp.status_code == 302
    project = RegulationProject.objects.get(title="《江州市河道管理条例》")
    resp = client.post(reverse("legislation:project-edit", args=[project.pk]),
                       {"title": "《江州市河湖管理条例》", "category": "first", "kind": "enact",
                        "version": project.version})
    assert resp.status_code == 302
    assert RegulationProject.objects.get(pk=project.pk).title == "《江州市河湖管理条例》"


def test_project_list_filters(client_as, legal_staff, plan, project):
    services.project_add(actor=legal_staff, plan=plan, title="《江州市养老服务条例》", category="preparatory")
    client = client_as(legal_staff)
    page = client.get(reverse("legislation:project-list"), {"category": "preparatory"}).content.decode()
    assert "养老服务" in page and "养犬" not in page
    assert client.get(reverse("legislation:project-list"), {"year": "abc"}).status_code == 200


def test_documents_follow_the_projects_scope(client_as, legal_staff, deputy_user, draft_project, project):
    att = services.project_upload_document(actor=legal_staff, project=draft_project, kind="draft",
                                           file=SimpleUploadedFile("草案.txt", "草案".encode()))
    url = reverse("legislation:document", args=[att.pk])
    resp = client_as(legal_staff).get(url)
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    assert client_as(deputy_user).get(url).status_code == 404


def test_nav_entry_only_where_the_module_is_on(client_as, staff_user, deputy_user):
    from congress.navigation import nav_items

    assert any(i["label"] == "立法" for i in nav_items(staff_user))
    assert any(i["label"] == "立法" for i in nav_items(deputy_user))
    with override_settings(LEGISLATION_ENABLED=False):
        assert not any(i["label"] == "立法" for i in nav_items(staff_user))


@override_settings(LEGISLATION_ENABLED=False)
def test_every_page_is_a_404_when_the_module_is_off(client_as, admin_user, plan, project):
    client = client_as(admin_user)
    att = services.project_upload_document(actor=admin_user, project=project, kind="draft",
                                           file=SimpleUploadedFile("草案.txt", "草案".encode()))
    for name, args in [
        ("plan-list", []), ("plan-create", []), ("plan-detail", [plan.pk]), ("plan-edit", [plan.pk]),
        ("plan-import", [plan.pk]), ("project-create", [plan.pk]), ("project-list", []),
        ("project-detail", [project.pk]), ("project-edit", [project.pk]), ("document", [att.pk]),
    ]:
        assert client.get(reverse(f"legislation:{name}", args=args)).status_code == 404, name
    assert client.post(reverse("legislation:project-advance", args=[project.pk]),
                       {"step": "initiation", "version": project.version}).status_code == 404
    assert "立法" not in client.get(reverse("home")).content.decode().split("<main")[0]


def test_link_a_reading_to_its_agenda_item_afterwards(client_as, legal_staff, project, meetings):
    from .conftest import walk as walk_to

    project = walk_to(project, legal_staff, Step.FIRST_READING)
    reading = project.steps.get(step=Step.FIRST_READING)
    assert reading.agenda_item is None
    client = client_as(legal_staff)
    url = reverse("legislation:project-link", args=[project.pk])
    resp = client.post(url, {"step_record": reading.pk, "agenda_item": meetings[0].pk, "version": project.version})
    assert resp.status_code == 302
    reading.refresh_from_db()
    assert reading.agenda_item == meetings[0]
    # A step of another project is not a choice here.
    other = services.project_add(actor=legal_staff, plan=project.plan, title="另一法规")
    other = walk_to(other, legal_staff, Step.FIRST_READING)
    project.refresh_from_db()
    resp = client.post(url, {"step_record": other.steps.get(step=Step.FIRST_READING).pk,
                             "agenda_item": meetings[1].pk, "version": project.version})
    assert resp.status_code == 400 and 'data-field-error="step_record"' in resp.content.decode()
