"""Take the README's screenshots from the demo data.

    manage.py screenshots [--out docs/screenshots] [--keep]

Seeds the demo into a throwaway data folder (its own SQLite database and broker folder,
never the working database), starts the app on a free local port, signs in with the demo
accounts and saves three PNGs with Playwright driving /usr/bin/chromium:

- deputy-phone.png: a deputy's home page on a 390x844 phone;
- staff-list.png: the committee staff's plan-item list at 1366x900;
- leaders-dashboard.png: the director's dashboard in presentation mode at 1920x1080.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Demo@2026"
SHOTS = [
    # file, account, path, viewport, phone
    ("deputy-phone.png", "deputy1", "/", {"width": 390, "height": 844}, True),
    ("staff-list.png", "staff", "/plans/items/", {"width": 1366, "height": 900}, False),
    ("leaders-dashboard.png", "director", "/dashboard/present/", {"width": 1920, "height": 1080}, False),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.3)
    raise CommandError(f"the app did not answer at {url}")


def _has_chinese_font() -> bool:
    try:
        found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return True  # fontconfig cannot be asked: let Chromium try
    return bool(found.stdout.strip())


class Command(BaseCommand):
    help = "Seed the demo into a throwaway database, start the app and save the README screenshots."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"))
        parser.add_argument("--keep", action="store_true", help="keep the throwaway data folder")
        parser.add_argument("--language", default="zh-hans")

    def handle(self, *args, out, keep, language, **options):
        if not os.path.exists(CHROMIUM):
            raise CommandError(f"{CHROMIUM} is missing (apt-get install chromium)")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise CommandError("the playwright package is missing (pip install -e '.[dev]')") from exc
        if language.startswith("zh") and not _has_chinese_font():
            # Without one Chromium draws every character as an empty box.
            raise CommandError("no Chinese font is installed (apt-get install fonts-noto-cjk)")

        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        var_dir = Path(tempfile.mkdtemp(prefix="congress-shots-"))
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update({"APP_VAR_DIR": str(var_dir), "DJANGO_DEBUG": "1", "CELERY_TASK_ALWAYS_EAGER": "1"})
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        server = None
        try:
            self.stdout.write(f"seeding the demo into {var_dir}")
            subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
            subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(
                [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            _wait(f"{base}/accounts/login/")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
                for name, account, path, viewport, phone in SHOTS:
                    context = browser.new_context(
                        viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai",
                        device_scale_factor=2 if phone else 1, is_mobile=phone, has_touch=phone,
                    )
                    page = context.new_page()
                    page.goto(f"{base}/accounts/login/")
                    if language != "zh-hans":
                        page.evaluate(f"document.cookie = 'django_language={language}; path=/'")
                    page.fill("#id_username", account)
                    page.fill("#id_password", PASSWORD)
                    with page.expect_navigation():
                        page.click("main form button[type=submit]")
                    page.goto(f"{base}{path}")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(600)  # chart animations settle
                    page.screenshot(path=str(out_dir / name))
                    context.close()
                    self.stdout.write(f"saved {out_dir / name}")
                browser.close()
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=10)
            if keep:
                self.stdout.write(f"data kept in {var_dir}")
            else:
                shutil.rmtree(var_dir, ignore_errors=True)
