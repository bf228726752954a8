"""Figures of bills and suggestions with the rates of domain §2, and of deputies' work."""

import datetime as dt
from decimal import Decimal

import pytest

from . import builders as b
from .helpers import figures, listed_count, listed_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def sess(term):
    return b.session(2025)


def test_suggestions_received_are_those_sent_in_during_the_year(director, sess):
    b.suggestion(sess=sess, status="submitted", assigned=False)
    b.suggestion(sess=sess, status="in_progress")
    b.suggestion(sess=sess, status="withdrawn", assigned=False)  # received, then withdrawn
    b.suggestion(sess=sess, status="draft", assigned=False, submitted=False)  # never sent in
    b.suggestion(sess=b.session(2024), status="closed")
    fig = figures(director)["suggestions"]
    assert (fig.value, fig.previous) == (3, 1)


def test_a_withdrawn_item_is_not_assigned(director, sess):
    b.suggestion(sess=sess, status="assigned")
    b.suggestion(sess=sess, status="in_progress")
    b.suggestion(sess=sess, status="closed", replied_on=dt.date(2025, 4, 1))
    # withdrawn, even with a stray assignment date; rejected, merged, and an item given
    # back after an approved return (accepted again, waiting to be re-assigned)
    b.suggestion(sess=sess, status="withdrawn", assigned=True)
    b.suggestion(sess=sess, status="rejected", assigned=False)
    b.suggestion(sess=sess, status="merged", assigned=False)
    b.suggestion(sess=sess, status="accepted", assigned=True)
    figs = figures(director)
    assert figs["suggestions_assigned"].value == 3
    assert figs["suggestion_reply_rate"].denominator == 3


def test_reply_on_time_and_closing_rates(director, sess):
    b.suggestion(sess=sess, status="closed", replied_on=dt.date(2025, 3, 1), on_time=True)
    b.suggestion(sess=sess, status="replied", replied_on=dt.date(2025, 3, 1), on_time=True)
    b.suggestion(sess=sess, status="rehandling", replied_on=dt.date(2025, 6, 1), on_time=False)
    b.suggestion(sess=sess, status="in_progress")
    b.suggestion(sess=sess, status="withdrawn", assigned=False)
    figs = figures(director)
    assert figs["suggestion_reply_rate"].value == Decimal("75.0")
    assert (figs["suggestion_reply_rate"].numerator, figs["suggestion_reply_rate"].denominator) == (3, 4)
    assert figs["suggestion_ontime_rate"].value == Decimal("50.0")
    assert figs["suggestion_closed_rate"].value == Decimal("25.0")
    assert figs["suggestion_closed_rate"].display == "25.0%"


def test_no_assigned_item_gives_no_rate_rather_than_zero(director, sess):
    b.suggestion(sess=sess, status="submitted", assigned=False)
    fig = figures(director)["suggestion_reply_rate"]
    assert fig.value is None
    assert fig.display == "—"


def test_items_without_a_rating_are_not_in_the_satisfaction_rate(director, sess, unit):
    asg = [b.assignment(sug=b.suggestion(sess=sess, status="closed", replied_on=dt.date(2025, 4, 1)), unit=unit,
                        status="replied") for _ in range(6)]
    b.evaluation(asg=asg[0], result="satisfied")
    b.evaluation(asg=asg[1], result="basic")
    b.evaluation(asg=asg[2], result="unsatisfied")
    b.evaluation(asg=asg[3], result="satisfied")
    b.evaluation(asg=asg[4], no_feedback=True)  # 未反馈: out of the rate
    # a re-handled item: its first (unsatisfied) round is history, the current rating counts
    b.evaluation(asg=asg[5], result="unsatisfied", round=1, current=False)
    b.evaluation(asg=asg[5], result="satisfied", round=2, current=True)
    figs = figures(director)
    sat = figs["suggestion_satisfaction_rate"]
    assert (sat.numerator, sat.denominator) == (4, 5)
    assert sat.value == Decimal("80.0")
    assert figs["suggestion_fully_satisfied_rate"].value == Decimal("60.0")
    first = figs["suggestion_first_round_satisfaction_rate"]
    assert (first.numerator, first.denominator) == (3, 5)


