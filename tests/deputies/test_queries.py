"""Query counts stay the same when the rows grow from 3 to 30, for every list page, API
list, detail, dashboard and the home page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.workdays import today
from deputies import services as svc
from deputies.choices import AssignmentRole, AssignmentStatus
from deputies.choices import SuggestionStatus as S
from deputies.models import CoSignature, FollowUp, Suggestion
from tests import factories as f

# The first three already give every role rows to see (an empty list skips its prefetches).
STATES = [S.IN_PROGRESS, S.REPLIED, S.ASSIGNED, S.SUBMITTED, S.ACCEPTED, S.CLOSED]


def _grow(world, n):
    """Add n items in varied states, units, co-handlers, co-signers, activities, follow-ups."""
    for i in range(n):
        state = STATES[i % len(STATES)]
        s = world.suggestion(state, title=f"关于第{i}项民生事项的建议", unit=world.other_unit if i % 3 == 2 else world.unit,
                             lead="lead" if i % 2 == 0 else "other_deputy")
        CoSignature.objects.create(suggestion=s, deputy=f.DeputyFactory(term=world.term), status="confirmed")
        if state in (S.IN_PROGRESS,):
            world.assign(s, world.other_unit, role=AssignmentRole.CO,
                         status=AssignmentStatus.SIGNED)
        if state == S.REPLIED:
            FollowUp.objects.create(suggestion=s, assignment=s.assignments.first(), text="承诺", due_date=today(),
                                    year=today().year)
        svc.activity_create(actor=world.users["lead"], kind="reception", title=f"接待日{i}", date=today(),
                            people_received=i)
        svc.opinion_register(actor=world.users["lead"], content=f"意见{i}", received_on=today())


def _count(fn):
    fn()  # warm the per-process caches (content types, periods) so only the page's own queries count
    with CaptureQueriesContext(connection) as ctx:
        resp = fn()
    assert resp.status_code == 200, getattr(resp, "content", b"")[:300]
    return len(ctx.captured_queries)


PAGES = {
    "lead": ["deputies:suggestion-list", "deputies:my-page", "deputies:activity-list", "deputies:opinion-list",
             "deputies:bill-list", "home"],
    "office": ["deputies:suggestion-list", "deputies:statistics", "deputies:overdue", "deputies:followup-list",
               "deputies:bulk-assign", "deputies:activity-list", "deputies:opinion-list", "home"],
    "director": ["deputies:statistics", "deputies:overdue", "home"],
    "unit_clerk": ["deputies:suggestion-list", "deputies:overdue", "deputies:followup-list", "home"],
}
API_LISTS = ["suggestions", "assignments", "replies", "follow-ups", "activities", "citizen-opinions", "cosignatures",
             "bills", "public"]


@pytest.mark.parametrize("role", list(PAGES))
def test_pages_have_constant_query_counts(world, users, client, role):
    client.force_login(users[role])
    _grow(world, 3)
    small = {name: _count(lambda name=name: client.get(reverse(name))) for name in PAGES[role]}
    _grow(world, 27)
    large = {name: _count(lambda name=name: client.get(reverse(name))) for name in PAGES[role]}
    assert small == large


@pytest.mark.parametrize("role", ["lead", "office", "unit_clerk"])
def test_api_lists_have_constant_query_counts(world, users, api_client, role):
    api = api_client(users[role])
    _grow(world, 3)
    small = {name: _count(lambda name=name: api.get(f"/api/v1/deputies/{name}/")) for name in API_LISTS}
    _grow(world, 27)
    large = {name: _count(lambda name=name: api.get(f"/api/v1/deputies/{name}/")) for name in API_LISTS}
    assert small == large
    assert large["suggestions"] <= 5  # count, page, its units (whatever the page size)
    stats = [_count(lambda by=by: api.get(f"/api/v1/deputies/statistics/?by={by}")) for by in ("unit", "category")]
    assert stats[0] == stats[1]


def test_public_page_constant(world, client):
    _grow(world, 3)
    small = _count(lambda: client.get(reverse("deputies:public-list")))
    _grow(world, 27)
    assert _count(lambda: client.get(reverse("deputies:public-list"))) == small


@pytest.mark.parametrize("role", ["office", "lead", "unit_clerk"])
def test_detail_constant_as_related_rows_grow(world, users, client, api_client, role):
    s = world.suggestion(S.REPLIED)
    world.assign(s, world.other_unit, role=AssignmentRole.CO, status=AssignmentStatus.OPINION_SUBMITTED)

    def add(n):
        for _i in range(n):
            CoSignature.objects.create(suggestion=s, deputy=f.DeputyFactory(term=world.term), status="confirmed")
            svc._note(s, users["office"], "备注")
            FollowUp.objects.create(suggestion=s, assignment=s.assignments.first(), text="承诺", due_date=today(),
                                    year=today().year)

    client.force_login(users[role])
    api = api_client(users[role])
    url = reverse("deputies:suggestion-detail", args=[s.pk])
    add(3)
    small = (_count(lambda: client.get(url)), _count(lambda: api.get(f"/api/v1/deputies/suggestions/{s.pk}/")))
    add(27)
    large = (_count(lambda: client.get(url)), _count(lambda: api.get(f"/api/v1/deputies/suggestions/{s.pk}/")))
    assert small == large
    # The item with its short lists in one statement, then assignments, replies, their letters.
    assert large[1] <= 6


def test_review_page_with_similarity_is_constant(world, users, client):
    s = world.suggestion(S.UNDER_REVIEW, title="关于城区学校大班额的建议")
    client.force_login(users["office"])
    url = reverse("deputies:suggestion-detail", args=[s.pk])
    _grow(world, 3)
    small = _count(lambda: client.get(url))
    _grow(world, 27)
    assert _count(lambda: client.get(url)) == small
    assert Suggestion.objects.count() > 30
