"""A strict Content-Security-Policy on every kind of response (pages, API, admin, error
pages, the CSRF failure page, the API docs), production error pages and logging."""

import io
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from congress.errors import ClientErrorWithoutTraceback

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, set[str]]:
    header = response["Content-Security-Policy"]
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = set(values)
    return out


def assert_strict(response):
    d = directives(response)
    assert d["default-src"] == {"'self'"}
    for name in ("script-src", "style-src"):
        assert "'self'" in d[name] and not d[name] & {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"}
        assert all(v == "'self'" or v.startswith("'nonce-") for v in d[name])
    assert d["font-src"] == {"'self'"} and d["img-src"] <= {"'self'", "data:"}
    assert d["object-src"] == {"'none'"} and d["frame-ancestors"] == {"'none'"}
    assert d["base-uri"] == {"'self'"} and d["form-action"] == {"'self'"}


def test_pages_api_and_admin_carry_the_policy(client_as, api_client, staff_user, admin_user):
    assert_strict(Client().get("/accounts/login/"))
    resp = client_as(staff_user).get("/")
    assert resp.status_code == 200
    assert_strict(resp)
    resp = api_client(staff_user).get("/api/v1/plans/plans/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/json"
    assert_strict(resp)
    assert_strict(Client().get("/api/v1/plans/plans/"))  # 401
    assert_strict(client_as(admin_user).get("/admin/"))
    assert_strict(Client().get("/admin/login/"))


def test_api_docs_use_a_nonce_for_their_inline_code(client_as, staff_user):
    client = client_as(staff_user)
    for path in ("/api/v1/docs/", "/api/v1/redoc/"):
        resp = client.get(path)
        assert resp.status_code == 200
        assert_strict(resp)
        nonce = next(v for v in directives(resp)["script-src"] if v.startswith("'nonce-"))[7:-1]
        html = resp.content.decode()
        assert f'<script nonce="{nonce}">' in html
        assert "<script>" not in html and "<style>" not in html
        assert "fonts.googleapis.com" not in html


@pytest.mark.urls("tests.congress.urls_test")
def test_error_pages_carry_the_policy(client_as, staff_user, settings):
    settings.DEBUG = False
    client = client_as(staff_user)
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404
    assert_strict(resp)
    assert_strict(client.get("/test/forbidden/"))
    client.raise_request_exception = False
    resp = client.get("/test/boom/")
    assert resp.status_code == 500
    assert_strict(resp)
    resp = client.get("/api/v1/test/boom/")
    assert resp.status_code == 500
    assert_strict(resp)
    csrf = Client(enforce_csrf_checks=True)
    resp = csrf.post("/accounts/login/", {"username": "x", "password": "y"})
    assert resp.status_code == 403 and "页面已过期" in resp.content.decode()
    assert_strict(resp)


def test_with_debug_off_an_unknown_url_is_the_products_404(settings):
    settings.DEBUG = False
    resp = Client().get("/no/such/page/")
    html = resp.content.decode()
    assert resp.status_code == 404
    assert "页面不存在" in html and "返回首页" in html
    assert "URLconf" not in html and "Using the URLconf" not in html


@pytest.fixture
def django_log():
    """What the configured console handler of the "django" logger writes."""
    handler = next(h for h in logging.getLogger("django").handlers
                   if any(isinstance(f, ClientErrorWithoutTraceback) for f in h.filters))
    buf = io.StringIO()
    old = handler.setStream(buf)
    yield buf
    handler.setStream(old)


@pytest.mark.urls("tests.congress.urls_test")
def test_a_refusal_logs_one_line_and_a_crash_one_traceback(client_as, staff_user, django_log):
    client = client_as(staff_user)
    assert client.get("/test/forbidden/").status_code == 403
    lines = [ln for ln in django_log.getvalue().splitlines() if ln.strip()]
    assert lines == ["Forbidden (Permission denied): /test/forbidden/"], django_log.getvalue()
    django_log.seek(0)
    django_log.truncate()
    client.raise_request_exception = False
    assert client.get("/test/boom/").status_code == 500
    err = django_log.getvalue()
    assert err.count("Traceback (most recent call last)") == 1, err
    assert err.count("Internal Server Error: /test/boom/") == 1


INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)"  # an inline script without the response's nonce
    r"|<style(?![^>]*\bnonce=)"  # a style block without it
    r"|\sstyle=[\"']"  # a style attribute
    r"|\son[a-z]+=[\"']"  # an event-handler attribute
    r"|\bhx-on|[\"']js:",  # htmx handlers and evaluated hx-vals
    re.IGNORECASE,
)


def test_templates_carry_no_inline_code():
    """What the policy would block, caught before a browser sees it."""
    found = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if INLINE_CODE.search(line):
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()[:120]}")
    assert not found, "\n".join(found)
