"""Public comment tied to regulation projects: the link, the 征求意见 button of a project's
page, the project's list of its drafts, and the states in which a project takes a new draft."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.history import history_for
from legislation import services_consultation as services
from legislation import services_projects as project_services
from legislation.choices import ProjectStatus
from legislation.models import Consultation, RegulationProject
from tests.legislation.fixtures_consultation import *  # noqa: F401,F403
from tests.legislation.fixtures_consultation import DRAFT, submit

pytestmark = pytest.mark.django_db


def _create(actor, project, **kw):
    return services.consultation_create(actor=actor, title=kw.pop("title", "草案"), draft_text=DRAFT,
                                        project=project, **kw)


def test_a_draft_is_linked_to_its_project_and_history_says_so(staff_user, project):
    c = _create(staff_user, project)
    assert c.project == project
    assert list(project.consultations.all()) == [c]
    assert project.title in str(history_for(c).first().changes)


@pytest.mark.parametrize("status", [ProjectStatus.SHELVED, ProjectStatus.COMPLETED, ProjectStatus.CARRIED_OVER])
def test_a_project_that_is_no_longer_going_on_takes_no_new_draft(staff_user, project, status):
    RegulationProject.objects.filter(pk=project.pk).update(status=status)
    project.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        _create(staff_user, project)
    assert set(exc.value.error_dict) == {"project"}
    assert not Consultation.objects.exists()


def test_a_shelved_project_refuses_through_the_service_of_projects_too(staff_user, project, legal_staff):
    project_services.project_shelve(actor=legal_staff, project=project, reason="上位法修订", version=project.version)
    project.refresh_from_db()
    with pytest.raises(ValidationError):
        _create(staff_user, project)


def test_a_project_the_user_cannot_see_is_refused(staff_user, project, monkeypatch):
    monkeypatch.setattr(type(RegulationProject.objects.none()), "visible_to", lambda self, user: self.none())
    with pytest.raises(ValidationError) as exc:
        _create(staff_user, project)
    assert set(exc.value.error_dict) == {"project"}


def test_linking_an_existing_draft_later_checks_the_project(staff_user, project):
    c = _create(staff_user, None)
    RegulationProject.objects.filter(pk=project.pk).update(status=ProjectStatus.SHELVED)
    project.refresh_from_db()
    with pytest.raises(ValidationError):
        services.consultation_update(actor=staff_user, consultation=c, version=c.version, project=project)
    RegulationProject.objects.filter(pk=project.pk).update(status=ProjectStatus.IN_PROGRESS)
    project.refresh_from_db()
    c = services.consultation_update(actor=staff_user, consultation=c, version=c.version, project=project)
    assert c.project == project
    # A draft already linked keeps its project when the project is shelved afterwards.
    RegulationProject.objects.filter(pk=project.pk).update(status=ProjectStatus.SHELVED)
    c = services.consultation_update(actor=staff_user, consultation=c, version=c.version, title="草案（修改）")
    assert c.project_id == project.pk


def test_a_project_with_drafts_cannot_be_deleted(staff_user, project):
    from django.db.models import ProtectedError

    _create(staff_user, project)
    with pytest.raises(ProtectedError):
        project.delete()


# --- pages -------------------------------------------------------------------------------

def test_the_project_page_offers_the_button_and_the_form_is_prefilled(client_as, staff_user, project):
    client = client_as(staff_user)
    page = client.get(project.get_absolute_url()).content.decode()
    assert f"/legislation/comments/new/?project={project.pk}" in page
    form = client.get(f"/legislation/comments/new/?project={project.pk}").context["form"]
    assert form.initial["project"] == project.pk
    assert form.initial["title"] == "《江州市养犬管理条例》（草案）"
    assert project in form.fields["project"].queryset


def test_the_button_is_hidden_from_readers_and_on_a_shelved_project(client_as, director, staff_user, project):
    assert "data-consult" not in client_as(director).get(project.get_absolute_url()).content.decode()
    RegulationProject.objects.filter(pk=project.pk).update(status=ProjectStatus.SHELVED)
    assert "data-consult" not in client_as(staff_user).get(project.get_absolute_url()).content.decode()


def test_the_form_offers_only_projects_going_on_and_ignores_an_unknown_one(client_as, staff_user, project, plan,
                                                                           legal_staff):
    shelved = project_services.project_add(actor=legal_staff, plan=plan, title="《江州市河道管理条例》")
    RegulationProject.objects.filter(pk=shelved.pk).update(status=ProjectStatus.SHELVED)
    form = client_as(staff_user).get("/legislation/comments/new/?project=999999").context["form"]
    assert "project" not in form.initial
    assert list(form.fields["project"].queryset) == [project]


def test_creating_from_the_page_links_the_project(client_as, staff_user, project):
    client = client_as(staff_user)
    response = client.post("/legislation/comments/new/", {
        "title": "《江州市养犬管理条例》（草案）", "project": project.pk, "draft_text": DRAFT,
        "review_before_publish": "on",
    })
    assert response.status_code == 302
    assert Consultation.objects.get().project == project


def test_a_shelved_project_is_refused_next_to_the_field(client_as, staff_user, project):
    client = client_as(staff_user)
    form_project = project.pk
    RegulationProject.objects.filter(pk=project.pk).update(status=ProjectStatus.SHELVED)
    response = client.post("/legislation/comments/new/", {"title": "草案", "project": form_project, "draft_text": DRAFT})
    assert response.status_code == 200
    assert response.context["form"].errors["project"]
    assert not Consultation.objects.exists()


def test_the_project_page_lists_its_drafts_with_status_and_counts(client_as, staff_user, director, project):
    c = _create(staff_user, project, title="养犬管理条例（草案）")
    c = services.consultation_open(actor=staff_user, consultation=c, version=c.version)
    submit(c)
    submit(c)
    page = client_as(director).get(project.get_absolute_url())
    rows = page.context["consultations"]
    assert [(r.pk, r.comment_count, r.pending_count) for r in rows] == [(c.pk, 2, 2)]
    html = page.content.decode()
    assert "养犬管理条例（草案）" in html and "征求意见中" in html
    detail = client_as(director).get(c.get_absolute_url()).content.decode()
    assert "data-project-link" in detail


def test_deputies_see_the_project_but_not_its_drafts(client_as, deputy_user, staff_user, project):
    _create(staff_user, project, title="内部草案")
    page = client_as(deputy_user).get(project.get_absolute_url())
    assert page.status_code == 200
    assert page.context["consultations"] == []
    assert "内部草案" not in page.content.decode()


def test_the_project_page_costs_the_same_for_3_and_30_drafts(client_as, staff_user, project):
    client = client_as(staff_user)

    def grow(n):
        for i in range(n):
            c = _create(staff_user, project, title=f"草案{Consultation.objects.count()}")
            if i % 2:
                c = services.consultation_open(actor=staff_user, consultation=c, version=c.version)
                submit(c)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(project.get_absolute_url()).status_code == 200
        return len(ctx)

    grow(3)
    client.get(project.get_absolute_url())
    small = count()
    grow(27)
    assert count() == small


def test_the_api_names_the_project(api_client, staff_user, project):
    c = _create(staff_user, project)
    api = api_client(staff_user)
    assert api.get(f"/api/v1/legislation/consultations/{c.pk}/").json()["project"] == project.pk
    rows = api.get("/api/v1/legislation/consultations/").json()["results"]
    assert [r["project"] for r in rows] == [project.pk]


def test_the_list_names_each_draft_s_project_in_a_fixed_number_of_queries(client_as, staff_user, project):
    client = client_as(staff_user)
    _create(staff_user, project, title="草案甲")

    def count():
        client.get("/legislation/comments/")  # warm the filter form's cached choice lists
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/legislation/comments/")
        assert response.status_code == 200
        return len(ctx), response.content.decode()

    small, html = count()
    assert "data-project" in html and project.title in html
    for i in range(10):
        _create(staff_user, project if i % 2 else None, title=f"草案{i}")
    assert count()[0] == small
