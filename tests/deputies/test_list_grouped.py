"""An unfiltered office list read session by session gives the very page of the full sort."""

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from congress import pagination
from congress.pagination import CappedPaginator, grouped_keys, walks_groups
from deputies.choices import SuggestionStatus as S
from deputies.exports import suggestion_list_base
from deputies.models import Suggestion
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_sessions(world, term):
    # Sessions created out of date order, serials out of creation order, a draft left out.
    older = f.CongressSessionFactory(term=term, number=3, start_date=world.session.start_date - dt.timedelta(days=730))
    old = f.CongressSessionFactory(term=term, number=4, start_date=world.session.start_date - dt.timedelta(days=365))
    for session, n in ((old, 5), (world.session, 6), (older, 4)):
        for _ in range(n):
            world.suggestion(S.UNDER_REVIEW, session=session)
    world.suggestion(S.DRAFT)
    Suggestion.objects.filter(serial=9003).update(serial=9999)
    return older, old


def _plain(qs, bottom, top):
    return list(qs.values_list("pk", flat=True)[bottom:top])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the grouped read is PostgreSQL's")
def test_every_page_read_by_session_equals_the_full_sort(three_sessions, users, monkeypatch):
    qs = suggestion_list_base(users["office"])
    assert qs.count() == 15
    for bottom, top in ((0, 4), (4, 8), (8, 12), (12, 16), (3, 11), (0, 15)):
        assert grouped_keys(qs, bottom, top) == _plain(qs, bottom, top), (bottom, top)
    # Through the paginator: one statement finds the page's keys whatever the sessions.
    monkeypatch.setattr(pagination, "IDS_FIRST_FROM", 3)
    with CaptureQueriesContext(connection) as ctx:
        page = CappedPaginator(qs, 4, grouped=True).page(2)
        rows = [s.pk for s in page]
    assert rows == _plain(qs, 4, 8)
    assert sum("ARRAY(" in q["sql"] for q in ctx.captured_queries) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the grouped read is PostgreSQL's")
def test_sessions_on_the_same_day_fall_back_to_the_full_sort(three_sessions, users, world):
    older, old = three_sessions
    old.start_date = world.session.start_date
    old.save()
    qs = suggestion_list_base(users["office"])
    assert grouped_keys(qs, 0, 8) is None
    assert grouped_keys(qs.order_by("-received_on", "-id"), 0, 8) is None  # not ordered by a session field
    assert grouped_keys(qs, 0, pagination.GROUPED_UP_TO + 1) is None  # a deep page


def test_only_unfiltered_lists_of_internal_users_are_read_by_session(users):
    assert walks_groups(users["office"], {"page": "3", "page_size": "20", "count": "exact"})
    assert not walks_groups(users["office"], {"year": "2025"})
    assert not walks_groups(users["staff"], {"ordering": "serial"})
    assert not walks_groups(users["lead"], {})
    assert not walks_groups(users["unit_clerk"], {})
    # The filter form sent with every field empty filters nothing; one value is a filter.
    assert walks_groups(users["office"], QueryDict("q=&status=&year=&page=2"))
    assert not walks_groups(users["office"], QueryDict("q=&status=closed"))


def test_list_page_and_api_show_the_same_rows_whatever_the_path(three_sessions, users, client, api_client,
                                                                monkeypatch):
    monkeypatch.setattr(pagination, "IDS_FIRST_FROM", 3)
    expected = [s.pk for s in suggestion_list_base(users["office"])]
    client.force_login(users["office"])
    page = client.get("/deputies/")
    assert [s.pk for s, _colour in page.context["rows"]] == expected
    api = api_client(users["office"]).get("/api/v1/deputies/suggestions/?page_size=4&page=2").json()
    assert [r["id"] for r in api["results"]] == expected[4:8]
