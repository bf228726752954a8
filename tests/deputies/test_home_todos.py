"""Each step the bill and citizen-opinion workflows give a role (BILL_TRANSITIONS,
OPINION_TRANSITIONS) is a to-do card with its count on that person's home page, next to
the suggestion cards (tests/deputies/test_design_deputies.py), in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.navigation import home_todos
from congress.workdays import today
from deputies.choices import BILL_TRANSITIONS, Actor, BillStatus, OpinionStatus
from deputies.models import Bill, CitizenOpinion

pytestmark = pytest.mark.django_db
B = BillStatus


def todo_counts(html: str) -> dict[str, int]:
    return {m.group(2): int(m.group(1)) for m in re.finditer(
        r'<span class="todo-count" aria-hidden="true">(\d+)</span>\s*<span class="todo-text">\s*'
        r'<span class="todo-title">([^<]+)<', html)}


def _bills(world, n=1):
    for _i in range(n):
        for status in (B.DRAFT, B.SUBMITTED, B.UNDER_REVIEW, B.ON_AGENDA, B.REFERRED, B.REPORTED, B.ADOPTED):
            Bill.objects.create(term=world.term, session=world.session, title="关于制定《江州市养犬管理条例》的议案",
                                grounds="养犬纠纷逐年增多。", solution="制定地方性法规。", lead_deputy=world.deputy("lead"),
                                status=status, submitted_at=None if status == B.DRAFT else timezone.now())


def _opinions(world, n=1):
    for _i in range(n):
        CitizenOpinion.objects.create(content="路灯不亮", received_on=today(), status=OpinionStatus.REGISTERED)
        CitizenOpinion.objects.create(content="噪音扰民", received_on=today(), status=OpinionStatus.ROUTED,
                                      routed_unit=world.unit)
        CitizenOpinion.objects.create(content="道路积水", received_on=today(), status=OpinionStatus.ROUTED,
                                      routed_unit=world.other_unit)


def test_assigning_office_has_a_card_for_each_bill_step(world, users, client_as):
    _bills(world)
    cards = todo_counts(client_as(users["office"]).get("/").content.decode())
    assert cards["待登记的议案"] == 1
    assert cards["待登记主席团决定的议案"] == 1
    assert cards["待登记表决结果的议案"] == 1
    assert cards["待登记专门委员会报告的议案"] == 1
    assert cards["待办结的议案"] == 1


def test_every_office_step_of_a_bill_has_a_card():
    """The table's steps an office takes from a waiting state, each counted by status."""
    office_sources = {s for t in BILL_TRANSITIONS.values() if Actor.OFFICE in t.actors for s in t.sources}
    assert office_sources - {B.DRAFT} == {B.SUBMITTED, B.UNDER_REVIEW, B.ON_AGENDA, B.REFERRED, B.REPORTED}


def test_committee_staff_see_bills_waiting_for_the_committee_report(world, users, client_as):
    _bills(world)
    _opinions(world)
    cards = todo_counts(client_as(users["staff"]).get("/").content.decode())
    assert cards["待登记专门委员会报告的议案"] == 1
    assert cards["待转办的群众意见"] == 1
    assert "待登记的议案" not in cards


def test_deputy_sees_unsubmitted_bill_drafts(world, users, client_as):
    _bills(world)
    assert todo_counts(client_as(users["lead"]).get("/").content.decode())["未提交的议案草稿"] == 1
    assert todo_counts(client_as(users["other_deputy"]).get("/").content.decode())["未提交的议案草稿"] == 0


def test_office_routes_and_units_answer_citizen_opinions(world, users, client_as):
    _opinions(world)
    office = todo_counts(client_as(users["office"]).get("/").content.decode())
    assert office["待转办的群众意见"] == 1
    unit = todo_counts(client_as(users["unit_clerk"]).get("/").content.decode())
    assert unit["待答复的群众意见"] == 1  # not the one routed to the other unit
    other = todo_counts(client_as(users["other_unit_clerk"]).get("/").content.decode())
    assert other["待答复的群众意见"] == 1


@pytest.mark.parametrize("role", ["office", "staff", "unit_clerk", "lead"])
def test_bill_and_opinion_cards_take_the_same_queries_for_few_and_many(world, users, role):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            home_todos(users[role])
        return len(ctx.captured_queries)

    _bills(world)
    _opinions(world)
    queries()
    few = queries()
    _bills(world, 9)
    _opinions(world, 9)
    assert queries() == few
