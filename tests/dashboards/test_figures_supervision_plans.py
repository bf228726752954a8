"""Figures of supervision work (三查, inquiries, appraisals, livelihood projects, audit
rectification) and of the year's plans."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from . import builders as b
from .helpers import figures, listed_count, listed_rows

pytestmark = pytest.mark.django_db


def test_three_checks_count_visits_research_and_inspections_carried_out(director, office):
    b.sv_item(kind="inspection_visit", status="closed", office=office)
    b.sv_item(kind="research", status="in_progress", office=office)
    b.sv_item(kind="law_inspection", status="heard", office=office)
    b.sv_item(kind="law_inspection", status="planned", office=office)  # not carried out yet
    b.sv_item(kind="research", status="cancelled", office=office)
    b.sv_item(kind="special_report", status="heard", office=office)  # not one of the 三查
    b.sv_item(kind="research", status="closed", office=office, year=2024)
    figs = figures(director)
    assert (figs["three_checks"].value, figs["three_checks"].previous) == (3, 1)
    assert figs["law_inspections"].value == 1
    assert figs["inspection_visits"].value == 1
    assert figs["research"].value == 1
    assert figs["supervision_items"].value == 4


def test_inquiries_and_appraisals_with_persons_appraised(director, office):
    b.sv_item(kind="special_inquiry", office=office)
    b.sv_item(kind="face_inquiry", office=office)
    appraisal = b.sv_item(kind="performance_appraisal", office=office)
    for _ in range(9):  # e.g. nine judges and prosecutors ("两官")
        b.appraisal_target(item=appraisal)
    planned = b.sv_item(kind="work_appraisal", status="planned", office=office)
    b.appraisal_target(item=planned)
    figs = figures(director)
    assert figs["inquiries"].value == 2
    assert figs["appraisals"].value == 1
    assert figs["appraised_persons"].value == 9


def test_each_inquiry_and_appraisal_kind_is_a_figure_of_its_own_that_opens_its_records(director, office, client_as):
    for kind, status in [("special_inquiry", "heard"), ("special_inquiry", "closed"), ("face_inquiry", "heard"),
                         ("face_inquiry", "in_progress"),  # not held yet
                         ("work_appraisal", "heard"), ("performance_appraisal", "closed"),
                         ("performance_appraisal", "in_progress"), ("performance_appraisal", "planned")]:
        b.sv_item(kind=kind, status=status, office=office)
    figs = figures(director)
    expected = {"special_inquiries": 2, "face_inquiries": 1, "inquiries": 3,
                "work_appraisals": 1, "performance_appraisals": 2, "appraisals": 3}
    assert {key: figs[key].value for key in expected} == expected
    assert figs["inquiries"].value == figs["special_inquiries"].value + figs["face_inquiries"].value
    assert figs["appraisals"].value == figs["work_appraisals"].value + figs["performance_appraisals"].value
    client = client_as(director)
    for key in expected:
        assert listed_rows(client, figs[key]) == expected[key], key
    page = client.get(figs["face_inquiries"].list_url).content.decode()
    assert "面对面询问" in page and "专题询问" not in page.split("<table", 1)[-1]
    # The year-end draft names each kind with its own figure.
    from dashboards import summary

    body = summary.default_body(set(figs))
    text = "".join(t for _kind, t in summary.render("", body, list(figs.values()), 2025).paragraphs)
    assert "开展专题询问2次，面对面询问1次，开展工作评议1次，履职评议2次" in text


def test_livelihood_projects_count_only_those_voted_through(director, office):
    item = b.sv_item(kind="livelihood", office=office, status="in_progress")
    b.project(item=item, status="elected")
    b.project(item=item, status="completed")
    b.project(item=item, status="not_elected")
    b.project(item=item, status="candidate")
    figs = figures(director)
    assert figs["livelihood_projects"].value == 2
    assert figs["livelihood_completion_rate"].value == Decimal("50.0")


def test_audit_problems_and_rectification_rate(director, office):
    item = b.sv_item(kind="audit_rectification", office=office)
    for status in ("rectified", "rectified", "rectified", "in_progress"):
        b.problem(item=item, status=status)
    figs = figures(director)
    assert figs["audit_problems"].value == 4
    assert figs["audit_rectification_rate"].value == Decimal("75.0")
    assert figs["audit_rectification_rate"].display == "75.0%"


def test_satisfaction_votes(director, office):
    item = b.sv_item(office=office)
    b.vote(item=item, result="satisfied")
    b.vote(item=item, result="dissatisfied")
    figs = figures(director)
    assert figs["satisfaction_votes"].value == 2
    assert figs["satisfaction_vote_pass_rate"].value == Decimal("50.0")


@time_machine.travel(dt.datetime(2025, 9, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_plan_figures_count_leaf_items(director, office):
    p = b.plan(year=2025)
    section = b.plan_item(plan_obj=p, status="in_progress")  # a section: its children carry the work
    b.plan_item(plan_obj=p, parent=section, status="done")
    b.plan_item(plan_obj=p, parent=section, status="done")
    b.plan_item(plan_obj=p, parent=section, status="in_progress", due_date=dt.date(2025, 8, 1))  # overdue
    b.plan_item(plan_obj=p, parent=section, status="not_started", due_date=dt.date(2025, 12, 1))
    b.plan_item(plan_obj=p, parent=section, status="cancelled", due_date=dt.date(2025, 3, 1))
    figs = figures(director)
    assert figs["plan_items"].value == 4
    assert figs["plan_items_done"].value == 2
    assert figs["plan_completion_rate"].value == Decimal("50.0")
    assert figs["plan_items_overdue"].value == 1


@pytest.mark.parametrize("key", ["three_checks", "appraised_persons", "livelihood_projects",
                                 "audit_rectification_rate", "plan_items"])
def test_supervision_and_plan_figures_link_to_their_records(director, client_as, office, key):
    b.sv_item(kind="research", office=office)
    b.sv_item(kind="research", status="planned", office=office)
    appraisal = b.sv_item(kind="work_appraisal", office=office)
    b.appraisal_target(item=appraisal)
    lv = b.sv_item(kind="livelihood", office=office)
    b.project(item=lv)
    b.project(item=lv, status="not_elected")
    audit = b.sv_item(kind="audit_rectification", office=office)
    b.problem(item=audit, status="rectified")
    b.problem(item=audit)
    p = b.plan(year=2025)
    b.plan_item(plan_obj=p)
    b.plan_item(plan_obj=p, status="done")
    fig = figures(director)[key]
    client = client_as(director)
    assert listed_count(client, fig) == fig.display
    assert listed_rows(client, fig) == (fig.denominator if fig.is_rate else fig.value)
