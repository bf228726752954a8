"""Measure the hot paths against their floors in the same run.

Requests go through Django's full WSGI stack in process (the test client: middleware,
session, authentication, templates), so a list and its floor — a plain JSON view behind
the same middleware — are served by the same code path and only the view differs. Each
row alternates rounds of the floor and of the path and takes the medians; a ratio is
floor time ÷ path time (the share of the floor's request rate the path reaches)."""

from __future__ import annotations

import datetime as dt
import io
import os
import platform
import resource
import statistics
import time
import tracemalloc
from dataclasses import asdict, dataclass, field

from django.db import connection, connections, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.workdays import today

DEMO_USERS = {"office": "assign", "unit": "unit1_clerk", "deputy": "deputy1", "staff": "staff", "leader": "director"}


@dataclass
class Row:
    key: str
    label: str
    value: float | None  # seconds per request (or per run) of the path
    floor: float | None = None  # seconds per request of the floor
    unit: str = "s"
    target: str = ""
    met: bool | None = None
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.value or not self.floor:
            return None
        return self.floor / self.value


@dataclass
class Settings:
    rounds: int = 5
    per_round: int = 5
    heavy_rounds: int = 3
    export_rows: int = 100_000


def _clients(users: dict) -> dict[str, Client]:
    from congress.models import User

    clients = {}
    for role, username in users.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        c = Client()
        c.force_login(user)
        clients[role] = c
    return clients


def _get(client: Client, url: str):
    resp = client.get(url)
    if resp.status_code != 200:
        raise RuntimeError(f"GET {url} answered {resp.status_code}")
    if getattr(resp, "streaming", False):
        for _chunk in resp.streaming_content:
            pass
    return resp


def _seconds(fn, k: int) -> float:
    t0 = time.perf_counter()
    for _ in range(k):
        fn()
    return (time.perf_counter() - t0) / k


def alternate(path_fn, floor_fn, rounds: int, k: int) -> tuple[float, float]:
    """Median seconds per call of the path and of its floor, measured in alternating rounds."""
    path_fn()
    floor_fn()  # warm caches of both before timing
    paths, floors = [], []
    for _ in range(rounds):
        floors.append(_seconds(floor_fn, k))
        paths.append(_seconds(path_fn, k))
    return statistics.median(paths), statistics.median(floors)


def queries(fn, floor_fn=None) -> int:
    """Queries of one call (warm), less those of the floor (session and user lookups)."""
    fn()
    reset_queries()  # the query log is a bounded deque: start from empty so indexes hold
    with CaptureQueriesContext(connection) as ctx:
        fn()
    count = len(ctx.captured_queries)
    return count - (queries(floor_fn) if floor_fn is not None else 0)


def peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def peak_rss_mb(fn) -> tuple[float, float] | None:
    """(resident memory before, peak resident memory) in MB of a forked copy of this process
    that runs fn: the whole process's memory, C libraries included, at full speed. None
    inside a transaction (a test's), whose rows a forked process's own connection can't see."""
    if connection.in_atomic_block or not os.path.exists("/proc/self/statm"):
        return None
    connections.close_all()
    with open("/proc/self/statm") as f:  # resident pages now (ru_maxrss is the peak so far)
        before = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            fn()
            code = 0
        finally:
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("the export failed in its forked process")
    return before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run(settings: Settings | None = None, users: dict | None = None, *, http_only: bool = False,
        skip: set[str] | None = None, log=print) -> list[Row]:
    settings = settings or Settings()
    skip = skip or set()
    with override_settings(ROOT_URLCONF="congress.bench.urls", ALLOWED_HOSTS=["testserver", "localhost"]):
        return _run(settings, users or DEMO_USERS, skip, log)


