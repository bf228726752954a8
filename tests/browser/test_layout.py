"""Layout of every role's main pages on the demo data, in one browser: at 390x844 (phone)
and 1366x900 (laptop) no page scrolls sideways, no visible element sits off-screen and the
console stays clean; in English the interface itself (menus, headings, buttons, table
headers, filter labels) has no Chinese left, only names from the records; the presentation
mode fills 1920x1080 without scrollbars and with whole chart labels. On a phone the
filter block starts folded and its multi-selects work by tapping."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from congress.models import HandlingUnit, Office, User
from tests.browser.conftest import _context, _watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo@2026"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
PAGES = {
    "staff": ["/", "/plans/", "/plans/items/", "/supervision/"],
    "assign": ["/", "/deputies/"],
    "director": ["/", "/dashboard/"],
    "vice": ["/"],
    "deputy1": ["/", "/deputies/"],
    "unit1_clerk": ["/", "/deputies/"],
    "unit1_head": ["/"],
}

# Elements off-screen on purpose: collapsed menus, the skip link, screen-reader text,
# anything inside a box that scrolls on its own, and the drawing inside a chart's svg.
OFFSCREEN_JS = """() => {
  const skip = '.visually-hidden, .skip-link, .hp-field, .dropdown-menu, .collapse:not(.show), .table-responsive, .modal';
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest(skip) || el.ownerSVGElement) continue;  // an svg clips its own drawing
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.right > innerWidth + 1 || r.left < -1) {
      out.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  return out.slice(0, 5);
}"""

# The interface's own words: menus, headings, buttons, table headers, labels, card titles.
CHROME_JS = """() => {
  const sel = 'nav .nav-link, .dropdown-item, h1, h2, h3, th, label, .form-label, legend, button, .btn, '
    + '.card-header, .page-count, .filter-chip-label, .todo-title, .todo-hint, .empty-state-title, .pagination';
  // A language's own name in the language switch is written in that language on purpose.
  return [...document.querySelectorAll(sel)]
    .filter(el => (el.offsetParent !== null || el.closest('.dropdown-menu')) && !el.closest('[lang]:not([lang^=en])'))
    .map(el => el.innerText.trim()).filter(Boolean);
}"""
CJK = re.compile(r"[\u3400-\u9fff]")


def _proper_names() -> list[str]:
    """Names in the demo records (people, offices, units) that stay Chinese in English."""
    names = {settings.INSTALLATION_NAME}
    for user in User.objects.all():
        names.update([user.display_name, user.get_full_name(), user.username])
    for model in (Office, HandlingUnit):
        for obj in model.objects.all():
            names.update(filter(None, [obj.name, getattr(obj, "short_name", "")]))
    return sorted((n for n in names if n), key=len, reverse=True)


def _untranslated(page, names) -> list[str]:
    """The interface's words on the page that are still Chinese once the names and record
    texts in `names` (longest first) are taken out."""
    found = []
    for text in page.evaluate(CHROME_JS):
        for name in names:
            text = text.replace(name, "")
        if CJK.search(text):
            found.append(text[:60])
    return found


def _sign_in(page, base, username, language="zh-hans"):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url, f"login as {username} failed"


def _check_layout(page, where, problems):
    width = page.evaluate("innerWidth")
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    if scroll > width:
        problems.append(f"{where}: page {scroll}px wide in a {width}px window")
    off = page.evaluate(OFFSCREEN_JS)
    if off:
        problems.append(f"{where}: off-screen {off}")


def _filter_by_touch(page, base, problems):
    """On a phone the filter block starts folded; a multi-select is ticked by tapping, and
    the active filter shows as a chip whose × takes it away again."""
    page.goto(f"{base}/plans/items/")
    body = page.locator(".filter-bar-body")
    if body.is_visible():
        problems.append("phone: the filter block is open before it is asked for")
    page.tap(".filter-toggle")
    body.wait_for(state="visible")
    page.tap(".multi-toggle")
    page.locator(".multi-menu label", has_text="推进中").tap()
    with page.expect_navigation():
        page.tap(".filter-actions button[type=submit]")
    if "status=in_progress" not in page.url:
        problems.append(f"phone: ticking 推进中 did not filter ({page.url})")
    chip = page.locator(".filter-chip", has_text="推进中")
    with page.expect_navigation():
        chip.locator(".filter-chip-remove").tap()
    if "in_progress" in page.url:
        problems.append(f"phone: the chip's × left the filter on ({page.url})")


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", quiet=True)
    return live_server.url


def test_every_role_fits_phone_and_laptop_and_english_chrome(browser, demo):
    problems, untranslated = [], set()
    names = _proper_names()
    for username, paths in PAGES.items():
        for viewport in (PHONE, LAPTOP):
            phone = viewport is PHONE
            context = _context(browser, viewport=viewport, has_touch=phone)
            page = _watch(context.new_page())
            _sign_in(page, demo, username)
            for path in paths:
                page.goto(f"{demo}{path}")
                page.wait_for_load_state("networkidle")
                _check_layout(page, f"{username} {path} {viewport['width']}px", problems)
            if phone and username == "staff":
                _filter_by_touch(page, demo, problems)
            problems.extend(f"{username} {viewport['width']}px {e}" for e in page.console_errors)
            context.close()
        # English: the laptop size, where the top bar used to overflow.
        context = _context(browser, viewport=LAPTOP)
        page = _watch(context.new_page())
        _sign_in(page, demo, username, language="en")
        for path in paths:
            page.goto(f"{demo}{path}")
            page.wait_for_load_state("networkidle")
            _check_layout(page, f"{username} {path} English", problems)
            untranslated.update(f"{path}: {text}" for text in _untranslated(page, names))
        problems.extend(f"{username} English {e}" for e in page.console_errors)
        context.close()
    assert not problems, "\n".join(problems)
    assert not untranslated, "Chinese left in the English interface:\n" + "\n".join(sorted(untranslated))


def test_presentation_mode_fills_one_screen_with_whole_labels(browser, demo):
    for viewport in ({"width": 1920, "height": 1080}, {"width": 3840, "height": 2160}):
        context = _context(browser, viewport=viewport)
        page = _watch(context.new_page())
        _sign_in(page, demo, "director")
        page.goto(f"{demo}/dashboard/present/")
        page.locator("[data-chart][data-rendered]").nth(6).wait_for()  # seven charts drawn (no eval under CSP)
        sizes = page.evaluate("""() => { const s = document.scrollingElement;
          return [s.scrollWidth, s.scrollHeight, innerWidth, innerHeight]; }""")
        assert sizes[0] <= sizes[2] and sizes[1] <= sizes[3], f"presentation scrolls at {viewport}: {sizes}"
        background = page.evaluate("getComputedStyle(document.querySelector('.chart-card')).backgroundColor")
        assert background != "rgb(255, 255, 255)", "charts are white cards on the dark page"
        labels = page.evaluate("[...document.querySelectorAll('[data-chart] svg text')].map(t => t.textContent)")
        assert labels, "charts draw their labels as text"
        cut = [t for t in labels if t.endswith("...") or t.endswith("…")]
        assert not cut, f"chart labels cut: {cut}"
        errors = list(page.console_errors)
        context.close()
        assert not errors, errors
