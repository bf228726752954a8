"""Counts stop at the cap unless the exact figure is asked for; large pages keep the list's order."""

import pytest

from congress import pagination
from congress.models import Office
from congress.pagination import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    return [Office.objects.create(name=f"委室{i:02d}", short_name=f"委{i}") for i in range(12)]


def test_count_stops_at_the_cap_and_exact_on_demand(offices, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    qs = Office.objects.order_by("-name")
    capped = CappedPaginator(qs, 4)
    assert (capped.count, capped.count_is_exact) == (5, False)
    exact = CappedPaginator(qs, 4, exact=True)
    assert (exact.count, exact.count_is_exact, exact.num_pages) == (12, True, 3)


def test_pages_found_by_keys_first_keep_the_order(offices, monkeypatch):
    monkeypatch.setattr(pagination, "IDS_FIRST_FROM", 3)
    qs = Office.objects.order_by("-name")
    page = CappedPaginator(qs, 4).page(2)
    assert [o.name for o in page] == [o.name for o in qs[4:8]]


def test_api_list_says_whether_the_count_is_exact(api_client, staff_user, offices, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    api = api_client(staff_user)
    capped = api.get("/api/v1/offices/?page_size=2").json()
    assert (capped["count"], capped["count_is_exact"]) == (5, False)
    exact = api.get("/api/v1/offices/?page_size=2&count=exact").json()
    assert exact["count_is_exact"] is True and exact["count"] == Office.objects.count()
