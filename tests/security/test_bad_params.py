"""No query parameter answers 500: out-of-range years, words for numbers, huge ids and
impossible dates are field errors (400 in the API, the filter form's error on pages)."""

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
    {"year": "2026.5"},
    {p: "99999999999999999999" for p in ID_PARAMS},
    {p: "abc" for p in ID_PARAMS},
    {p: "2026-13-45" for p in DATE_PARAMS},
    {"page": "99999999999", "page_size": "99999999999", "ordering": "nonexistent", "status": "nonexistent"},
]


def test_no_server_error_from_any_query_parameter(world):
    routes = [r for r in all_routes() if not r.args and "GET" in r.methods()]
    failures = []
    for username in ["staff"]:
        client = Client(raise_request_exception=False)
        client.force_login(world.users[username])
        for r in routes:
            url = "/" + r.route
            for params in BAD:
                resp = client.get(url, params, HTTP_ACCEPT="application/json" if r.is_api else "text/html")
                if resp.status_code >= 500:
                    failures.append((username, url, params, resp.status_code))
    open("/tmp/scope_failures.txt", "w").write("\n".join(map(str, failures)))
    assert not failures, "\n".join(map(str, failures))
