"""Deadline rules of regulation projects: provincial approval (4 months, art. 81),
publication after approval, filing within 30 days of publication (art. 109), the
interval between readings; to the 法工委 and the lead committee, then the vice-chair."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from congress import reminder_engine
from legislation import services_projects as services
from legislation.choices import Step

from .conftest import walk

pytestmark = pytest.mark.django_db
CODES = ["legislation.approval", "legislation.publication", "legislation.filing", "legislation.next_reading"]


def due(today, codes=CODES):
    # A week back, so a step rolled off a weekend still shows; the latest step per person.
    return [c for c in reminder_engine.plan(today, since=today - dt.timedelta(days=7), rule_codes=codes)
            if not c.superseded]


def test_filing_is_due_thirty_days_after_publication(project, legal_staff, staff_user, vice_director):
    project = walk(project, legal_staff, Step.PUBLICATION)
    published = project.published_on
    deadline = published + dt.timedelta(days=30)
    late = [c for c in due(deadline + dt.timedelta(days=2), ["legislation.filing"])]
    assert {c.recipient for c in late} == {legal_staff, staff_user}
    assert all(c.due == deadline for c in late)
    escalated = due(deadline + dt.timedelta(days=10), ["legislation.filing"])
    assert vice_director in {c.recipient for c in escalated}  # with the weekly reminder to the offices
    services.project_record_filing(actor=legal_staff, project=project, filed_on=published, version=project.version)
    assert due(deadline + dt.timedelta(days=2), ["legislation.filing"]) == []


def test_approval_is_chased_after_four_months(project, legal_staff, settings):
    walk(project, legal_staff, Step.VOTE)
    project.refresh_from_db()
    services.project_advance(actor=legal_staff, project=project, step=Step.APPROVAL, version=project.version,
                             date=dt.date(2026, 3, 2))
    overdue = due(dt.date(2026, 7, 6), ["legislation.approval"])
    assert overdue and overdue[0].due == dt.date(2026, 7, 2)
    settings.LEGISLATION_APPROVAL_MONTHS = 6
    assert due(dt.date(2026, 7, 6), ["legislation.approval"]) == []


def test_the_next_reading_is_asked_for_after_the_interval(project, legal_staff, meetings):
    walk(project, legal_staff, Step.FIRST_READING, agenda=meetings[:1])
    reminders = due(dt.date(2026, 6, 29), ["legislation.next_reading"])
    assert reminders and reminders[0].due == dt.date(2026, 6, 26)


def test_shelved_projects_and_a_switched_off_module_are_silent(project, legal_staff):
    project = walk(project, legal_staff, Step.PUBLICATION)
    later = project.published_on + dt.timedelta(days=40)
    with override_settings(LEGISLATION_ENABLED=False):
        assert due(later) == []


def test_scan_queries_do_not_grow_with_projects(plan, legal_staff, office):
    def make(n):
        for i in range(n):
            p = services.project_add(actor=legal_staff, plan=plan, title=f"法规{i}", lead_office=office)
            walk(p, legal_staff, Step.PUBLICATION)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            due(dt.date(2026, 11, 18))
        return len(ctx.captured_queries)

    make(3)
    count()  # warm caches (content types, calendar)
    small = count()
    make(27)
    assert count() == small
