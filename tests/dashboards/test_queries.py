"""The dashboard answers in a constant number of queries whatever the number of records:
the same for 3 records of every kind as for 30 (aggregates in the database, no query per row)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.models import AgendaItem, Meeting
from dashboards.charts import CHARTS

from . import builders as b

pytestmark = pytest.mark.django_db


def populate(n, *, office, unit, staff, deputy_user):
    sess = b.session(2025)
    cat = b.reply_category("A", solved=True)
    p = b.plan(year=2025)
    audit = b.sv_item(kind="audit_rectification", office=office, target=unit)
    lv = b.sv_item(kind="livelihood", office=office)
    own = b.deputy(user=None)
    for i in range(n):
        m = b.meeting(on=dt.date(2025, 1 + i % 12, 1 + i % 28))
        b.meeting(kind=Meeting.Kind.CHAIRPERSONS, on=dt.date(2025, 1 + i % 12, 2))
        b.agenda(meeting_obj=m)
        b.agenda(meeting_obj=m, kind=AgendaItem.Kind.REGULATION)
        b.decision(meeting_obj=m)
        b.appointment(meeting_obj=m)
        b.station()
        sug = b.suggestion(sess=sess, status="replied", replied_on=dt.date(2025, 4, 1), on_time=True,
                           lead=deputy_user.deputy if i % 2 else own)
        asg = b.assignment(sug=sug, unit=unit, status="replied", category=cat, due_date=dt.date(2025, 3, 1 + i % 20))
        b.evaluation(asg=asg, result="satisfied")
        b.bill(sess=sess)
        b.activity(people=i)
        b.opinion(office=office, status="routed")
        item = b.sv_item(kind="research", office=office, start=dt.date(2025, 5, 1))
        b.step(item=item, due_date=dt.date(2025, 6, 1))
        b.appraisal_target(item=b.sv_item(kind="work_appraisal", office=office))
        b.project(item=lv)
        b.problem(item=audit, unit=unit, due_date=dt.date(2025, 6, 1))
        b.vote(item=item)
        b.plan_item(plan_obj=p, office=office, due_date=dt.date(2025, 6, 1))


def count_queries(client, url) -> int:
    # Warm up first: settings other apps cache on first use (periods, calendar) are not per record.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def grow(office, unit, staff_user, deputy_user):
    def run(n):
        populate(n, office=office, unit=unit, staff=staff_user, deputy_user=deputy_user)

    return run


def _urls():
    urls = ["/api/v1/dashboard/year/?year=2025", "/api/v1/dashboard/summary/?year=2025"]
    urls += [f"/api/v1/dashboard/charts/{name}/?year=2025" for name in CHARTS]
    return urls


@pytest.mark.parametrize("url", _urls())
def test_api_queries_do_not_grow_with_records(director, api_client, grow, url):
    client = api_client(director)
    grow(3)
    few = count_queries(client, url)
    grow(27)
    many = count_queries(client, url)
    assert few == many
    assert many <= 30


def test_year_api_answers_in_at_most_four_queries(director, api_client, grow):
    # Every source of figures in one statement, the hand-entered figures in another:
    # nothing per source, per figure or per year.
    client = api_client(director)
    grow(3)
    few = count_queries(client, "/api/v1/dashboard/year/?year=2025")
    grow(27)
    assert count_queries(client, "/api/v1/dashboard/year/?year=2025") == few <= 4


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/?year=2025",
        "/dashboard/present/?year=2025",
        "/dashboard/records/standing_meetings/?year=2025",
        "/dashboard/records/suggestion_satisfaction_rate/?year=2025",
        "/dashboard/records/people_received/?year=2025",
        "/dashboard/records/three_checks/?year=2025",
        "/dashboard/records/plan_items/?year=2025",
        "/dashboard/records/audit_problems/?year=2025",
        "/dashboard/summary/?year=2025",
        "/dashboard/summary/edit/?year=2025",
        "/dashboard/summary/word/?year=2025",
        "/dashboard/manual/?year=2025",
        "/dashboard/mine/",
    ],
)
def test_pages_queries_do_not_grow_with_records(staff_user, client_as, grow, url):
    client = client_as(staff_user)
    grow(3)
    few = count_queries(client, url)
    grow(27)
    assert count_queries(client, url) == few


@pytest.mark.parametrize("role", ["unit_clerk", "deputy_user", "assigning_clerk"])
def test_role_dashboards_queries_do_not_grow(request, role, client_as, grow):
    client = client_as(request.getfixturevalue(role))
    grow(3)
    few = count_queries(client, "/dashboard/mine/")
    grow(27)
    assert count_queries(client, "/dashboard/mine/") == few
