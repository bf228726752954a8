"""Accessibility of the key pages on the demo data, checked by axe-core (pinned in
package.json, vendored by `manage.py vendor_assets`): every control has a label, text
meets WCAG AA contrast, buttons and links have names; and a keyboard user sees where the
focus is on every element Tab reaches."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.conftest import _context, _watch
from tests.browser.test_layout import LAPTOP, PHONE, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
RULES = ["label", "color-contrast", "button-name", "link-name", "select-name", "input-button-name",
         "aria-input-field-name", "image-alt", "label-title-only", "form-field-multiple-labels"]
PAGES = {
    "staff": ["/", "/plans/items/", "/supervision/"],
    "assign": ["/", "/deputies/"],
    "director": ["/dashboard/"],
    "deputy1": ["/", "/deputies/suggestions/new/"],
    "unit1_head": ["/"],
}
AXE_RUN = """rules => axe.run(document, {runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))"""

# After a Tab, the focused element must show it: an outline or a focus ring (box-shadow).
FOCUS_JS = """() => { const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  return ring ? '' : el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' "' + (el.innerText || el.name || '').trim().slice(0, 20) + '"'; }"""


@pytest.fixture
def demo(live_server):
    if not AXE.exists():
        call_command("vendor_assets")
    call_command("seed_demo", quiet=True)
    return live_server.url


def _axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, RULES)


def _unfocused_after_tabs(page, presses: int = 25) -> list[str]:
    found = []
    for _step in range(presses):
        page.keyboard.press("Tab")
        where = page.evaluate(FOCUS_JS)
        if where:
            found.append(where)
    return found


def test_key_pages_have_labels_contrast_and_names(browser, demo):
    problems = []
    for viewport in (LAPTOP, PHONE):
        for username, paths in PAGES.items():
            # The check script is injected by the test; the page's own CSP stays as it is for users.
            context = _context(browser, viewport=viewport, bypass_csp=True)
            page = _watch(context.new_page())
            _sign_in(page, demo, username)
            for path in paths:
                page.goto(f"{demo}{path}")
                page.wait_for_load_state("networkidle")
                for violation in _axe_violations(page):
                    problems.append(f"{username} {path} {viewport['width']}px: {violation}")
            context.close()
    assert not problems, "\n".join(problems)


def test_keyboard_focus_is_always_visible(browser, demo):
    missing = []
    for username, paths in {"staff": ["/", "/plans/items/"], "deputy1": ["/deputies/suggestions/new/"]}.items():
        context = _context(browser, viewport=LAPTOP)
        page = _watch(context.new_page())
        _sign_in(page, demo, username)
        for path in paths:
            page.goto(f"{demo}{path}")
            page.wait_for_load_state("networkidle")
            missing += [f"{username} {path}: {where}" for where in _unfocused_after_tabs(page)]
        context.close()
    assert not missing, "focus not visible on:\n" + "\n".join(sorted(set(missing)))


BROKEN = """() => { const main = document.querySelector('main') || document.body;
  const box = document.createElement('div');
  box.innerHTML = '<input type="text" id="a11y-no-label">'
    + '<p id="a11y-faint">浅灰色的说明文字</p>'
    + '<a href="#" class="a11y-no-ring">无焦点框的链接</a>';
  main.prepend(box);
  box.querySelector('#a11y-faint').style.color = '#d8d8d8';
  const link = box.querySelector('.a11y-no-ring');
  link.style.outline = 'none'; link.style.boxShadow = 'none'; }"""


def test_the_checks_catch_a_broken_page(browser, demo):
    """The same checks, run on a page with a field without a label, text too faint to
    read and a link that hides its focus, report all three."""
    context = _context(browser, viewport=LAPTOP, bypass_csp=True)
    page = _watch(context.new_page())
    _sign_in(page, demo, "staff")
    page.goto(f"{demo}/")
    page.wait_for_load_state("networkidle")
    page.evaluate(BROKEN)
    found = " ".join(_axe_violations(page))
    assert "label: " in found and "#a11y-no-label" in found
    assert "color-contrast: " in found and "#a11y-faint" in found
    page.focus("#a11y-no-label")
    unfocused = _unfocused_after_tabs(page, presses=1)
    assert any("a11y-no-ring" in where for where in unfocused), unfocused
    context.close()
