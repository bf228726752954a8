"""Small things a first-time user notices: the icon, the admin's menu, plan titles, slow docs."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from congress.api.schema_view import clear_schema_cache
from plans import services as plan_services
from plans.choices import PlanKind

pytestmark = pytest.mark.django_db


def test_favicon_is_served_and_linked(client, client_as, staff_user):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "image/x-icon"
    assert b"".join(resp.streaming_content)[:4] == b"\x00\x00\x01\x00"
    html = client_as(staff_user).get("/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html


def test_administrator_menu_has_no_deputy_page(client_as, admin_user):
    html = client_as(admin_user).get("/").content.decode()
    assert "我的履职" not in html


def test_default_plan_title_does_not_double_the_year_word(staff_user):
    plan = plan_services.plan_create(actor=staff_user, kind=PlanKind.WORK_POINTS, year=2027)
    assert plan.title == "2027年工作要点"


def test_api_schema_is_generated_once_per_language(client_as, staff_user, monkeypatch):
    clear_schema_cache()
    calls = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    client = client_as(staff_user)
    first = client.get("/api/v1/schema/?format=json")
    second = client.get("/api/v1/schema/?format=json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(calls) == 1
    client.get("/api/v1/schema/?format=json&lang=en")
    assert len(calls) == 2
    clear_schema_cache()
