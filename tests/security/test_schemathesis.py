"""Property-based requests against the OpenAPI schema, in process through the WSGI app,
as each role and as nobody: no 5xx, and every documented response matches its schema.
Bounded (few examples per operation, fixed seed) so it fits the suite."""

import datetime as dt
import time

import pytest
from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed, settings

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

pytestmark = pytest.mark.django_db

ROLES = ["staff", "assign", "director", "deputy1", "unit1_clerk", None]
EXAMPLES = 3
# Writes run after every read, on this module's own world (rolled back afterwards), by
# a few roles; DELETE is left out so that later operations still find their records.
WRITE_ROLES = ["staff", "deputy1", "unit1_clerk"]
WRITE_METHODS = {"POST", "PUT", "PATCH"}
WRITE_EXAMPLES = 2
# The token endpoint answers for any account: fuzzing it only fills the lockout log.
SKIP_PATHS = {"/api/v1/auth/token/"}


def _token(user) -> str:
    """An API token of the kind the token endpoint hands out (expiring)."""
    from congress.security.models import ApiToken

    return ApiToken.objects.create(user=user, expires_at=timezone.now() + dt.timedelta(days=1)).key


def _exercise(op, role, headers, failures, examples) -> int:
    """Run the operation's generated cases; returns how many requests were made."""
    calls = 0

    @seed(20261202)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=op.as_strategy())
    def run(case):
        nonlocal calls
        calls += 1
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        except (Exception, BaseExceptionGroup) as exc:  # collected: one report for the whole run
            failures.append(f"{role or 'anonymous'} {op.method.upper()} {case.formatted_path} {case.query}: "
                            f"{str(exc).splitlines()[:16]}")

    run()
    return calls


@pytest.fixture
def app():
    # Requests run inside the module's transaction: keep the connection open between them
    # as Django's own test client does.
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_finished.connect(close_old_connections)


def test_api_answers_every_role_without_server_errors_and_within_its_schema(world, app):
    started = time.monotonic()
    staff_token = _token(world.users["staff"])
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", app, headers={"Authorization": f"Token {staff_token}"}
    )
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if op.path not in SKIP_PATHS]
    reads = [op for op in operations if op.method.upper() == "GET"]
    writes = [op for op in operations if op.method.upper() in WRITE_METHODS]
    failures, calls = [], 0
    for ops, roles, examples in [(reads, ROLES, EXAMPLES), (writes, WRITE_ROLES, WRITE_EXAMPLES)]:
        for role in roles:
            headers = {}
            if role:
                headers["Authorization"] = "Token " + _token(world.users[role])
            for op in ops:
                calls += _exercise(op, role, headers, failures, examples)
    elapsed = time.monotonic() - started
    print(f"\nschemathesis: {len(reads)} reads × {len(ROLES)} roles, {len(writes)} writes × {len(WRITE_ROLES)} roles, "
          f"{calls} requests, {elapsed:.0f}s")
    assert not failures, "\n".join(failures[:40])
