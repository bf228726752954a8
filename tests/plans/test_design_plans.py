"""Figures about plans say what a leader understands: not started is not under way, a plan
cannot be late before it exists, and the plan list and page count the same things."""

import datetime as dt

import pytest

from congress import reminder_engine
from dashboards.charts import plan_progress
from plans.choices import ItemStatus, ItemType, PeriodKind

from .conftest import add_item

pytestmark = pytest.mark.django_db


def _series(chart, name):
    return next(s["data"] for s in chart["series"] if s["name"] == name)


def test_plan_chart_tells_not_started_from_under_way(frozen, plan, office, director):
    section = add_item(plan, "强化监督")
    add_item(plan, "听取财政报告", parent=section, office=office, period_kind=PeriodKind.MONTH, month=11)
    add_item(plan, "执法检查", parent=section, office=office, period_kind=PeriodKind.MONTH, month=10,
             status=ItemStatus.IN_PROGRESS)
    chart = plan_progress(2026, director)
    assert _series(chart, "未开始") == [1]
    assert _series(chart, "推进中") == [1]


def test_plan_item_is_not_overdue_before_its_plan_was_approved(frozen, plan, office):
    plan.approved_on = dt.date(2026, 2, 10)
    plan.save()
    # Planned for January: a meeting should have been linked by 2025-12-01, before the plan existed.
    add_item(plan, "审议某条例草案", office=office, period_kind=PeriodKind.MONTH, month=1,
             item_type=ItemType.LEGISLATION)
    listed = [i for i in reminder_engine.overdue_items(dt.date(2026, 6, 17)) if i.record.plan_id == plan.pk]
    assert listed, "the item is still late, counted from the approval"
    assert all(i.due >= dt.date(2026, 2, 10) for i in listed)


def test_plan_list_and_plan_page_count_the_same_items(frozen, plan, office, client_as, staff_user):
    section = add_item(plan, "强化监督")
    for month in (3, 4, 5):
        add_item(plan, f"事项{month}", parent=section, office=office, period_kind=PeriodKind.MONTH, month=month)
    client = client_as(staff_user)
    listing = client.get("/plans/").content.decode()
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "共3个事项" in page
    assert f'?plan={plan.pk}">3</a>' in listing


def test_staff_home_counts_plan_work_waiting_and_overdue(frozen, plan, office, staff_user, client_as):
    from tests.deputies.test_design_deputies import _todo_counts

    section = add_item(plan, "强化监督")
    add_item(plan, "听取财政报告", parent=section, office=office, period_kind=PeriodKind.MONTH, month=3)
    add_item(plan, "执法检查", parent=section, office=office, period_kind=PeriodKind.MONTH, month=10)
    counts = _todo_counts(client_as(staff_user).get("/").content.decode())
    assert counts["待报送进度的计划事项"] == 2
    assert counts["逾期的计划事项"] == 1
