"""Query counts stay the same as plans grow: 3 items and 30 items cost the same
number of queries on every list page, API list, tree, detail and home widget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.navigation import home_widgets
from plans import services
from plans.choices import PeriodKind
from plans.models import ProgressEntry
from tests import factories as f

from .conftest import add_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(plan, office, other_office, vice_director, unit):
    """grow(n): add n leaf items under alternating sections, with relations and progress."""
    state = {"sections": []}

    def make(n):
        for i in range(n):
            if i % 5 == 0 or not state["sections"]:
                state["sections"].append(add_item(plan, f"第{len(state['sections']) + 1}部分"))
            section = state["sections"][-1]
            leaf = add_item(plan, f"事项{section.pk}-{i}", parent=section, office=office if i % 2 else other_office,
                            vice_chair=vice_director, period_kind=PeriodKind.MONTH, month=(i % 12) + 1)
            leaf.cooperating_units.add(unit)
            leaf.cooperating_offices.add(other_office)
            leaf.agenda_items.add(f.AgendaItemFactory())
            ProgressEntry.objects.create(item=leaf, percent=10, text="进展", reported_on="2026-05-03")

    return make


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def assert_constant(grow, fn):
    grow(3)
    fn()  # warm caches (content types, periods) so both runs measure the same work
    small = count(fn)
    grow(27)
    large = count(fn)
    assert small == large, f"{small} queries for 3 items, {large} for 30"
    return large


def test_item_list_page(client_as, staff_user, grow):
    client = client_as(staff_user)

    def fn():
        resp = client.get(reverse("plans:item-list"))
        assert resp.status_code == 200

    assert_constant(grow, fn)


def test_item_list_page_filtered(client_as, planner, grow, office):
    client = client_as(planner)

    def fn():
        resp = client.get(reverse("plans:item-list") + f"?office={office.pk}&q=事项&status=not_started")
        assert resp.status_code == 200
        assert 'id="item-row-' in resp.content.decode()

    assert_constant(grow, fn)


def test_plan_index_page(client_as, staff_user, grow):
    client = client_as(staff_user)
    assert_constant(grow, lambda: client.get(reverse("plans:plan-list")))


def test_plan_tree_page(client_as, staff_user, grow, plan):
    client = client_as(staff_user)
    assert_constant(grow, lambda: client.get(reverse("plans:plan-detail", args=[plan.pk])))


def test_api_item_list(api_client, staff_user, grow):
    api = api_client(staff_user)

    def fn():
        resp = api.get("/api/v1/plans/items/?page_size=100")
        assert resp.status_code == 200
        # The many-to-many keys come with each row (not a prefetch statement per list).
        shown = [r for r in resp.json()["results"] if r["cooperating_units"]]
        assert shown and all(r["cooperating_offices"] and r["agenda_items"] for r in shown)

    assert assert_constant(grow, fn) <= 2  # the capped count and the page


def test_api_plan_list_and_progress_list(api_client, staff_user, grow):
    api = api_client(staff_user)
    assert_constant(grow, lambda: (api.get("/api/v1/plans/plans/"), api.get("/api/v1/plans/progress/?page_size=100")))


def test_api_tree(api_client, staff_user, grow, plan):
    api = api_client(staff_user)

    def fn():
        resp = api.get(f"/api/v1/plans/plans/{plan.pk}/tree/")
        assert resp.status_code == 200

    assert_constant(grow, fn)


def test_item_detail_and_api_detail(client_as, api_client, staff_user, plan, office, grow):
    section = add_item(plan, "条目所在部分")
    target = add_item(plan, "被查看的条目", parent=section, office=office)
    client = client_as(staff_user)
    api = api_client(staff_user)

    def more_on_target(n):
        grow(n)
        for i in range(n):
            ProgressEntry.objects.create(item=target, percent=i, text=f"第{i}次", reported_on="2026-05-03")
            target.agenda_items.add(f.AgendaItemFactory())

    assert_constant(
        more_on_target,
        lambda: (client.get(reverse("plans:item-detail", args=[target.pk])), api.get(f"/api/v1/plans/items/{target.pk}/")),
    )
    assert count(lambda: api.get(f"/api/v1/plans/items/{target.pk}/")) <= 6


def test_export_xlsx(client_as, planner, grow):
    client = client_as(planner)
    assert_constant(grow, lambda: client.get(reverse("plans:item-export-xlsx")))


def test_home_widgets(staff_user, vice_director, director, grow, frozen):
    def fn():
        for user in (staff_user, vice_director, director):
            for w in home_widgets(user):
                list(w.rows)

    assert_constant(grow, fn)


def test_post_progress_inline(client_as, staff_user, plan, office, grow):
    leaf = add_item(plan, "报送进度的条目", parent=add_item(plan, "部分"), office=office)
    client = client_as(staff_user)

    def fn():
        leaf.refresh_from_db()
        resp = client.post(reverse("plans:item-progress", args=[leaf.pk]),
                           {"inline": "1", "percent": "20", "text": "x", "version": leaf.version},
                           HTTP_HX_REQUEST="true")
        assert resp.status_code == 200

    assert_constant(grow, fn)


def test_bulk_assign_queries_grow_per_item_only(planner, plan, office):
    # Bulk assignment writes one history row per item by design; reads stay batched.
    items = [add_item(plan, f"事项{i}") for i in range(3)]
    small = count(lambda: services.item_bulk_assign(actor=planner, items=items, period_kind=PeriodKind.YEAR))
    items = [add_item(plan, f"事项B{i}") for i in range(6)]
    large = count(lambda: services.item_bulk_assign(actor=planner, items=items, period_kind=PeriodKind.YEAR))
    per_item = (large - small) / 3
    assert per_item <= 8
