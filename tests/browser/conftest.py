"""Shared browser fixtures: headless Debian Chromium driven by Playwright's sync API.

- `browser`: one Chromium for the whole session.
- `browser_context` / `browser_page`: a fresh context per test (zh-CN, Beijing time,
  desktop size); `browser_page` fails the test on any console error or page error.
- `phone_page`: the same at 375x812 with touch, for phone layouts.
- `login(page, base_url, username, password)`: signs in through the real login form;
  `base_url` may be pytest-django's `live_server` or a URL string.

Without /usr/bin/chromium the browser tests are skipped, unless REQUIRE_BROWSER=1 (CI),
in which case they fail."""

import os

import pytest

# Playwright's sync API runs an asyncio loop in the test thread; the test's own ORM calls
# are ordinary synchronous ones, made between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required (REQUIRE_BROWSER=1) but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    pw = sync_playwright().start()
    try:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:  # pragma: no cover - depends on the machine
        pw.stop()
        _unavailable(f"Chromium did not start: {exc}")
    yield instance
    instance.close()
    pw.stop()


def _context(browser, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(15_000)
    return context


def _watch(page):
    """Collect console errors and uncaught page errors on `page.console_errors`."""
    errors = []

    def on_console(msg):
        if msg.type == "error":
            location = msg.location or {}
            errors.append(f"console: {msg.text} ({location.get('url', '')}:{location.get('lineNumber', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.console_errors = errors
    return page


def _finish(page, context):
    errors = list(page.console_errors)
    context.close()
    if errors:
        pytest.fail("browser console errors:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def browser_context(browser):
    context = _context(browser, viewport=DESKTOP)
    yield context
    context.close()


@pytest.fixture
def browser_page(browser):
    context = _context(browser, viewport=DESKTOP)
    page = _watch(context.new_page())
    yield page
    _finish(page, context)


@pytest.fixture
def phone_page(browser):
    context = _context(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = _watch(context.new_page())
    yield page
    _finish(page, context)


def login(page, base_url, username, password):
    """Sign in through the login form and wait for the home page."""
    base = str(getattr(base_url, "url", base_url)).rstrip("/")
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if "/accounts/login/" in page.url:
        raise AssertionError(f"login as {username} failed: {page.inner_text('main')[:200]}")
    if "/accounts/two-factor/" in page.url:
        # Administrators set up their authenticator first: read the secret as the app would.
        from base64 import b32decode

        from django_otp.oath import totp

        secret = page.inner_text("[data-otp-secret]")
        page.fill("#id_code", f"{totp(b32decode(secret)):06d}")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
    return page
