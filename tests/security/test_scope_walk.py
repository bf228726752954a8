"""Role × endpoint × object: every page route (from the URLconf) and every API operation
(the same URLconf the schema is generated from, JSON and the browsable HTML), walked as
each role and as nobody, against records owned by someone else. Nothing outside a
user's scope may show up anywhere (pages, choice lists, API forms, exports), and no
write aimed at such a record may change a row."""

import io
import time
import zipfile
from collections import defaultdict

import pytest
from django.apps import apps
from django.test import Client

from tests.security.conftest import WALKERS
from tests.security.routes import TOKEN_VALUES, all_routes

pytestmark = pytest.mark.django_db

SNAPSHOT_APPS = ["congress", "plans", "deputies", "supervision", "dashboards", "security", "legislation"]
# Written by signing in, not by the walk.
SNAPSHOT_SKIP_FIELDS = {"last_login"}
WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]
HTML_API_WALKERS = {"admin", "deputy1"}


def slug_values(route) -> dict[str, list[str]]:
    from dashboards.charts import CHARTS
    from dashboards.figures import all_metrics
    from deputies.actions import BILL_ACTIONS, OPINION_ACTIONS, SUGGESTION_ACTIONS
    from supervision.views import ACTIONS

    by_route = {
        "deputies:suggestion-action": list(SUGGESTION_ACTIONS),
        "deputies:bill-action": list(BILL_ACTIONS),
        "deputies:opinion-action": list(OPINION_ACTIONS),
        "supervision:item-action": list(ACTIONS),
        "dashboards:records": [m.key for m in all_metrics()],
        "dashboards-api:chart": list(CHARTS),
        "congress:calendar-feed": ["not-a-token"],
        **TOKEN_VALUES,
    }
    if route.name not in by_route:
        return {}
    slug = next(a for a in route.args if a not in ("pk", "meeting_id", "att_id", "project_id"))
    return {slug: by_route[route.name]}


def targets(route, secrets_by_model):
    """(url, secret or None) pairs: the route filled with each record of someone else."""
    path = "/" + route.route
    int_args = [a for a in route.args if a in ("pk", "meeting_id", "att_id", "project_id")]
    slugs = slug_values(route)
    unknown = [a for a in route.args if a not in int_args and a not in slugs]
    assert not unknown, f"{route.name}: no value for {unknown}; teach the walk this route"
    objects = [(None, None)]
    if int_args:
        label = route.model_label()
        assert label, f"{route.name}: which model does {int_args[0]} name? add it to routes.PAGE_MODELS"
        model = apps.get_model(label)
        secrets = secrets_by_model.get(label, [])
        objects = [(s.obj.pk, s) for s in secrets] or [(model._default_manager.order_by("pk").values_list(
            "pk", flat=True).first() or 1, None)]
    fills = [{}]
    for name, values in slugs.items():
        fills = [dict(f, **{name: v}) for f in fills for v in values]
    out = []
    for pk, secret in objects:
        for fill in fills:
            url = path
            for i, arg in enumerate(int_args):
                url = url.replace(f"<int:{arg}>", str(pk if i == 0 else 1))
                url = url.replace(f"(?P<{arg}>[^/.]+)", str(pk if i == 0 else 1))
            for arg, value in fill.items():
                for conv in ("slug", "str"):
                    url = url.replace(f"<{conv}:{arg}>", value)
                url = url.replace(f"(?P<{arg}>[^/.]+)", value)
            url = url.replace("^", "").replace("$", "").replace("\\.", ".")
            out.append((url, secret))
    return out


def body_text(resp) -> str:
    content = b"".join(resp.streaming_content) if resp.streaming else resp.content
    parts = [str(resp.headers)]
    if content[:2] == b"PK":  # xlsx / docx exports are zip files
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            parts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
    else:
        parts.append(content.decode("utf-8", "replace"))
    return "\n".join(parts)


def snapshot() -> dict:
    rows = {}
    for app in SNAPSHOT_APPS:
        for model in apps.get_app_config(app).get_models():
            names = [f.attname for f in model._meta.concrete_fields if f.name not in SNAPSHOT_SKIP_FIELDS]
            rows[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*names))
    return rows


def test_no_record_leaks_and_no_foreign_write(world):
    started = time.monotonic()
    secrets_by_model = defaultdict(list)
    for s in world.secrets:
        secrets_by_model[s.obj._meta.label].append(s)
    clients = {}
    for who in WALKERS:
        clients[who] = Client(raise_request_exception=False)
        if who:
            clients[who].force_login(world.users[who])

    def forbidden(who):
        return [s.marker for s in world.secrets if who not in s.allowed]

    leaks, errors, writes = [], [], []
    plan = [(r, url, secret) for r in all_routes() for url, secret in targets(r, secrets_by_model)]
    requests = 0

    def check(who, method, url, resp):
        if resp.status_code >= 500:
            errors.append((who, method, url, resp.status_code))
            return
        text = body_text(resp)
        for marker in forbidden(who):
            if marker in text:
                leaks.append((who, method, url, marker))

    # Reads: every route, every role; the API in JSON and as the browsable HTML (forms with
    # their dropdowns) for the administrator, who gets it, and for a deputy, who must not.
    for r, url, _secret in plan:
        if "GET" not in r.methods():
            continue
        for who in WALKERS:
            accepts = ["text/html"]
            if r.is_api:
                accepts = ["application/json", "text/html"] if who in HTML_API_WALKERS else ["application/json"]
            for accept in accepts:
                check(who, "GET " + accept, url, clients[who].get(url, HTTP_ACCEPT=accept))
                requests += 1

    # Writes aimed at someone else's record, by everyone who may not see it.
    before = snapshot()
    for r, url, secret in plan:
        if secret is None:
            continue
        for method in [m for m in WRITE_METHODS if m in r.methods()]:
            for who in WALKERS:
                if who in secret.allowed:
                    continue
                resp = clients[who].generic(method, url, data=b"{}", content_type="application/json",
                                            HTTP_ACCEPT="application/json")
                requests += 1
                check(who, method, url, resp)
    after = snapshot()
    for label in before:
        if before[label] != after[label]:
            changed = set(after[label]) ^ set(before[label])
            writes.append((label, sorted(map(str, changed))[:3]))

    elapsed = time.monotonic() - started
    print(f"\nscope walk: {len({r.name for r, _, _ in plan})} routes, {len(plan)} route×object targets, "
          f"{len(WALKERS)} roles, {requests} requests, {elapsed:.0f}s")
    assert not leaks, "records shown outside their scope:\n" + "\n".join(map(str, leaks[:50]))
    assert not writes, "rows changed by a refused write:\n" + "\n".join(map(str, writes))
    assert not errors, "server errors:\n" + "\n".join(map(str, errors[:50]))
