"""Staff of the 法工委 draw up the year's legislative plan, add a regulation and take it
from 立项 through the readings (each at a standing-committee meeting's agenda item),
the vote and the provincial approval to 公布, in the real pages at 1366×900."""

import pytest
from django.utils import timezone

from congress.models import AgendaItem, Meeting
from congress.roles import Role
from legislation.models import RegulationProject
from tests import factories as f
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_take_a_regulation_from_the_plan_to_publication(live_server, browser_page, settings):
    settings.LEGISLATION_ENABLED = True
    settings.LEGISLATION_READINGS = 3
    settings.LEGISLATION_NEEDS_APPROVAL = True
    legal = f.OfficeFactory(name="法制工作委员会", short_name="法工委")
    f.UserFactory(username="legal", name="钟立法", role=Role.STAFF, office=legal)
    today = timezone.localdate()
    term = f.TermFactory()
    agenda = []
    for n in range(3):
        meeting = f.MeetingFactory(term=term, number=40 + n, start_date=today, status=Meeting.Status.HELD)
        agenda.append(f.AgendaItemFactory(meeting=meeting, title=f"关于《江州市养犬管理条例（草案）》的议案{n + 1}",
                                          kind=AgendaItem.Kind.REGULATION))
    page = login(browser_page, live_server, "legal", f.PASSWORD)
    base = live_server.url
    assert page.viewport_size == {"width": 1366, "height": 900}

    # The nav leads to the plans; a new plan for the year, adopted by the 主任会议.
    with page.expect_navigation():
        page.click("nav a:has-text('立法')")
    with page.expect_navigation():
        page.click("[data-plan-create]")
    page.select_option("#id_kind", "annual")
    page.fill("#id_year", str(today.year))
    page.select_option("#id_status", "adopted")
    with page.expect_navigation():
        page.click("form[data-plan-form] button[type=submit]")
    # A refusal next to the field: an adopted plan needs its date.
    assert "已通过的计划请填写通过日期" in page.inner_text("[data-field-error='adopted_on']")
    page.fill("#id_adopted_on", today.isoformat())
    with page.expect_navigation():
        page.click("form[data-plan-form] button[type=submit]")
    assert f"{today.year}年度立法计划" in page.inner_text("h1")

    # A regulation in the plan.
    with page.expect_navigation():
        page.click("[data-project-create]")
    page.fill("#id_title", "《江州市养犬管理条例》")
    page.select_option("#id_category", "first")
    page.select_option("#id_kind", "enact")
    page.fill("#id_drafting_body", "市公安局")
    with page.expect_navigation():
        page.click("form[data-project-form] button[type=submit]")
    assert "《江州市养犬管理条例》" in page.inner_text("h1")
    assert "未立项" in page.inner_text("[data-current-step]")

    readings = iter(agenda)
    expected = ["立项", "起草", "提请审议", "一审", "二审", "三审", "表决", "报省人大常委会批准", "公布"]
    for label in expected:
        form = page.locator("[data-action='advance']")
        assert label in form.locator("h3").inner_text()
        if label in ("一审", "二审", "三审"):
            form.locator("#id_agenda_item").select_option(str(next(readings).pk))
        with page.expect_navigation():
            form.locator("[data-advance]").click()
        assert label in page.inner_text("[data-current-step]")
        if label == "报省人大常委会批准":
            # Publication needs the province's approval first.
            with page.expect_navigation():
                page.locator("[data-action='approve'] button[type=submit]").click()
    assert "已完成" in page.inner_text("[data-project-status]")
    timeline = page.inner_text("[data-step-timeline]")
    assert agenda[0].title in timeline and agenda[2].title in timeline
    project = RegulationProject.objects.get()
    assert project.current_step == "publication" and project.published_on == today
    assert list(project.steps.order_by("id").values_list("agenda_item_id", flat=True))[3:6] == [a.pk for a in agenda]

    # The plan page lists it under its category with its step.
    page.goto(f"{base}{project.plan.get_absolute_url()}")
    row = page.inner_text("[data-category='first']")
    assert "《江州市养犬管理条例》" in row and "公布" in row and "市公安局" in row