def _run(cfg: Settings, users: dict, skip: set[str], log) -> list[Row]:
    from deputies.models import Suggestion

    clients = _clients(users)
    year = today().year - 1
    rows: list[Row] = []

    def floor_of(role):
        return lambda: _get(clients[role], "/bench/floor/")

    def add(row: Row):
        rows.append(row)
        log(format_row(row))

    # ---------------------------------------------------------------- API lists
    lists = [
        ("api_suggestions_office", "office", f"/api/v1/deputies/suggestions/?status=closed&year={year}&page_size=20",
         "建议列表 API（交办机构）"),
        ("api_suggestions_unit", "unit", f"/api/v1/deputies/suggestions/?status=closed&year={year}&page_size=20",
         "建议列表 API（承办单位）"),
        ("api_suggestions_deputy", "deputy", f"/api/v1/deputies/suggestions/?status=closed&year={year}&page_size=20",
         "建议列表 API（代表）"),
        ("api_plan_items", "staff", "/api/v1/plans/items/?page_size=20", "计划事项列表 API"),
        ("api_supervision_items", "staff", "/api/v1/supervision/items/?page_size=20", "监督事项列表 API"),
    ]
    for key, role, url, label in lists:
        if key in skip or role not in clients:
            continue
        value, floor = alternate(lambda c=clients[role], u=url: _get(c, u), floor_of(role), cfg.rounds, cfg.per_round)
        row = Row(key, label, value, floor, target="≥ 0.15× floor")
        row.met = row.ratio is not None and row.ratio >= 0.15
        row.extra["queries"] = queries(lambda c=clients[role], u=url: _get(c, u), floor_of(role))
        add(row)

    # ---------------------------------------------------------------- list pages
    for role in ("office", "unit", "deputy"):
        key = f"page_deputies_{role}"
        if key in skip or role not in clients:
            continue
        value, floor = alternate(lambda r=role: _get(clients[r], "/deputies/"), floor_of(role), cfg.rounds, cfg.per_round)
        row = Row(key, f"/deputies/ 页面（{role}）", value, floor, target="< 0.2 s")
        row.met = value < 0.2
        row.extra["queries"] = queries(lambda r=role: _get(clients[r], "/deputies/"), floor_of(role))
        add(row)

    # ------------------------------------------------ detail page with similar items
    if "detail_similar" not in skip and "staff" in clients:
        from congress.bench.data import SERIAL_BASE

        # A generated item under review (its term holds the generated texts and their index),
        # else the demo's latest.
        waiting = Suggestion.objects.filter(status__in=["submitted", "under_review", "accepted"])
        pending = (waiting.filter(serial__gte=SERIAL_BASE).order_by("-received_on", "-id").first()
                   or waiting.order_by("-received_on", "-id").first())
        if pending is not None:
            url = reverse("deputies:suggestion-detail", args=[pending.pk])
            value, floor = alternate(lambda: _get(clients["staff"], url), floor_of("staff"), cfg.heavy_rounds, 1)
            mem = peak_mb(lambda: _get(clients["staff"], url))
            term_size = Suggestion.objects.filter(term_id=pending.term_id).count()
            from deputies import selectors

            found = len(selectors.similar_suggestions(pending, Suggestion.objects.visible_to(_user(users["staff"]))))
            row = Row("detail_similar", "建议详情页（待审，含相似建议）", value, floor, target="< 0.3 s, < 150 MB",
                      extra={"peak_mb": round(mem, 1), "term_items": term_size, "similar_found": found})
            row.met = value < 0.3 and mem < 150
            add(row)

    # --------------------------------------------------------------- dashboard
    if "dashboard" not in skip and "leader" in clients:
        from dashboards.figure_store import bump_generation
        from dashboards.figures import all_metrics, compute_values

        url = f"/api/v1/dashboard/year/?year={year}"
        # The floor: the figures straight from the database, the aggregate statements that
        # count them (one per source), replayed on a cursor with no ORM, view or store around.
        leader = _user(users["leader"])
        with CaptureQueriesContext(connection) as live:
            compute_values(all_metrics(), leader, [year - 1, year])
        statements = [q["sql"] for q in live.captured_queries]

        def raw():
            with connection.cursor() as cur:
                for sql in statements:
                    cur.execute(sql)
                    cur.fetchall()

        _get(clients["leader"], url)  # the figures are stored (or current already)
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            _get(clients["leader"], url)
        served = len(ctx.captured_queries)  # read now: the capture is a view of the bounded query log
        value, floor = alternate(lambda: _get(clients["leader"], url), raw, cfg.heavy_rounds, 1)
        # Right after a write: the first read counts the figures again and stores them.
        after_write = []
        for _ in range(cfg.heavy_rounds):
            bump_generation()
            after_write.append(_seconds(lambda: _get(clients["leader"], url), 1))
        row = Row("dashboard", "/api/v1/dashboard/year/（主任）", value, floor, target="≤ 1.2× SQL, < 0.3 s",
                  extra={"statements": served, "figure_statements": len(statements),
                         "after_write_s": round(statistics.median(after_write), 3)})
        row.met = value < 0.3 and value <= 1.2 * floor
        add(row)

    # ------------------------------------------------------------ reminder scan
    if "reminder_scan" not in skip:
        from congress import tasks

        reset_queries()
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as first:
            tasks.scan_reminders()
        first_s = time.perf_counter() - t0
        first_queries = len(first.captured_queries)
        # Then again on the same day: everything due has been sent, nothing new is due.
        times = []
        for _ in range(cfg.heavy_rounds):
            reset_queries()
            with CaptureQueriesContext(connection) as again:
                times.append(_seconds(tasks.scan_reminders, 1))
            again_queries = len(again.captured_queries)
        value = statistics.median(times)
        row = Row("reminder_scan", "期限提醒扫描（当日再次扫描，无新到期）", value, target="≤ 2 s",
                  extra={"queries": again_queries, "first_scan_s": round(first_s, 2),
                         "first_scan_queries": first_queries})
        row.met = value <= 2
        add(row)

    # ----------------------------------------------------------------- export
    if "export" not in skip and "office" in clients:
        # The export button's path: POST starts a job (the list is far past the inline
        # limit) and the worker writes it; the worker's task runs here, in this process
        # (eager), so its time and memory are measured with the request's.
        from congress.models import ExportJob

        office = _user(users["office"])
        # The whole list, or past cfg.export_rows items one year of it (about 100,000 at 1M).
        query = ""
        expected = Suggestion.objects.visible_to(office).count()
        if expected > cfg.export_rows:
            query = f"year={year}"
            expected = Suggestion.objects.visible_to(office).filter(received_year=year).count()
        holder = {}

        def export():
            before = ExportJob.objects.filter(owner=office).order_by("-id").values_list("pk", flat=True).first() or 0
            with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
                holder["resp"] = clients["office"].post(reverse("congress:export-start"),
                                                        {"kind": "suggestions", "query": query})
            job = ExportJob.objects.filter(owner=office, pk__gt=before).order_by("-id").first()
            if job is not None and job.status == ExportJob.Status.QUEUED:
                # Inside an outer transaction (the tests) nothing runs on commit: run it now.
                from congress.export_jobs import export_job_run

                export_job_run(job.pk)
                job.refresh_from_db()
            holder["job"] = job

        cpu0 = time.process_time()
        seconds = _seconds(export, 1)
        cpu = time.process_time() - cpu0
        first = holder["job"]
        rows_out = _job_rows(first) if first is not None else _xlsx_rows(holder["resp"])
        # A second run for its memory: in a forked process (resident memory, full speed), or
        # inside a transaction under tracemalloc (Python's allocations only, slower).
        rss = peak_rss_mb(export)
        if rss is not None:
            mem = rss[1]  # the forked process's whole peak: what it inherited and touched, and the export
            memory = {"rss_before_mb": round(rss[0], 1), "rss_peak_mb": round(rss[1], 1)}
            job = ExportJob.objects.filter(owner=office).order_by("-id").first()
        else:
            mem, memory = peak_mb(export), {}
            job = holder["job"]
        row = Row("export", f"建议 Excel 导出任务（{expected:,} 件）", seconds, target="< 200 MB，无截断",
                  extra={"peak_mb": round(mem, 1), **memory, "cpu_s": round(cpu, 1), "rows_in_file": rows_out,
                         "rows_expected": expected, "status": job.status if job is not None else holder["resp"].status_code,
                         "file_mb": round(job.file.size / 2**20, 1) if job is not None and job.file else None})
        row.met = mem < 200 and rows_out is not None and rows_out >= expected
        add(row)
        for done in (first, job):
            if done is not None:
                if done.file:
                    done.file.delete(save=False)
                done.delete()

    # ----------------------------------------------------------- query counts
    if "queries" not in skip:
        counts = {}
        if "office" in clients:
            counts["list_api"] = queries(lambda: _get(clients["office"], "/api/v1/deputies/suggestions/?page_size=20"),
                                         floor_of("office"))
            counts["list_page"] = queries(lambda: _get(clients["office"], "/deputies/"), floor_of("office"))
            any_id = Suggestion.objects.visible_to(_user(users["office"])).order_by("-id").values_list("pk", flat=True).first()
            if any_id:
                counts["detail_api"] = queries(
                    lambda: _get(clients["office"], f"/api/v1/deputies/suggestions/{any_id}/"), floor_of("office"))
        if "leader" in clients:
            counts["dashboard"] = queries(lambda: _get(clients["leader"], f"/api/v1/dashboard/year/?year={year}"),
                                          floor_of("leader"))
        row = Row("queries", "每个请求的查询数", None, unit="", target="列表 ≤ 5，详情 ≤ 6，仪表盘 ≤ 4", extra=counts)
        row.met = (counts.get("list_api", 0) <= 5 and counts.get("list_page", 0) <= 5
                   and counts.get("detail_api", 0) <= 6 and counts.get("dashboard", 0) <= 4)
        add(row)
    reset_queries()
    return rows


