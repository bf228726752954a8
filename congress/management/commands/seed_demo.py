"""Create the demo data (idempotent) and print the demo accounts."""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from congress import reminder_engine
from congress.demo import DEMO_PASSWORD, seed_core


class Command(BaseCommand):
    help = "Create demo data of a city committee and one account per role."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, quiet=False, **opts):
        link_sources = []
        with transaction.atomic():
            ctx = seed_core()
            for config in apps.get_app_configs():
                if config.name == "congress":
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(ctx)
                if hasattr(module, "links"):
                    link_sources.append(module.links)
            # Public comment on drafts lives in legislation/demo_consultation.py (next to the projects' demo).
            importlib.import_module("legislation.demo_consultation").seed(ctx)
        # Run the deadline scan once so the demo inboxes already hold the reminders of the
        # next session's preparation (and whatever the apps' rules find due).
        sent = reminder_engine.run()
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号（密码均为 %s）：" % DEMO_PASSWORD))
        for username, desc in ctx["accounts"]:
            self.stdout.write(f"  {username:<12} {desc}")
        self.stdout.write(f"期限提醒扫描：发送 {sent} 条。")
        base = settings.PUBLIC_BASE_URL or "http://127.0.0.1:8000"
        for links in link_sources:
            for label, path in links():
                self.stdout.write(f"{label}：{base}{path}")
