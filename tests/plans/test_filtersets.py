"""One FilterSet for the page and the API: the same query string gives the same rows."""

import re

import pytest
from django.urls import reverse

from plans import services
from plans.choices import ItemStatus, ItemType, PeriodKind

from .conftest import add_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(plan, published_plan, office, other_office, vice_director, director, staff_user, planner, frozen):
    a = add_item(plan, "听取财政预算执行报告", office=office, vice_chair=vice_director, period_kind=PeriodKind.MONTH,
                 month=3, item_type=ItemType.SUPERVISION_REPORT)
    b = add_item(plan, "开展食品安全执法检查", office=other_office, vice_chair=director, period_kind=PeriodKind.QUARTER,
                 quarter=2, item_type=ItemType.SUPERVISION_INSPECTION, target="全年检查五次以上")
    c = add_item(published_plan, "代表联络站建设", office=office, vice_chair=vice_director, period_kind=PeriodKind.YEAR,
                 item_type=ItemType.DEPUTIES)
    d = add_item(plan, "审议物业管理条例", office=other_office, vice_chair=director, period_kind=PeriodKind.MONTH,
                 month=5, item_type=ItemType.LEGISLATION)
    b.cooperating_offices.add(office)
    services.item_change_status(actor=planner, item=d, status=ItemStatus.DONE, outcome="已通过", version=d.version)
    return {"a": a, "b": b, "c": c, "d": d}


def page_ids(client, query):
    html = client.get(reverse("plans:item-list") + "?" + query).content.decode()
    return sorted(int(i) for i in re.findall(r'id="item-row-(\d+)"', html))


def api_ids(api, query):
    data = api.get("/api/v1/plans/items/?page_size=500&" + query).json()
    return sorted(i["id"] for i in data["results"])


CASES = [
    ("plan={plan}", {"a", "b", "d"}),
    ("office={office}", {"a", "b", "c"}),  # lead or cooperating office
    ("vice_chair={director}", {"b", "d"}),
    ("type=supervision_inspection", {"b"}),
    ("status=done", {"d"}),
    ("status=not_started&status=done", {"a", "b", "c", "d"}),
    ("period=q2", {"b", "d"}),  # the quarter, and months inside it
    ("period=m3", {"a"}),
    ("period=year", {"c"}),
    ("overdue=true", {"a"}),  # March has passed by 2026-06-17; Q2 runs to June 30; d is done
    ("overdue=false", {"b", "c", "d"}),
    ("q=五次以上", {"b"}),
    ("q=条例&plan={plan}", {"d"}),
    ("office={office}&overdue=true&type=supervision_report", {"a"}),
]


@pytest.mark.parametrize("query,expected", CASES)
def test_page_and_api_give_the_same_rows(client_as, api_client, planner, rows, plan, office, director, query, expected):
    q = query.format(plan=plan.pk, office=office.pk, director=director.pk)
    want = sorted(rows[k].pk for k in expected)
    assert page_ids(client_as(planner), q) == want
    assert api_ids(api_client(planner), q) == want


def test_filters_respect_scope(client_as, api_client, deputy_user, rows, office):
    q = f"office={office.pk}"
    assert page_ids(client_as(deputy_user), q) == [rows["c"].pk]
    assert api_ids(api_client(deputy_user), q) == [rows["c"].pk]


def test_filter_panel_is_rendered_from_the_filterset(client_as, planner, rows):
    html = client_as(planner).get(reverse("plans:item-list")).content.decode()
    for name in ("plan", "office", "vice_chair", "type", "status", "period", "overdue", "q"):
        assert f'name="{name}"' in html, name