def _user(username):
    from congress.models import User

    return User.objects.get(username=username)


def _job_rows(job) -> int | None:
    """Data rows in a finished export job's workbook."""
    from openpyxl import load_workbook

    if not job.file:
        return None
    with job.file.open("rb") as fh:
        ws = load_workbook(fh, read_only=True).worksheets[0]
        ws.reset_dimensions()  # count the rows written, not what the file declares
        return max(sum(1 for _row in ws.iter_rows(values_only=True)) - 1, 0)


def _xlsx_rows(resp) -> int | None:
    """Data rows in an exported workbook (None when the answer is not a workbook, e.g. a job page)."""
    if "spreadsheetml" not in resp.get("Content-Type", ""):
        return None
    from openpyxl import load_workbook

    content = b"".join(resp.streaming_content) if getattr(resp, "streaming", False) else resp.content
    if not content:
        return None
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return max((ws.max_row or 1) - 1, 0)


def format_row(row: Row) -> str:
    if row.value is None:
        value = "—"
    elif row.floor:
        value = f"{1 / row.value:,.1f} req/s vs floor {1 / row.floor:,.1f} req/s = {row.ratio:.3f}×  ({row.value * 1000:,.0f} ms)"
    else:
        value = f"{row.value:,.3f} s"
    extra = ", ".join(f"{k}={v}" for k, v in row.extra.items())
    met = {True: "OK", False: "MISS", None: ""}[row.met]
    return f"{row.label:<34} {value}  [{row.target}] {met}  {extra}".rstrip()


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "database": connection.vendor, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        if names:
            info["cpu"] = names[0]
    except OSError:
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            info["server_version"] = cur.fetchone()[0]
            cur.execute("SHOW jit")
            info["jit"] = cur.fetchone()[0]
    return info


def as_json(rows: list[Row], n: dict, info: dict) -> dict:
    return {"machine": info, "data": n,
            "rows": [{**asdict(r), "ratio": r.ratio} for r in rows]}


def explain(user, label="suggestions") -> list[str]:
    """The plan PostgreSQL chooses for a suggestion list page as that user (EXPLAIN, no ANALYZE)."""
    from deputies.filtersets import SuggestionFilterSet
    from deputies.models import Suggestion

    class _Req:
        GET = {}

    req = _Req()
    req.user = user
    year = today().year - 1
    fs = SuggestionFilterSet({"status": ["closed"], "year": str(year)},
                             queryset=Suggestion.objects.visible_to(user).order_by(*Suggestion._meta.ordering),
                             request=req)
    lines = []
    # The page's keys (what CappedPaginator asks first past 1,000 rows), then its capped count.
    for query in (fs.qs.values_list("pk", flat=True)[:20].query, fs.qs.order_by().values("pk")[:10_001].query):
        sql, params = query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
            lines += [r[0] for r in cur.fetchall()] + [""]
    return lines
