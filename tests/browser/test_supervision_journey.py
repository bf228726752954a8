"""Staff record a special work report heard at a meeting, issue the deliberation opinions,
record the body's handling report and the members' satisfaction vote, in the real pages."""

import datetime as dt

import pytest

from congress.models import AgendaItem, Meeting
from congress.roles import Role
from congress.workdays import today
from supervision.choices import ItemStatus, OpinionStatus, VoteResult
from supervision.models import SupervisionItem
from tests import factories as f
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seed():
    office = f.OfficeFactory(name="教育科学文化卫生工作委员会", short_name="教科文卫工委")
    staff = f.UserFactory(username="staff", name="陈雅琴", role=Role.STAFF, office=office)
    unit = f.HandlingUnitFactory(name="江州市教育局")
    f.UserFactory(username="unit1_clerk", name="周敏", role=Role.UNIT_CLERK, unit=unit)
    term = f.TermFactory()
    now = today()
    meeting = f.MeetingFactory(term=term, number=29, start_date=now - dt.timedelta(days=6), status=Meeting.Status.HELD)
    chair = f.MeetingFactory(term=term, kind=Meeting.Kind.CHAIRPERSONS, number=130, start_date=now - dt.timedelta(days=2))
    agenda = f.AgendaItemFactory(meeting=meeting, title="关于全市义务教育优质均衡发展情况的报告",
                                 kind=AgendaItem.Kind.SPECIAL_REPORT, lead_office=office, reporting_unit=unit)
    return staff, meeting, chair, agenda


def test_staff_record_report_opinions_handling_report_and_vote(live_server, browser_page):
    staff, meeting, chair, agenda = _seed()
    page = login(browser_page, live_server, "staff", f.PASSWORD)
    base = live_server.url

    # From the meeting's supervision page, the office creates the item for the agenda item.
    page.goto(f"{base}/supervision/meetings/{meeting.pk}/")
    assert "尚未建立监督事项的议题" in page.inner_text("main")
    with page.expect_navigation():
        page.click("a:has-text('建立监督事项')")
    assert page.input_value("#id_title") == agenda.title
    assert page.input_value("#id_kind") == "special_report"
    with page.expect_navigation():
        page.click("form[data-item-form] button[type=submit]")
    assert "已新建监督事项" in page.inner_text("main")
    item = SupervisionItem.objects.get(title=agenda.title)
    assert item.meeting == meeting and item.hearing_date == meeting.start_date
    assert "报告初稿报送常委会" in page.inner_text("[data-steps]")

    # Opinions compiled after the hearing ...
    with page.expect_navigation():
        page.click("a.btn:has-text('汇总审议意见')")
    page.fill("#id_text", "一、进一步优化教育资源配置。\n二、加强乡村教师队伍建设。")
    page.fill("#id_compiled_on", f"{meeting.start_date + dt.timedelta(days=1):%Y-%m-%d}")
    with page.expect_navigation():
        page.click("form[data-action] button[type=submit]")
    # ... approved by the council of chairpersons ...
    with page.expect_navigation():
        page.click("a:has-text('记录主任会议通过')")
    page.select_option("#id_approval_meeting", str(chair.pk))
    with page.expect_navigation():
        page.click("form[data-action] button[type=submit]")
    # ... and issued to the body in person.
    with page.expect_navigation():
        page.click("a:has-text('交办审议意见')")
    page.check("#id_in_person")
    with page.expect_navigation():
        page.click("form[data-action] button[type=submit]")
    assert "审议意见已交办" in page.inner_text("main")
    assert page.inner_text("[data-opinion='1'] [data-opinion-status]") == "已交办"

    # The body's handling report, received on paper, is recorded by the office.
    with page.expect_navigation():
        page.click("a:has-text('报送研究处理情况')")
    page.fill("#id_report_text", "已制定整改方案，新建学校3所，补充教师120名。")
    with page.expect_navigation():
        page.click("form[data-action] button[type=submit]")
    assert "补充教师120名" in page.inner_text("[data-report-text]")

    # The satisfaction vote: exactly half 满意 is not 满意 (domain §3), shown with the rule.
    with page.expect_navigation():
        page.click("a:has-text('记录满意度测评')")
    assert "满意票超过全体组成人员半数" in page.inner_text("[data-vote-rule]")
    page.fill("#id_voted_on", f"{today():%Y-%m-%d}")
    page.fill("#id_members_total", "40")
    page.fill("#id_satisfied", "20")
    page.fill("#id_basically_satisfied", "12")
    page.fill("#id_dissatisfied", "3")
    with page.expect_navigation():
        page.click("form[data-action] button[type=submit]")
    assert page.inner_text("[data-votes] [data-vote-result]") == "基本满意"
    assert "满意20票未超过半数（20）" in page.inner_text("[data-votes]")

    item.refresh_from_db()
    opinion = item.opinions.get()
    assert item.status == ItemStatus.REPORTED
    assert opinion.status == OpinionStatus.REPORTED and opinion.issued_in_person and opinion.approval_meeting == chair
    assert item.votes.get().result == VoteResult.BASICALLY_SATISFIED


def test_a_wrong_vote_keeps_the_input(live_server, browser_page):
    staff, meeting, chair, agenda = _seed()
    from supervision import services

    item = services.item_create(actor=staff, kind="special_report", title=agenda.title, agenda_item=agenda)
    page = login(browser_page, live_server, "staff", f.PASSWORD)
    page.goto(f"{live_server.url}/supervision/{item.pk}/act/vote/")
    page.fill("#id_voted_on", f"{today():%Y-%m-%d}")
    page.fill("#id_members_total", "10")
    page.fill("#id_satisfied", "8")
    page.fill("#id_basically_satisfied", "5")
    page.fill("#id_dissatisfied", "0")
    page.click("form[data-action] button[type=submit]")
    page.wait_for_selector("[data-field-error='dissatisfied']")
    assert page.input_value("#id_satisfied") == "8"
