"""The foundation in a real browser: every role logs in and sees its own home page with
no console errors; the phone layout collapses the navigation without sideways scrolling;
htmx marks a message read; the English switch; the API docs work offline."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from congress.models import Meeting, Notification
from congress.workdays import today
from tests import factories as f
from tests.browser.conftest import PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = {
    "staff_user": "委室工作台",
    "assigning_clerk": "交办工作台",
    "director": "主任工作台",
    "vice_director": "副主任工作台",
    "deputy_user": "代表履职",
    "unit_clerk": "承办工作台",
    "unit_head": "承办单位负责人工作台",
    "admin_user": "系统管理",
}


@pytest.fixture
def meetings(term, office):
    soon = today() + dt.timedelta(days=20)
    standing = f.MeetingFactory(term=term, number=34, start_date=soon, lead_office=office,
                                name="第十七届人大常委会第三十四次会议")
    f.AgendaItemFactory(meeting=standing, title="关于全市义务教育优质均衡发展情况的报告")
    chair = f.MeetingFactory(term=term, kind=Meeting.Kind.CHAIRPERSONS, number=140, start_date=soon,
                             name="第十七届人大常委会主任会议第一百四十次")
    return standing, chair


def _no_horizontal_overflow(page):
    # clientWidth, not innerWidth: mobile emulation widens innerWidth to an overflowing page.
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"page is {width[0]}px wide in a {width[1]}px viewport"


@pytest.mark.parametrize("who", list(ROLES))
def test_each_role_sees_its_home_page(request, live_server, browser_page, meetings, who):
    user = request.getfixturevalue(who)
    Notification.objects.create(recipient=user, title="请查看第三十四次会议议程", url="/meetings/")
    page = login(browser_page, live_server, user.username, f.PASSWORD)
    assert page.url == live_server.url + "/"
    assert page.locator("h1").first.inner_text().startswith(ROLES[who])
    assert page.get_attribute("[data-home-role]", "data-home-role") == user.role
    # the core widgets, in scope
    body = page.inner_text("main")
    assert "请查看第三十四次会议议程" in body
    assert "第三十四次会议" in body
    assert ("主任会议第一百四十次" in body) == user.is_internal
    # the unread count in the header
    assert page.inner_text("#unread-badge") == "1"
    nav = page.inner_text("#mainnav")
    assert ("后台管理" in nav) == (who == "admin_user")
    assert ("接口文档" in nav) == user.is_internal
    # the stylesheet and scripts loaded (served by the app itself)
    assert page.evaluate("() => typeof htmx !== 'undefined' && typeof bootstrap !== 'undefined'")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.app-navbar')).backgroundColor") != \
        "rgba(0, 0, 0, 0)"


@pytest.mark.parametrize("who", ["staff_user", "deputy_user", "unit_clerk"])
def test_phone_layout(request, live_server, phone_page, meetings, who):
    user = request.getfixturevalue(who)
    page = login(phone_page, live_server, user.username, f.PASSWORD)
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    assert not page.locator("#mainnav").is_visible()
    _no_horizontal_overflow(page)
    toggler.click()
    page.locator("#mainnav .nav-link", has_text="会议").wait_for(state="visible")
    for path in ("/inbox/", "/meetings/", f"/meetings/{meetings[0].pk}/"):
        page.goto(live_server.url + path)
        _no_horizontal_overflow(page)


def test_mark_read_with_htmx_updates_the_badges_and_the_row(live_server, browser_page, staff_user):
    notes = [Notification.objects.create(recipient=staff_user, title=f"提醒{i}") for i in range(3)]
    page = login(browser_page, live_server, "staff", f.PASSWORD)
    page.goto(live_server.url + "/inbox/")
    assert page.inner_text("#unread-badge") == "3"
    row = page.locator(f"#note-{notes[1].pk}")
    with page.expect_response(lambda r: r.url.endswith("/inbox/read/")):
        row.get_by_role("button", name="标为已读").click()
    expect(page.locator("#unread-badge")).to_have_text("2")
    assert page.locator(f"#note-{notes[1].pk}").get_attribute("data-read") == "1"
    assert page.locator(f"#note-{notes[1].pk} [data-mark-read]").count() == 0
    assert page.locator("#unread-badge-mobile").inner_text() == "2"
    notes[1].refresh_from_db()
    assert notes[1].read_at is not None


def test_switch_to_english_and_back(live_server, browser_page, staff_user):
    page = login(browser_page, live_server, "staff", f.PASSWORD)
    page.click("#user-menu")
    with page.expect_navigation():
        page.click("button[name=language][value=en]")
    nav = page.text_content("#mainnav")  # with the entries folded under the "More" menu
    assert "Home" in nav and "Meetings" in nav and "首页" not in nav
    assert page.get_attribute("html", "lang") == "en"
    page.click("#user-menu")
    with page.expect_navigation():
        page.click("button[name=language][value=zh-hans]")
    assert "首页" in page.inner_text("#mainnav")


def test_wrong_password_in_the_browser(live_server, browser_page, staff_user):
    browser_page.goto(live_server.url + "/accounts/login/")
    browser_page.fill("#id_username", "staff")
    browser_page.fill("#id_password", "not-the-password")
    browser_page.click("main form button[type=submit]")
    browser_page.get_by_text("用户名或密码不正确。").wait_for()
    assert browser_page.input_value("#id_username") == "staff"
    assert browser_page.input_value("#id_password") == ""


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_api_docs_work_offline(live_server, browser_page, staff_user, path):
    outside = []

    def guard(route):
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    browser_page.route("**/*", guard)
    login(browser_page, live_server, "staff", f.PASSWORD)
    browser_page.goto(live_server.url + path)
    browser_page.locator("h1, h2", has_text="人大常委会工作计划管理系统 API").first.wait_for()
    if path.endswith("/docs/"):  # Swagger UI lists the operations
        browser_page.locator('[data-path="/api/v1/agenda-items/"]').first.wait_for()  # renders as it scrolls
    else:  # Redoc's side menu
        browser_page.locator("[role=menuitem]", has_text="meetings").first.wait_for()
    assert outside == [], f"the docs tried to reach other hosts: {outside}"


def test_overdue_list_keeps_titles_readable_on_a_phone(live_server, phone_page, director, office, unit):
    # Given an agenda item whose proposal is overdue (the leaders' overdue list shows it)
    meeting = f.MeetingFactory(start_date=today() + dt.timedelta(days=20), lead_office=office)
    f.AgendaItemFactory(meeting=meeting, lead_office=office, reporting_unit=unit,
                        title="关于保障性住房建设资金管理使用情况的报告")
    # When the director opens it on a phone
    page = login(phone_page, live_server, director.username, f.PASSWORD)
    page.goto(live_server.url + "/reminders/overdue/")
    # Then the title keeps most of the width (date and kind move under it)
    cell = page.locator("td.overdue-item").first
    assert "关于保障性住房建设资金管理使用情况的报告" in cell.inner_text()
    assert cell.bounding_box()["width"] > 200
    _no_horizontal_overflow(page)


def test_login_page_fits_a_phone(live_server, phone_page):
    # Given a phone; when the login page opens; then nothing scrolls sideways
    phone_page.goto(live_server.url + "/accounts/login/")
    phone_page.locator("#id_username").wait_for()
    # Mobile emulation widens innerWidth to the content: compare with the screen itself.
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
