"""Core figures: meetings, reports heard, regulations, decisions, appointments, stations."""

import datetime as dt

import pytest

from congress.models import AgendaItem, Appointment, Meeting

from . import builders as b
from .helpers import figures, listed_count, listed_rows, value

pytestmark = pytest.mark.django_db


def test_standing_meetings_count_only_held_meetings_of_the_year(director):
    # given: two held sessions in 2025, one planned, one cancelled, one held in 2024
    b.meeting(on=dt.date(2025, 2, 20))
    b.meeting(on=dt.date(2025, 12, 31))
    b.meeting(on=dt.date(2025, 6, 1), status=Meeting.Status.PLANNED)
    b.meeting(on=dt.date(2025, 8, 1), status=Meeting.Status.CANCELLED)
    b.meeting(on=dt.date(2024, 12, 31))
    # when
    fig = figures(director)["standing_meetings"]
    # then: a cancelled or planned meeting is not counted; last year's is the comparison
    assert fig.value == 2
    assert fig.previous == 1


def test_chairpersons_meetings_are_counted_separately(director):
    b.meeting(kind=Meeting.Kind.CHAIRPERSONS)
    b.meeting(kind=Meeting.Kind.CHAIRPERSONS)
    b.meeting(kind=Meeting.Kind.CHAIRPERSONS, status=Meeting.Status.CANCELLED)
    b.meeting(kind=Meeting.Kind.STANDING)
    figs = figures(director)
    assert figs["chairpersons_meetings"].value == 2
    assert figs["standing_meetings"].value == 1


def test_reports_heard_counts_reports_at_held_standing_sessions(director):
    held = b.meeting()
    for kind in (AgendaItem.Kind.SPECIAL_REPORT, AgendaItem.Kind.INSPECTION_REPORT, AgendaItem.Kind.AUDIT,
                 AgendaItem.Kind.BUDGET):
        b.agenda(meeting_obj=held, kind=kind)
    # not reports of a body: a regulation, an appointment, a resolution
    b.agenda(meeting_obj=held, kind=AgendaItem.Kind.REGULATION)
    b.agenda(meeting_obj=held, kind=AgendaItem.Kind.APPOINTMENT)
    # not heard: the session was cancelled; a council of chairpersons hears no reports
    b.agenda(meeting_obj=b.meeting(status=Meeting.Status.CANCELLED))
    b.agenda(meeting_obj=b.meeting(kind=Meeting.Kind.CHAIRPERSONS))
    figs = figures(director)
    assert figs["reports_heard"].value == 4
    assert figs["special_reports"].value == 1


def test_regulations_only_where_the_installation_legislates(director, settings):
    b.agenda(meeting_obj=b.meeting(), kind=AgendaItem.Kind.REGULATION)
    settings.LEGISLATION_ENABLED = True
    assert value(director, "regulations") == 1
    # Legislation Law art. 81: a county never shows "制定地方性法规x部"
    settings.LEGISLATION_ENABLED = False
    assert "regulations" not in figures(director)


def test_decisions_count_by_adoption_date(director):
    b.decision(on=dt.date(2025, 1, 1))
    b.decision(on=dt.date(2025, 12, 31))
    b.decision(on=dt.date(2026, 1, 1))
    assert value(director, "decisions") == 2


def test_appointments_count_persons_including_removals(director):
    m = b.meeting()
    b.appointment(meeting_obj=m, on=dt.date(2025, 5, 1))
    b.appointment(meeting_obj=m, on=dt.date(2025, 5, 1))
    b.appointment(meeting_obj=m, on=dt.date(2025, 5, 1), action=Appointment.Action.REMOVE)
    b.appointment(meeting_obj=m, on=dt.date(2024, 5, 1))
    fig = figures(director)["appointments"]
    assert fig.value == 3
    assert fig.previous == 1
    assert str(fig.unit) == "人次"


def test_liaison_stations_count_those_existing_at_year_end(director):
    b.station(established_on=dt.date(2019, 3, 1))
    b.station(established_on=None)  # no date: it has always been there
    b.station(established_on=dt.date(2025, 12, 31))
    b.station(established_on=dt.date(2026, 1, 5))  # set up next year
    fig = figures(director)["liaison_stations"]
    assert fig.value == 3
    assert fig.previous == 2


@pytest.mark.parametrize("key", ["standing_meetings", "chairpersons_meetings", "reports_heard", "decisions",
                                 "appointments", "liaison_stations"])
def test_each_figure_links_to_a_list_with_the_same_count(director, client_as, key):
    m = b.meeting()
    b.meeting(status=Meeting.Status.CANCELLED)
    b.meeting(kind=Meeting.Kind.CHAIRPERSONS)
    b.agenda(meeting_obj=m)
    b.agenda(meeting_obj=m, kind=AgendaItem.Kind.AUDIT)
    b.decision(meeting_obj=m)
    b.appointment(meeting_obj=m)
    b.appointment(meeting_obj=m)
    b.station()
    fig = figures(director)[key]
    client = client_as(director)
    assert listed_count(client, fig) == fig.display
    assert listed_rows(client, fig) == fig.value
