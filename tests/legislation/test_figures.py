"""Year figures of legislation: regulations passed in the year, by the date of the vote
and by kind, apart from the readings (审议法规案, a figure of the agenda); none of them
where the module is off."""

import datetime as dt

import pytest
from django.test import override_settings

from dashboards.figures import collect
from legislation import services_projects as services
from legislation.choices import ProjectKind, Step

from .conftest import walk

pytestmark = pytest.mark.django_db


def figures(user, year=2026):
    return {f.key: f for f in collect(year, user)}


@pytest.fixture
def passed(plan, legal_staff, meetings):
    """Two enacted, one amended, one repealed regulation voted in 2026; one only read."""
    made = []
    for i, kind in enumerate([ProjectKind.ENACT, ProjectKind.ENACT, ProjectKind.AMEND, ProjectKind.REPEAL]):
        p = services.project_add(actor=legal_staff, plan=plan, title=f"法规{i}", kind=kind)
        made.append(walk(p, legal_staff, Step.VOTE))
    read = services.project_add(actor=legal_staff, plan=plan, title="只审议未表决", kind=ProjectKind.ENACT)
    walk(read, legal_staff, Step.SECOND_READING, agenda=meetings[:2])
    return made


def test_regulations_passed_are_counted_by_kind_apart_from_readings(director, passed):
    figs = figures(director)
    assert figs["regulations_enacted"].value == 2
    assert figs["regulations_amended"].value == 1
    assert figs["regulations_repealed"].value == 1
    # 审议法规案 (件次) still counts the regulation agenda items of held sessions: the four
    # of the fixture, however many projects were voted.
    assert figs["regulations"].value == 4
    assert figs["regulations_enacted"].previous == 0
    assert figs["regulations_enacted"].group == "legislation"


def test_a_vote_counts_in_the_year_of_its_date(director, plan, legal_staff):
    p = services.project_add(actor=legal_staff, plan=plan, title="跨年法规", kind=ProjectKind.ENACT)
    walk(p, legal_staff, Step.VOTE, start=dt.date(2025, 11, 1))
    assert p.voted_on.year == 2025
    assert figures(director, 2025)["regulations_enacted"].value == 1
    assert figures(director, 2026)["regulations_enacted"].value == 0


def test_the_figure_opens_the_regulations_behind_it(client_as, director, passed):
    fig = figures(director)["regulations_enacted"]
    resp = client_as(director).get(fig.list_url)
    page = resp.content.decode()
    assert resp.status_code == 200
    assert page.count("<tr data-record>") == 2
    assert passed[0].get_absolute_url() in page


def test_deputies_count_adopted_plans_only(deputy_user, legal_staff, next_plan):
    p = services.project_add(actor=legal_staff, plan=next_plan, title="草案计划中的法规", kind=ProjectKind.ENACT)
    walk(p, legal_staff, Step.VOTE)
    assert figures(deputy_user)["regulations_enacted"].value == 0


@override_settings(LEGISLATION_ENABLED=False)
def test_no_legislation_figures_where_the_module_is_off(director, passed):
    figs = figures(director)
    for key in ("regulations", "regulations_enacted", "regulations_amended", "regulations_repealed"):
        assert key not in figs
