"""A leader opens the year dashboard: the figures and charts come from the API and render
without console errors, and a click on a figure opens the list behind it with the same count."""

import datetime as dt

import pytest

from congress.models import AgendaItem, Meeting
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025


def _seed():
    from congress.roles import Role

    leader = f.UserFactory(username="director", name="张国强", role=Role.DIRECTOR)
    term = f.TermFactory()
    held = []
    for month in (2, 4, 6):
        m = f.MeetingFactory(term=term, kind=Meeting.Kind.STANDING, status=Meeting.Status.HELD,
                             start_date=dt.date(YEAR, month, 20))
        f.AgendaItemFactory(meeting=m, kind=AgendaItem.Kind.SPECIAL_REPORT)
        held.append(m)
    f.MeetingFactory(term=term, kind=Meeting.Kind.STANDING, status=Meeting.Status.CANCELLED,
                     start_date=dt.date(YEAR, 8, 20))
    f.MeetingFactory(term=term, kind=Meeting.Kind.CHAIRPERSONS, status=Meeting.Status.HELD,
                     start_date=dt.date(YEAR, 3, 3))
    f.MeetingFactory(term=term, kind=Meeting.Kind.STANDING, status=Meeting.Status.HELD,
                     start_date=dt.date(YEAR - 1, 10, 20))
    return leader


@pytest.fixture
def browser_page(browser):
    # The session's one Chromium (tests/browser/conftest.py): a second Playwright in the
    # same thread cannot start while that one runs.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _login(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        # the navbar has language buttons too: submit the login form itself
        page.click("form:has(input[name=password]) button[type=submit]")
    assert "/accounts/login/" not in page.url, "signed in"


def test_leader_opens_the_dashboard_and_drills_into_a_figure(live_server, browser_page):
    _seed()
    page = browser_page
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # given a leader signed in
    _login(page, live_server, "director", f.PASSWORD)

    # when they open the year dashboard
    page.goto(f"{live_server.url}/dashboard/?year={YEAR}")

    # then the figures come from the API, with last year beside them
    card = page.locator('[data-figure="standing_meetings"]')
    card.wait_for()
    assert card.locator(".figure-number").inner_text() == "3"
    assert "2024年：1" in card.locator(".figure-previous").inner_text()
    assert page.locator('[data-figure="chairpersons_meetings"] .figure-number').inner_text() == "1"
    # with the time the numbers were counted
    assert page.locator("[data-computed]").inner_text().startswith("数据更新于 ")

    # and every chart renders on a canvas
    # Locator waits poll without eval (the page's CSP forbids it): the seventh drawn chart, then all seven.
    page.locator('[data-chart][data-rendered="1"]').nth(6).wait_for()
    assert page.locator('[data-chart][data-rendered="1"]').count() == 7
    assert page.locator("[data-chart] canvas").count() >= 7

    # when they click a figure, the list behind it shows the same count
    with page.expect_navigation():
        card.click()
    assert f"/dashboard/records/standing_meetings/?year={YEAR}" in page.url
    assert page.locator('[data-figure-value="standing_meetings"]').inner_text() == "3"
    assert page.locator("tr[data-record]").count() == 3

    # the same for a figure of another kind
    page.go_back()
    reports = page.locator('[data-figure="reports_heard"]')
    reports.wait_for()
    shown = reports.locator(".figure-number").inner_text()
    with page.expect_navigation():
        reports.click()
    assert page.locator('[data-figure-value="reports_heard"]').inner_text() == shown == "3"

    relevant = [e for e in errors if "favicon" not in e]
    assert relevant == []


def test_presentation_mode_renders_full_screen(live_server, browser_page):
    _seed()
    page = browser_page
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(page, live_server, "director", f.PASSWORD)
    page.goto(f"{live_server.url}/dashboard/present/?year={YEAR}&refresh=15")
    page.locator('[data-figure="standing_meetings"]').wait_for()
    # Locator waits poll without eval (the page's CSP forbids it): the seventh drawn chart, then all seven.
    page.locator('[data-chart][data-rendered="1"]').nth(6).wait_for()
    assert page.locator('[data-chart][data-rendered="1"]').count() == 7
    assert page.locator(".app-navbar").count() == 0
    assert page.locator("[data-updated]").inner_text() != "—"
    assert errors == []
