"""The OpenAPI schema generates cleanly and the docs pages work offline."""

import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema

from congress.api.schema_view import clear_schema_cache

pytestmark = pytest.mark.django_db


def test_schema_has_no_errors_or_warnings(api_client, staff_user):
    clear_schema_cache()  # generate afresh, so the generator's warnings are seen
    GENERATOR_STATS.reset()
    resp = api_client(staff_user).get("/api/v1/schema/?format=json")
    assert resp.status_code == 200
    schema = resp.json()
    errors = list(GENERATOR_STATS._error_cache)
    warned = list(GENERATOR_STATS._warn_cache)
    GENERATOR_STATS.reset()
    assert not errors, "\n".join(errors)
    # Any app's warning fails here: each names the file to fix (usually a missing
    # type hint, extend_schema or a duplicate serializer name).
    assert not warned, "\n".join(warned)
    validate_schema(schema)
    paths = schema["paths"]
    for path in ("/api/v1/me/", "/api/v1/meetings/", "/api/v1/meetings/{id}/", "/api/v1/notifications/",
                 "/api/v1/notifications/unread-count/", "/api/v1/notifications/mark-read/", "/api/v1/auth/token/"):
        assert path in paths, path
    enums = {name for name in schema["components"]["schemas"] if name.endswith("Enum")}
    assert {"MeetingKindEnum", "AgendaItemKindEnum", "OfficeKindEnum", "RoleEnum"} <= enums
    assert not any(re.search(r"\d{3}Enum$", name) for name in enums), enums  # no collision-resolved names
    security = {next(iter(s)) for s in schema.get("security", [])} | set(schema["components"]["securitySchemes"])
    assert {"cookieAuth", "tokenAuth"} <= security


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_pages_use_only_local_files(client_as, staff_user, path):
    resp = client_as(staff_user).get(path)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert re.findall(r"https?://", html) == [], "the docs must not load anything from another host"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "expected the local script and style files"
    for url in assets:
        assert url.startswith("/static/") or url.startswith("data:"), url
    assert "/api/v1/schema/" in html


def test_docs_assets_are_served(client_as, staff_user):
    html = client_as(staff_user).get("/api/v1/docs/").content.decode()
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        resp = client_as(staff_user).get(url)
        assert resp.status_code == 200, url
