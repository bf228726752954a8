"""Query counts do not grow with rows: the same for 3 and for 30 items (lists, export,
meeting page, stats) or child records (detail page and API detail)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision import choices as c
from supervision import services
from supervision.models import SupervisionItem
from tests import factories as f


def build(n, *, staff_user, unit, other_unit, meeting, agenda_item, deputy):
    kinds = [c.SupervisionType.SPECIAL_REPORT, c.SupervisionType.RESEARCH, c.SupervisionType.LAW_INSPECTION]
    for i in range(n):
        item = services.item_create(
            actor=staff_user, kind=kinds[i % 3], title=f"监督事项{i}", year=2025, target_unit=unit,
            departments=[other_unit], meeting=meeting, members=[staff_user], invited_deputies=[deputy],
            start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 5, 3),
        )
        services.vote_record(actor=staff_user, item=item, voted_on=dt.date(2025, 6, 20), members_total=40, satisfied=30,
                             basically_satisfied=5, dissatisfied=1)
    return SupervisionItem.objects.all()


def build_detail(n, *, staff_user, unit, meeting):
    item = services.item_create(actor=staff_user, kind=c.SupervisionType.AUDIT_RECTIFICATION, title="审计整改",
                                year=2025, target_unit=unit, meeting=meeting, audit_report_date=dt.date(2025, 6, 20))
    for i in range(n):
        services.audit_problem_save(actor=staff_user, item=item, description=f"问题{i}", responsible_unit=unit)
        services.vote_record(actor=staff_user, item=item, voted_on=dt.date(2025, 6, 20), members_total=40, satisfied=30,
                             basically_satisfied=5, dissatisfied=1)
    return item


def count(fn) -> int:
    fn()  # warm the caches that are not per row (content types, filter forms' choice lists)
    with CaptureQueriesContext(connection) as ctx:
        resp = fn()
    assert resp.status_code == 200, getattr(resp, "content", b"")[:500]
    return len(ctx.captured_queries)


@pytest.fixture
def world(db, staff_user, unit, other_unit, meeting, agenda_item, term, frozen):
    deputy = f.DeputyFactory(term=term)
    return {"staff_user": staff_user, "unit": unit, "other_unit": other_unit, "meeting": meeting,
            "agenda_item": agenda_item, "deputy": deputy}


LIST_CASES = [
    ("page list", lambda client, api, m: client.get("/supervision/")),
    ("page list filtered", lambda client, api, m: client.get("/supervision/", {"overdue": "true", "kind": "research"})),
    ("export", lambda client, api, m: client.get("/supervision/", {"format": "xlsx"})),
    ("api list", lambda client, api, m: api.get("/api/v1/supervision/items/")),
    ("api steps", lambda client, api, m: api.get("/api/v1/supervision/steps/")),
    ("api votes", lambda client, api, m: api.get("/api/v1/supervision/votes/")),
    ("meeting page", lambda client, api, m: client.get(reverse("supervision:meeting-agenda", args=[m.pk]))),
    ("meeting api", lambda client, api, m: api.get(f"/api/v1/supervision/meetings/{m.pk}/due/")),
    ("meeting list", lambda client, api, m: client.get(reverse("supervision:meeting-list"), {"year": 2025})),
    ("stats api", lambda client, api, m: api.get("/api/v1/supervision/stats/", {"year": 2025})),
    ("year page", lambda client, api, m: client.get(reverse("supervision:year"), {"year": 2025})),
    ("home", lambda client, api, m: client.get("/")),
]


@pytest.mark.parametrize("name,call", LIST_CASES, ids=[c[0] for c in LIST_CASES])
def test_list_queries_constant(name, call, world, client, api_client, director, unit_clerk):
    for user in (director, unit_clerk):
        client.force_login(user)
        api = api_client(user)
        build(3, **world)
        small = count(lambda api=api: call(client, api, world["meeting"]))
        build(27, **world)
        large = count(lambda api=api: call(client, api, world["meeting"]))
        assert small == large, f"{name} as {user.role}: {small} queries for 3 rows, {large} for 30"
        if name == "api list":
            assert large <= 5, f"{large} queries for the item list API"
        SupervisionItem.objects.all().delete()


@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_detail_queries_constant(api, world, client, api_client, director):
    client.force_login(director)
    small_item = build_detail(3, staff_user=world["staff_user"], unit=world["unit"], meeting=world["meeting"])
    large_item = build_detail(30, staff_user=world["staff_user"], unit=world["unit"], meeting=world["meeting"])

    def get(item):
        if api:
            return api_client(director).get(f"/api/v1/supervision/items/{item.pk}/")
        return client.get(item.get_absolute_url())

    get(small_item)  # warm caches (content types) that are not per row
    assert count(lambda: get(small_item)) == count(lambda: get(large_item))
    if api:
        assert count(lambda: get(large_item)) <= 6  # the item with its key lists, steps, opinions, votes
