"""Print what the reminder scan would send on a date, to whom, without writing anything."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from congress import reminder_engine, workdays


class Command(BaseCommand):
    help = "预览某日将发送的期限提醒（不写入任何数据）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD（默认今天，北京时间）")
        parser.add_argument("--rule", action="append", dest="rules", help="只看某条规则（可重复）")
        parser.add_argument(
            "--since", help="同时列出自该日起到期而尚未发送的提醒（补发），YYYY-MM-DD；默认只看当日"
        )

    def _date(self, value, name):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"--{name} 应为 YYYY-MM-DD：{value}") from exc

    def handle(self, *args, date=None, rules=None, since=None, **opts):
        day = self._date(date, "date") if date else workdays.today()
        start = self._date(since, "since") if since else day
        if start > day:
            raise CommandError("--since 不能晚于 --date")
        known = {r.code for r in reminder_engine.rules()}
        unknown = sorted(set(rules or []) - known)
        if unknown:
            raise CommandError(f"未知规则：{', '.join(unknown)}；可用：{', '.join(sorted(known))}")
        # Superseded steps are only logged, never sent (a later step of the same deadline goes out).
        unreached: list = []
        planned = reminder_engine.plan(day, since=start, rule_codes=rules, unreached=unreached)
        candidates = [c for c in planned if not c.superseded]
        working = "" if workdays.is_working_day(day) else "（非工作日）"
        self.stdout.write(f"{day:%Y-%m-%d}{working} 将发送 {len(candidates)} 条提醒：")
        for c in sorted(candidates, key=lambda c: (c.rule.code, c.object_id, c.step_key, c.recipient.pk)):
            late = f" 补发（原定 {c.planned_for:%m-%d}）" if c.late else ""
            self.stdout.write(
                f"  [{c.rule.code} / {c.step_key}] {c.record_label} · 期限 {c.due:%Y-%m-%d} → "
                f"{c.recipient}（{c.recipient.username}）{late}"
            )
        if unreached:
            self.stdout.write(f"无人接收（不发送，记入系统状态页）{len(unreached)} 条：")
            for u in sorted(unreached, key=lambda u: (u.rule.code, u.object_id, u.step_key)):
                self.stdout.write(f"  [{u.rule.code} / {u.step_key}] {u.record_label} · 期限 {u.due:%Y-%m-%d}")
