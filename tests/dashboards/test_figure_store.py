"""Stored year figures: the dashboard reads them instead of counting the year's records
on every request, and a figure is never wrong, only sometimes computed again.

In these tests every test runs inside one transaction that never commits, so `commit()`
runs what a commit would run (the generation bump) for the writes made so far."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from congress.history import record_change
from congress.workdays import today
from dashboards import figure_store
from dashboards.figures import all_metrics, collect, collect_dated, compute_metrics
from dashboards.models import YearFigures
from dashboards.tasks import refresh_year_figures

from . import builders as b
from .helpers import listed_count
from .test_queries import populate

pytestmark = pytest.mark.django_db

URL = "/api/v1/dashboard/year/?year=2025"


def commit():
    """What the commit of the test's transaction would run: the bumps of its writes."""
    for _sids, callback, _robust in list(connection.run_on_commit):
        if isinstance(callback, figure_store._Bump) and not callback.done:
            callback()


def values(figs):
    return {f.key: (f.value, f.numerator, f.denominator, f.previous) for f in figs}


def live(user, year=2025):
    """The figures counted now from the records, bypassing what is stored."""
    metrics = all_metrics()
    computed = compute_metrics(metrics, user, [year - 1, year])
    return {key: (fig.value, fig.numerator, fig.denominator, computed[(key, year - 1)].value)
            for (key, y), fig in computed.items() if y == year}


def aggregate_statements(ctx) -> int:
    return sum("COUNT(" in q["sql"].upper() or "SUM(" in q["sql"].upper() for q in ctx.captured_queries)


@pytest.fixture
def data(office, unit, staff_user, deputy_user):
    populate(3, office=office, unit=unit, staff=staff_user, deputy_user=deputy_user)
    # Last year too, for the comparison column.
    sess = b.session(2024)
    b.suggestion(sess=sess, status="closed", replied_on=dt.date(2024, 5, 1), on_time=True)
    b.sv_item(kind="research", year=2024, office=office)
    commit()


def test_stored_figures_equal_the_live_computation(director, data):
    first = collect(2025, director)
    assert set(YearFigures.objects.values_list("year", flat=True)) == {2024, 2025}
    with CaptureQueriesContext(connection) as ctx:
        second, computed_at = collect_dated(2025, director)
    assert aggregate_statements(ctx) == 0, "served from the stored figures"
    assert values(second) == values(first)
    assert {k: v for k, v in values(second).items() if k in live(director)} == live(director)
    assert computed_at == YearFigures.objects.get(year=2024).computed_at


def test_every_internal_user_reads_the_same_figures(director, staff_user, secretary_general, data):
    stored = values(collect(2025, director))
    assert values(collect(2025, staff_user)) == stored
    assert values(collect(2025, secretary_general)) == stored
    assert {k: v for k, v in stored.items() if k in live(staff_user)} == live(staff_user)


def test_stored_figures_are_never_served_to_other_scopes(director, deputy_user, data):
    collect(2025, director)
    row = YearFigures.objects.get(year=2025)
    row.values["suggestions"] = [999, None]
    row.save()
    assert {f.key: f.value for f in collect(2025, director)}["suggestions"] == 999  # the stored row is what is read
    mine = {f.key: f.value for f in collect(2025, deputy_user)}
    assert mine.get("suggestions") != 999


def test_a_closed_suggestion_shows_in_the_next_read(director, data):
    before = {f.key: f for f in collect(2025, director)}
    sug = b.suggestion(sess=b.session(2025), status="replied", replied_on=dt.date(2025, 4, 1), on_time=True)
    # Before the commit the writing transaction itself sees its own write.
    assert {f.key: f.value for f in collect(2025, director)}["suggestions"] == before["suggestions"].value + 1
    commit()
    sug.status = "closed"
    sug.closed_on = dt.date(2025, 5, 1)
    sug.save()
    commit()
    after = {f.key: f for f in collect(2025, director)}
    assert after["suggestions"].value == before["suggestions"].value + 1
    assert after["suggestion_closed_rate"].numerator == before["suggestion_closed_rate"].numerator + 1
    assert {k: v for k, v in values(after.values()).items() if k in live(director)} == live(director)


def test_a_completed_plan_item_shows_in_the_next_read(director, office, data):
    before = {f.key: f for f in collect(2025, director)}
    from plans.models import PlanItem

    item = PlanItem.objects.filter(plan__year=2025).exclude(status="done").first()
    item.status = "done"
    item.save()
    commit()
    after = {f.key: f for f in collect(2025, director)}
    assert after["plan_items_done"].value == before["plan_items_done"].value + 1
    assert after["plan_completion_rate"].numerator == before["plan_completion_rate"].numerator + 1


def test_an_added_supervision_item_shows_in_the_next_read(director, office, data):
    before = {f.key: f.value for f in collect(2025, director)}
    b.sv_item(kind="law_inspection", year=2025, status="in_progress", office=office)
    commit()
    after = {f.key: f.value for f in collect(2025, director)}
    assert after["supervision_items"] == before["supervision_items"] + 1
    assert after["law_inspections"] == before["law_inspections"] + 1


