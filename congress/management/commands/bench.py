"""Generate a province's ten years of records and measure the hot paths against their floors."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from congress.bench import data, measure


class Command(BaseCommand):
    help = "生成 N 件建议（及计划、监督事项）的基准数据并测量列表、详情、仪表盘、提醒扫描和导出的性能。"

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=100_000, help="建议件数（计划事项 N/20，监督事项 N/100）")
        parser.add_argument("--quick", action="store_true", help="少量轮次，用于检查基准能否运行")
        parser.add_argument("--no-generate", action="store_true", help="不生成数据，只测量现有数据")
        parser.add_argument("--generate-only", action="store_true", help="只生成数据")
        parser.add_argument("--skip", action="append", default=[], help="跳过某一行（可重复），如 export")
        parser.add_argument("--rounds", type=int, default=5, help="每行交替测量的轮数")
        parser.add_argument("--heavy-rounds", type=int, default=3, help="详情页、仪表盘、提醒扫描的轮数")
        parser.add_argument("--explain", action="store_true", help="打印建议列表查询的执行计划（PostgreSQL）")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "bench" / "result.json"))

    def handle(self, *args, n, quick, no_generate, generate_only, skip, explain, output, rounds, heavy_rounds, **opts):
        if n < 1:
            raise CommandError("--n 必须为正数")
        counts = data.counts()
        if not no_generate:
            self.stdout.write(f"generating up to {n:,} suggestions …")
            counts = data.generate(n, log=self.stdout.write)
            self.stdout.write(f"data: {counts}")
        if generate_only:
            return
        cfg = (measure.Settings(rounds=2, per_round=2, heavy_rounds=1) if quick
               else measure.Settings(rounds=rounds, heavy_rounds=heavy_rounds))
        info = measure.machine()
        self.stdout.write(f"machine: {info}")
        rows = measure.run(cfg, skip=set(skip), log=self.stdout.write)
        if explain and info["database"] == "postgresql":
            for role, username in (("office", "assign"), ("unit", "unit1_clerk"), ("deputy", "deputy1")):
                self.stdout.write(f"EXPLAIN suggestion list as {role}:")
                for line in measure.explain(measure._user(username)):
                    self.stdout.write("  " + line)
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(measure.as_json(rows, counts, info), ensure_ascii=False, indent=2, default=str))
        self.stdout.write(f"written {path}")
