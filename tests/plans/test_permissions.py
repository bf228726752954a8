"""Who sees and who changes plans: staff of the lead office update their items, staff
of another office cannot; the committee reads every plan; deputies and handling units
read published plans only (404 otherwise); leaders read all."""

import pytest
from django.urls import reverse

from plans.models import PlanItem, ProgressEntry

from .conftest import add_item

pytestmark = pytest.mark.django_db
BASE = "/api/v1/plans"


@pytest.fixture
def published_item(published_plan, office):
    return add_item(published_plan, "听取审议环境状况报告", office=office)


# ---------------------------------------------------------------------------
# Updating


def test_other_office_staff_cannot_update_item_pages(client_as, other_staff_user, item):
    client = client_as(other_staff_user)
    # Internal staff may read it...
    assert client.get(reverse("plans:item-detail", args=[item.pk])).status_code == 200
    html = client.get(reverse("plans:item-detail", args=[item.pk])).content.decode()
    assert "data-progress-form" not in html and "data-status-form" not in html
    # ...but not change it.
    resp = client.post(reverse("plans:item-progress", args=[item.pk]), {"percent": "10", "text": "x", "version": "1"})
    assert resp.status_code == 403
    assert client.get(reverse("plans:item-edit", args=[item.pk])).status_code == 403
    resp = client.post(reverse("plans:item-status", args=[item.pk]), {"status": "done", "outcome": "x", "version": "1"})
    assert resp.status_code == 403
    assert not ProgressEntry.objects.exists()


def test_other_office_staff_cannot_update_via_api(api_client, other_staff_user, item):
    api = api_client(other_staff_user)
    assert api.get(f"{BASE}/items/{item.pk}/").status_code == 200
    resp = api.patch(f"{BASE}/items/{item.pk}/", {"deliverable": "x", "version": item.version}, format="json")
    assert resp.status_code == 403
    resp = api.post(f"{BASE}/items/{item.pk}/status/", {"status": "done", "outcome": "x", "version": item.version},
                    format="json")
    assert resp.status_code == 403
    item.refresh_from_db()
    assert item.deliverable == "" and item.version == 1


def test_lead_office_staff_update(client_as, staff_user, item):
    resp = client_as(staff_user).post(reverse("plans:item-progress", args=[item.pk]),
                                      {"percent": "10", "text": "启动", "version": item.version})
    assert resp.status_code == 302
    assert ProgressEntry.objects.filter(item=item, author=staff_user).exists()


def test_leaders_read_all_and_do_not_report_progress(client_as, director, item):
    client = client_as(director)
    assert client.get(reverse("plans:plan-detail", args=[item.plan_id])).status_code == 200
    html = client.get(reverse("plans:item-detail", args=[item.pk])).content.decode()
    assert "data-progress-form" not in html
    assert "data-status-form" in html  # the 主任会议 adjusts plans


# ---------------------------------------------------------------------------
# Reading: unpublished plans are internal


@pytest.mark.parametrize("role", ["deputy_user", "unit_clerk"])
def test_outsiders_get_404_for_internal_plans(request, role, client_as, api_client, item):
    user = request.getfixturevalue(role)
    client = client_as(user)
    assert client.get(reverse("plans:plan-detail", args=[item.plan_id])).status_code == 404
    assert client.get(reverse("plans:item-detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("plans:plan-export-docx", args=[item.plan_id])).status_code == 404
    html = client.get(reverse("plans:item-list")).content.decode()
    assert item.title not in html
    api = api_client(user)
    assert api.get(f"{BASE}/plans/{item.plan_id}/").status_code == 404
    assert api.get(f"{BASE}/plans/{item.plan_id}/tree/").status_code == 404
    assert api.get(f"{BASE}/items/{item.pk}/").status_code == 404
    assert api.get(f"{BASE}/items/").json()["count"] == 0
    assert api.get(f"{BASE}/progress/").json()["count"] == 0


@pytest.mark.parametrize("role", ["deputy_user", "unit_clerk"])
def test_outsiders_read_published_plans_but_cannot_write(request, role, client_as, api_client, published_item, item):
    user = request.getfixturevalue(role)
    client = client_as(user)
    assert client.get(reverse("plans:plan-detail", args=[published_item.plan_id])).status_code == 200
    html = client.get(reverse("plans:item-list")).content.decode()
    assert published_item.title in html and item.title not in html
    api = api_client(user)
    assert [i["id"] for i in api.get(f"{BASE}/items/").json()["results"]] == [published_item.pk]
    resp = api.post(f"{BASE}/items/{published_item.pk}/progress/", {"percent": 1, "text": "x", "version": 1},
                    format="json")
    assert resp.status_code == 403
    resp = api.post(f"{BASE}/plans/", {"kind": "supervision", "year": 2026}, format="json")
    assert resp.status_code == 403
    assert client.get(reverse("plans:plan-create")).status_code == 403


def test_staff_of_any_office_read_internal_plans(api_client, other_staff_user, assigning_clerk, item):
    for user in (other_staff_user, assigning_clerk):
        assert api_client(user).get(f"{BASE}/items/{item.pk}/").status_code == 200


def test_anonymous_is_sent_to_login(client, api_client, item):
    assert client.get(reverse("plans:item-list")).status_code == 302
    assert api_client().get(f"{BASE}/items/").status_code in (401, 403)


def test_internal_editor_links_council_agenda_items(api_client, planner, plan):
    # Agenda ids are checked against the editor's scope; council meetings are internal but the editor is too.
    from congress.models import Meeting
    from tests import factories as f

    council = f.MeetingFactory(kind=Meeting.Kind.CHAIRPERSONS, number=120)
    agenda = f.AgendaItemFactory(meeting=council)
    item = add_item(plan, "事项")
    resp = api_client(planner).patch(f"{BASE}/items/{item.pk}/", {"agenda_items": [agenda.pk], "version": 1},
                                     format="json")
    assert resp.status_code == 200  # internal users see council agendas
    assert list(PlanItem.objects.get(pk=item.pk).agenda_items.all()) == [agenda]