def test_a_bulk_update_recorded_in_the_history_shows_in_the_next_read(director, office, data):
    """Services change some rows with update() (no signal) and record the change in the
    history in the same transaction: the history entry makes the figures stale."""
    from supervision.models import SupervisionItem

    before = {f.key: f.value for f in collect(2025, director)}
    item = SupervisionItem.objects.filter(year=2025, kind="research").first()
    SupervisionItem.objects.filter(pk=item.pk).update(status="cancelled")
    record_change(obj=item, actor=director, changes={"status": ["heard", "cancelled"]})
    commit()
    after = {f.key: f.value for f in collect(2025, director)}
    assert after["research"] == before["research"] - 1


def test_a_write_to_last_year_changes_the_comparison(director, data):
    before = {f.key: f for f in collect(2025, director)}
    b.suggestion(sess=b.session(2024), status="in_progress")
    commit()
    after = {f.key: f for f in collect(2025, director)}
    assert after["suggestions"].previous == before["suggestions"].previous + 1
    assert after["suggestions"].value == before["suggestions"].value


def test_writes_outside_the_figures_leave_them_current(director, data):
    collect(2025, director)
    generation = figure_store.current_generation()
    from congress.models import Notification

    Notification.objects.create(recipient=director, title="x", body="y")
    commit()
    assert figure_store.current_generation() == generation


def test_figures_computed_yesterday_are_computed_again(director, data):
    collect(2025, director)
    YearFigures.objects.update(computed_on=today() - dt.timedelta(days=1))
    YearFigures.objects.filter(year=2025).update(values={"suggestions": [999, None]})
    figs = {f.key: f.value for f in collect(2025, director)}
    assert figs["suggestions"] != 999
    assert YearFigures.objects.get(year=2025).computed_on == today()


def test_switching_a_module_on_is_not_served_from_the_old_set(director, data):
    collect(2025, director)
    with override_settings(LEGISLATION_ENABLED=True):
        figs = {f.key: f.value for f in collect(2025, director)}
    assert figs["regulations"] == 3


def test_the_refresh_task_recomputes_stale_years(director, data):
    collect(2025, director)
    b.suggestion(sess=b.session(2025), status="in_progress")
    commit()
    assert refresh_year_figures() == [2024, 2025]
    assert refresh_year_figures() == []
    with CaptureQueriesContext(connection) as ctx:
        figs = {f.key: f for f in collect(2025, director)}
    assert aggregate_statements(ctx) == 0
    assert {k: v for k, v in values(figs.values()).items() if k in live(director)} == live(director)


def test_served_figures_still_agree_with_their_record_lists(director, client, data):
    collect(2025, director)
    client.force_login(director)
    figs = {f.key: f for f in collect(2025, director)}
    for key in ["standing_meetings", "reports_heard", "suggestions", "suggestions_assigned", "supervision_items",
                "plan_items", "plan_items_done", "opinions_collected"]:
        assert listed_count(client, figs[key]) == figs[key].display, key


def test_the_api_says_when_the_figures_were_counted(director, api_client, data):
    client = api_client(director)
    client.get(URL)
    stored = YearFigures.objects.get(year=2024).computed_at
    body = client.get(URL).json()
    assert dt.datetime.fromisoformat(body["computed_at"]) == stored
    from django.utils import timezone

    assert body["computed_time"] == timezone.localtime(stored).strftime("%H:%M")


def _fresh_queries(client) -> tuple[int, int]:
    client.get(URL)  # computes and stores if stale
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), aggregate_statements(ctx)


def test_the_fresh_dashboard_api_takes_the_same_few_queries_for_3_and_30_records(
    director, api_client, office, unit, staff_user, deputy_user
):
    client = api_client(director)
    populate(3, office=office, unit=unit, staff=staff_user, deputy_user=deputy_user)
    commit()
    few, few_aggregates = _fresh_queries(client)
    populate(27, office=office, unit=unit, staff=staff_user, deputy_user=deputy_user)
    commit()
    many, many_aggregates = _fresh_queries(client)
    assert few == many <= 4
    assert few_aggregates == many_aggregates == 0


def test_the_leaders_home_reads_the_stored_figures_when_current(director, data):
    from dashboards.home import widgets

    year = today().year  # the home page shows this year
    b.suggestion(sess=b.session(year), status="closed", replied_on=dt.date(year, 4, 1), on_time=True)
    commit()

    def shown():
        return {r.label: r.note for w in widgets(director) for r in w.rows}

    counted = shown()  # nothing stored for the year: its few sources are counted
    collect(year, director)
    with CaptureQueriesContext(connection) as ctx:
        stored = shown()
    assert aggregate_statements(ctx) == 0
    assert stored == counted
    assert stored and any(v.startswith("1") for v in stored.values())
