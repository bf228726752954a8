"""Home-page widgets, navigation and the demo data of plans."""

import datetime as dt

import pytest
from django.urls import reverse

from congress.navigation import home_widgets, nav_items
from plans.choices import PeriodKind, PlanKind
from plans.models import Plan, PlanItem, ProgressEntry

from .conftest import add_item

pytestmark = pytest.mark.django_db


def widget(user, title_part):
    matches = [w for w in home_widgets(user) if title_part in str(w.title)]
    assert len(matches) == 1, [w.title for w in home_widgets(user)]
    return matches[0]


@pytest.fixture
def items(plan, office, other_office, staff_user, vice_director, director, frozen):
    return {
        "overdue": add_item(plan, "五月到期事项", office=office, period_kind=PeriodKind.MONTH, month=5),
        "soon": add_item(plan, "六月到期事项", office=office, period_kind=PeriodKind.MONTH, month=6,
                         last_progress_on=dt.date(2026, 6, 3)),
        "later": add_item(plan, "十二月事项", office=office, period_kind=PeriodKind.MONTH, month=12),
        "other": add_item(plan, "其他委室逾期事项", office=other_office, period_kind=PeriodKind.MONTH, month=4),
    }


def test_staff_widgets(staff_user, items):
    due = widget(staff_user, "到期和逾期")
    assert [r.label for r in due.rows] == ["1.五月到期事项", "2.六月到期事项"]
    assert due.rows[0].colour in {"orange", "red"}
    assert due.count == 2
    awaiting = widget(staff_user, "待报送本月进度")
    assert {r.label for r in awaiting.rows} == {"1.五月到期事项", "3.十二月事项"}  # June already reported
    assert awaiting.rows[0].colour == "orange"  # past the 5th


def test_vice_chair_sees_overdue_of_supervised_offices(vice_director, director, items):
    assert [r.label for r in widget(vice_director, "逾期的计划事项").rows] == ["1.五月到期事项"]
    assert {r.label for r in widget(director, "逾期的计划事项").rows} == {"1.五月到期事项", "4.其他委室逾期事项"}


def test_outsiders_have_no_plan_widgets(deputy_user, unit_clerk, items):
    for user in (deputy_user, unit_clerk):
        assert not [w for w in home_widgets(user) if "计划" in str(w.title)]


def test_home_page_shows_widgets(client_as, staff_user, items):
    html = client_as(staff_user).get("/").content.decode()
    assert "本委室到期和逾期的计划事项" in html and "五月到期事项" in html


def test_navigation_for_every_role(staff_user, deputy_user):
    for user in (staff_user, deputy_user):
        assert reverse("plans:plan-list") in [i["url"] for i in nav_items(user)]


def test_demo_seed(frozen):
    from congress.demo import seed_core
    from plans import demo

    ctx = seed_core(today=frozen)
    demo.seed(ctx)
    demo.seed(ctx)  # idempotent
    plan = Plan.objects.get(kind=PlanKind.WORK_POINTS, year=2026)
    assert plan.items.count() == 22
    leaves = PlanItem.objects.filter(plan=plan).leaves()
    assert leaves.filter(lead_office__isnull=False, vice_chair__isnull=False).count() == 13
    assert ProgressEntry.objects.filter(item__plan=plan).exists()
    assert leaves.overdue(frozen).exists()
    assert leaves.filter(status="done").count() == 1
    assert leaves.filter(agenda_items__isnull=False).exists()
    assert Plan.objects.get(kind=PlanKind.SUPERVISION, year=2026).is_published
    # The demo staff account has work waiting on its home page.
    staff = ctx["users"]["staff"]
    assert widget(staff, "到期和逾期").count >= 1
