"""No query parameter answers 500: out-of-range years, words for numbers, huge ids and
impossible dates are field errors: 400 with the field's error in the API (also walked
by the schemathesis run), the filter form's error next to the field on pages (200)."""

import pytest
from django.test import Client

from tests.security.routes import all_routes

pytestmark = pytest.mark.django_db

ID_PARAMS = ["plan", "item", "meeting", "session", "category", "unit", "office", "lead_office", "vice_chair", "body",
             "delegation", "station", "routed_unit", "term", "project", "responsible_unit", "department", "maker",
             "addressed_unit", "plan_item", "suggestion", "assignment", "deputy"]
DATE_PARAMS = ["date_from", "date_to", "due_before", "due_after", "report_due_before"]
BAD = [
    {"year": "0"},
    {"year": "99999999999"},
    {"year": "-1"},
    {"year": "abc"},
    {p: "99999999999999999999" for p in ID_PARAMS},
    {p: "abc" for p in ID_PARAMS},
    {p: "2026-13-45" for p in DATE_PARAMS},
    {"page": "99999999999", "refresh": "abc", "status": "nonexistent", "period": "q9", "overdue": "maybe"},
]


def test_no_page_answers_500_to_a_bad_query_parameter(world):
    routes = [r for r in all_routes() if not r.args and not r.is_api]
    assert len(routes) > 30
    failures = []
    for username in ["staff", "deputy1", "unit1_clerk"]:
        client = Client(raise_request_exception=False)
        client.force_login(world.users[username])
        for r in routes:
            for params in BAD:
                resp = client.get("/" + r.route, params)
                if resp.status_code >= 500:
                    failures.append((username, r.route, params, resp.status_code))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("year", ["0", "99999999999", "-1", "abc", "2026.5"])
@pytest.mark.parametrize("path", ["/api/v1/plans/items/", "/api/v1/deputies/suggestions/", "/api/v1/supervision/items/",
                                  "/api/v1/meetings/", "/api/v1/deputies/statistics/"])
def test_the_api_answers_400_with_the_year_field_error(world, path, year):
    client = Client()
    client.force_login(world.users["staff"])
    resp = client.get(path, {"year": year}, HTTP_ACCEPT="application/json")
    assert resp.status_code == 400
    assert "year" in resp.json()


def test_a_list_page_shows_the_year_error_next_to_the_field(world):
    client = Client()
    client.force_login(world.users["staff"])
    for path in ["/plans/items/", "/deputies/", "/supervision/"]:
        resp = client.get(path, {"year": "99999999999"})
        assert resp.status_code == 200
        assert "年份应在1949至2100之间。" in resp.content.decode(), path