def test_solved_rates_count_current_replies_by_category(director, sess, unit, other_unit):
    a = b.reply_category("A", solved=True)
    bb = b.reply_category("B", planned=True)
    c = b.reply_category("C")
    d = b.reply_category("D")
    for cat in (a, a, bb, c, d):
        asg = b.assignment(sug=b.suggestion(sess=sess, status="replied"), unit=unit, status="replied", category=cat)
        b.reply(asg=asg, category=cat)
    # a re-handled item: the first (C) reply is replaced by the current (A) one
    asg = b.assignment(sug=b.suggestion(sess=sess, status="replied"), unit=other_unit, status="replied", category=a)
    b.reply(asg=asg, category=c, current=False)
    b.reply(asg=asg, category=a, round=2)
    # a draft waiting for the head's signature is not a reply yet
    b.reply(asg=b.assignment(sug=b.suggestion(sess=sess), unit=unit), category=a, status="pending")
    figs = figures(director)
    assert (figs["suggestion_solved_rate"].numerator, figs["suggestion_solved_rate"].denominator) == (3, 6)
    assert figs["suggestion_solved_rate"].value == Decimal("50.0")
    assert figs["suggestion_solved_or_planned_rate"].value == Decimal("66.7")


def test_key_supervised_and_merged_items(director, sess):
    b.suggestion(sess=sess, key_level="director")
    b.suggestion(sess=sess, key_level="committee")
    b.suggestion(sess=sess)
    b.suggestion(sess=sess, status="merged", assigned=False)
    figs = figures(director)
    assert figs["key_supervised"].value == 2
    assert figs["merged_suggestions"].value == 1


def test_bills_and_their_conclusion(director, sess):
    b.bill(sess=sess, status="on_agenda")
    b.bill(sess=sess, status="adopted")
    b.bill(sess=sess, status="converted")
    b.bill(sess=sess, status="withdrawn")
    b.bill(sess=sess, status="draft")
    figs = figures(director)
    assert figs["bills"].value == 3
    assert figs["bills_concluded_rate"].value == Decimal("66.7")


def test_receptions_people_received_and_trainings(director):
    st = b.station()
    b.activity(kind="reception", people=30, station_obj=st)
    b.activity(kind="reception", people=12, station_obj=st)
    b.activity(kind="visit", people=50)  # a visit is not a reception day
    b.activity(kind="training")
    b.activity(kind="lecture")
    b.activity(kind="reception", people=99, on=dt.date(2024, 6, 1))
    figs = figures(director)
    assert figs["receptions"].value == 2
    assert figs["people_received"].value == 42
    assert figs["people_received"].previous == 99
    assert figs["trainings"].value == 1
    assert figs["lectures"].value == 1
    assert figs["deputy_activities"].value == 5


def test_citizen_opinions_collected_and_answered(director):
    b.opinion(status="answered")
    b.opinion(status="routed")
    b.opinion(status="registered")
    b.opinion(on=dt.date(2026, 1, 2))
    figs = figures(director)
    assert figs["opinions_collected"].value == 3
    assert figs["opinions_answered_rate"].value == Decimal("33.3")


@pytest.mark.parametrize("key", ["suggestions", "suggestion_reply_rate", "suggestion_satisfaction_rate",
                                 "people_received", "bills"])
def test_deputies_figures_link_to_the_records_behind_them(director, client_as, sess, unit, key):
    for status in ("in_progress", "replied", "withdrawn"):
        sug = b.suggestion(sess=sess, status=status, replied_on=dt.date(2025, 4, 1) if status == "replied" else None,
                           assigned=status != "withdrawn")
        if status == "replied":
            b.evaluation(asg=b.assignment(sug=sug, unit=unit, status="replied"), result="basic")
    b.bill(sess=sess)
    b.activity(people=7)
    b.activity(people=8)
    fig = figures(director)[key]
    client = client_as(director)
    assert listed_count(client, fig) == fig.display
    expected_rows = fig.denominator if fig.is_rate else (2 if key == "people_received" else fig.value)
    assert listed_rows(client, fig) == expected_rows
