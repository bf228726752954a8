"""Lists are ordered by the congress session's opening date and filtered by year from copies
on the suggestion's own row, so one index serves the filter and the order together."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import QueryDict

from congress.models import AuditEntry
from congress.workdays import today
from deputies import services as svc
from deputies.choices import SuggestionStatus as S
from deputies.exports import suggestion_list_base
from deputies.filtersets import SuggestionFilterSet
from deputies.models import Suggestion
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_copies_are_kept_on_create_submit_and_bulk_create(world, users):
    s = svc.suggestion_create(actor=users["lead"], title="关于增设公交线路的建议", situation="线路少。",
                              proposal="增设线路。")
    s.refresh_from_db()
    assert (s.session_start, s.received_year) == (world.session.start_date, None)

    svc.suggestion_submit(actor=users["lead"], suggestion=s)
    s.refresh_from_db()
    assert s.received_year == today().year
    # History records what the deputy did, not the copies it implies.
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Suggestion), object_id=s.pk)
    changed = {name for e in entries for name in e.changes}
    assert "received_on" in changed and not changed & {"session_start", "received_year"}

    made = Suggestion.objects.bulk_create([
        Suggestion(term=world.term, session=world.session, title="批量", situation="事由", proposal="建议",
                   lead_deputy=world.deputy("lead"), status=S.SUBMITTED, received_on=dt.date(2024, 12, 31)),
    ])
    row = Suggestion.objects.values("session_start", "received_year").get(pk=made[0].pk)
    assert row == {"session_start": world.session.start_date, "received_year": 2024}


def test_a_session_moved_in_time_moves_its_items_in_the_list(world, users, api_client):
    older = f.CongressSessionFactory(term=world.term, number=4,
                                     start_date=world.session.start_date - dt.timedelta(days=365))
    old_item = world.suggestion(S.UNDER_REVIEW, session=older)
    new_item = world.suggestion(S.UNDER_REVIEW)
    api = api_client(users["office"])

    def order():
        return [r["id"] for r in api.get("/api/v1/deputies/suggestions/").json()["results"]]

    assert order() == [new_item.pk, old_item.pk]
    older.start_date = world.session.start_date + dt.timedelta(days=1)
    older.save()
    assert Suggestion.objects.get(pk=old_item.pk).session_start == older.start_date
    assert order() == [old_item.pk, new_item.pk]


def test_the_year_filter_reads_the_year_received(world, users, api_client):
    late, early = world.suggestion(S.UNDER_REVIEW), world.suggestion(S.UNDER_REVIEW)
    for s, on in ((late, dt.date(2024, 12, 31)), (early, dt.date(2025, 1, 1))):
        s.received_on = on
        s.save()
    api = api_client(users["office"])
    found = api.get("/api/v1/deputies/suggestions/?year=2025").json()["results"]
    assert [r["id"] for r in found] == [early.pk]
    bad = api.get("/api/v1/deputies/suggestions/?year=1800")
    assert bad.status_code == 400 and "year" in bad.json()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index plans are PostgreSQL's")
@pytest.mark.parametrize(("params", "index"), [
    ("", "suggestion_order_idx"),
    ("status=closed&year=2025", "suggestion_status_year_idx"),
])
def test_an_index_gives_the_office_list_page_in_order(world, users, params, index):
    for _ in range(3):
        world.suggestion(S.CLOSED)
    qs = SuggestionFilterSet(QueryDict(params), queryset=suggestion_list_base(users["office"])).qs
    with connection.cursor() as cur:
        # Tiny test tables favour a scan and a sort: forbid both to see whether an index can do it.
        cur.execute("SET enable_seqscan = off")
        cur.execute("SET enable_sort = off")
        try:
            plan = qs.values_list("pk", flat=True)[:20].explain()
        finally:
            cur.execute("RESET enable_seqscan")
            cur.execute("RESET enable_sort")
    assert index in plan, plan
    assert "Sort" not in plan, plan


def test_the_api_list_shows_each_items_active_units_from_its_own_row(world, users, api_client):
    from django.test.utils import CaptureQueriesContext

    from deputies.choices import AssignmentRole, AssignmentStatus

    shared = world.suggestion(S.IN_PROGRESS, unit=world.unit)
    world.assign(shared, world.other_unit, role=AssignmentRole.CO, status=AssignmentStatus.SIGNED)
    returned = world.suggestion(S.ASSIGNED, unit=world.unit)
    returned.assignments.update(status=AssignmentStatus.RETURNED)
    api = api_client(users["office"])
    with CaptureQueriesContext(connection) as ctx:
        rows = {r["id"]: r["units"] for r in api.get("/api/v1/deputies/suggestions/").json()["results"]}
    assert rows[shared.pk] == [
        {"unit": world.other_unit.pk, "name": world.other_unit.name, "role": "co"},
        {"unit": world.unit.pk, "name": world.unit.name, "role": "lead"},
    ]
    assert rows[returned.pk] == []
    # No statement of its own for the assignments: they come with the rows.
    assert not any(q["sql"].startswith('SELECT "deputies_assignment"') for q in ctx.captured_queries)
