"""Under the strict Content-Security-Policy the main pages work in a real browser: no
"Content Security Policy" error on the console and no securitypolicyviolation event, on
each role's home, a filtered list with htmx rows, a detail, the charts, the API docs and
the admin."""

import pytest

from plans.choices import PlanKind
from plans.models import Plan
from tests import factories as f
from tests.browser.conftest import login
from tests.plans.conftest import add_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded before any page script runs; the init script is not subject to the page's CSP.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


def _visit(page, url, ready=None, timeout=15_000):
    resp = page.goto(url)
    assert resp.status == 200, f"{url}: HTTP {resp.status}"
    if ready:
        page.wait_for_selector(ready, state="attached", timeout=timeout)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations")
    csp_errors = [e for e in page.console_errors if "Content Security Policy" in e]
    assert not violations and not csp_errors, f"{url}:\n" + "\n".join(violations + csp_errors)


@pytest.fixture
def csp_page(browser_page):
    browser_page.add_init_script(WATCH_VIOLATIONS)
    return browser_page


def test_main_pages_raise_no_csp_violation(live_server, browser, csp_page, staff_user, office, deputy_user,
                                           unit_clerk, director, admin_user):
    base = live_server.url
    plan = Plan.objects.create(kind=PlanKind.WORK_POINTS, year=2026, title="江州市人大常委会2026年工作要点",
                               owner_office=office, created_by=staff_user, is_published=True)
    item = add_item(plan, "制定江州市物业管理条例", office=office, progress=40)
    add_item(plan, "听取审议全市义务教育优质均衡发展情况的报告", parent=item, office=office)

    page = csp_page
    _visit(page, f"{base}/accounts/login/")
    login(page, base, staff_user.username, f.PASSWORD)
    _visit(page, f"{base}/")
    _visit(page, f"{base}/plans/items/?year=2026&lead_office={office.pk}", ready="progress.app-progress")
    # The progress is a <progress> element's value, not a width in an inline style.
    assert page.eval_on_selector("progress.app-progress", "el => el.value") == 40
    _visit(page, f"{base}/plans/items/{item.pk}/")
    _visit(page, f"{base}/plans/{plan.pk}/")
    _visit(page, f"{base}/api/v1/docs/", ready=".swagger-ui .opblock-tag", timeout=60_000)
    # Redoc renders its menu once the (large) schema has loaded.
    _visit(page, f"{base}/api/v1/redoc/", ready="text=plans", timeout=60_000)

    for user in (deputy_user, unit_clerk):
        page.context.clear_cookies()
        login(page, base, user.username, f.PASSWORD)
        _visit(page, f"{base}/")

    page.context.clear_cookies()
    login(page, base, director.username, f.PASSWORD)
    _visit(page, f"{base}/")
    _visit(page, f"{base}/dashboard/?year=2026", ready="[data-dashboard] canvas")
    _visit(page, f"{base}/deputies/statistics/")

    page.context.clear_cookies()
    login(page, base, admin_user.username, f.PASSWORD)
    _visit(page, f"{base}/admin/")
    _visit(page, f"{base}/admin/congress/meeting/add/")
