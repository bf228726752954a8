"""Export jobs: a long list is written by the worker, every row, with progress, for the
requester alone; a short list still downloads at once; nothing is ever cut short."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congress import export_jobs
from congress.models import ExportJob
from congress.roles import Role
from congress.workdays import today
from deputies.choices import AssignmentRole, AssignmentStatus
from deputies.choices import SuggestionStatus as S
from deputies.models import Assignment, Suggestion
from tests import factories as f

pytestmark = pytest.mark.django_db
Status = ExportJob.Status


@pytest.fixture(autouse=True)
def _small_inline_limit(settings):
    # A few rows stand for a long list: anything past 3 rows becomes a job.
    settings.EXPORT_INLINE_MAX_ROWS = 3
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def session(term):
    return f.CongressSessionFactory(term=term)


@pytest.fixture
def deputy(term):
    return f.DeputyFactory(term=term, name="赵丽萍")


@pytest.fixture
def make(session, deputy):
    """make(n, unit=None, status=S.ASSIGNED, title="…{i}") -> suggestions, bulk-created, each
    assigned (lead) to `unit` when given."""
    serial = [0]

    def build(n, *, unit=None, status=S.ASSIGNED, title="关于第{i}件民生事项的建议"):
        on = today()
        rows = []
        for _ in range(n):
            serial[0] += 1
            rows.append(Suggestion(
                term_id=session.term_id, session=session, title=title.format(i=serial[0]), situation="事由",
                proposal="建议", lead_deputy=deputy, status=status, serial=serial[0], submitted_at=timezone.now(),
                received_on=on, assigned_on=on if unit else None, due_date=on + dt.timedelta(days=90) if unit else None,
            ))
        made = Suggestion.objects.bulk_create(rows)
        if unit is not None:
            Assignment.objects.bulk_create([
                Assignment(suggestion=s, unit=unit, role=AssignmentRole.LEAD, status=AssignmentStatus.ASSIGNED,
                           assigned_on=on, due_date=on + dt.timedelta(days=90),
                           original_due_date=on + dt.timedelta(days=90), return_deadline=on + dt.timedelta(days=10))
                for s in made
            ])
        return made

    return build


def _rows(content: bytes) -> list[tuple]:
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return list(ws.iter_rows(min_row=2, values_only=True))


def _file_rows(job: ExportJob) -> list[tuple]:
    with job.file.open("rb") as fh:
        return _rows(fh.read())


def _start(client, kind="suggestions", query="", capture=None):
    with capture(execute=True):
        return client.post(reverse("congress:export-start"), {"kind": kind, "query": query})


# ------------------------------------------------------------------ the journey
def test_a_long_list_becomes_a_job_the_page_shows_progress_then_the_download(
        client_as, assigning_clerk, unit, make, django_capture_on_commit_callbacks):
    make(5, unit=unit)
    client = client_as(assigning_clerk)
    resp = _start(client, query="status=assigned&page=2", capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("congress:export-detail", args=[job.pk])
    assert (job.owner, job.kind, job.query, job.status) == (assigning_clerk, "suggestions", "status=assigned", Status.DONE)
    assert (job.rows_done, job.rows_total, job.percent) == (5, 5, 100)
    assert job.expires_at.date() >= (timezone.now() + dt.timedelta(days=6)).date()
    html = client.get(resp["Location"]).content.decode()
    assert "已完成" in html and reverse("congress:export-download", args=[job.pk]) in html
    assert "hx-trigger" not in html  # a finished job stops polling
    download = client.get(reverse("congress:export-download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    rows = _rows(b"".join(download.streaming_content))
    assert len(rows) == 5
    # Labels, not codes: the status and the period are shown as people read them.
    assert {r[6] for r in rows} == {"已交办"} and {r[5] for r in rows} == {"会议期间"}
    assert {r[7] for r in rows} == {unit.name} and rows[0][0] == "第0001号"
    listing = client.get(reverse("congress:export-list")).content.decode()
    assert "代表建议" in listing and reverse("congress:export-download", args=[job.pk]) in listing


def test_a_job_waiting_or_running_polls_its_progress_in_place(client_as, assigning_clerk):
    job = ExportJob.objects.create(owner=assigning_clerk, kind="suggestions", status=Status.RUNNING,
                                   rows_done=2000, rows_total=8000)
    client = client_as(assigning_clerk)
    html = client.get(reverse("congress:export-detail", args=[job.pk])).content.decode()
    url = reverse("congress:export-detail", args=[job.pk])
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 2s"' in html and 'value="25"' in html
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<div id=\"export-progress\"") and "2000 / 8000" in partial
    assert "<html" not in partial
    assert client.get(reverse("congress:export-download", args=[job.pk])).status_code == 404  # not ready


def test_a_short_list_still_downloads_at_once(client_as, assigning_clerk, unit, make,
                                              django_capture_on_commit_callbacks):
    make(3, unit=unit)
    resp = _start(client_as(assigning_clerk), capture=django_capture_on_commit_callbacks)
    assert resp.status_code == 200 and "spreadsheetml" in resp["Content-Type"]
    assert len(_rows(b"".join(resp.streaming_content))) == 3
    assert not ExportJob.objects.exists()


def test_the_list_export_link_offers_a_job_for_a_long_list_instead_of_cutting_it(client_as, assigning_clerk, unit,
                                                                                  make):
    make(4, unit=unit)
    resp = client_as(assigning_clerk).get(reverse("deputies:suggestion-export") + "?status=assigned")
    html = resp.content.decode()
    assert resp.status_code == 200 and "text/html" in resp["Content-Type"]
    assert 'data-export-rows="4"' in html and 'name="query" value="status=assigned"' in html
    assert reverse("congress:export-start") in html and not ExportJob.objects.exists()


def test_every_row_past_the_old_five_thousand_cap(settings, client_as, assigning_clerk, make,
                                                  django_capture_on_commit_callbacks):
    settings.EXPORT_INLINE_MAX_ROWS = 2000
    make(5100, status=S.SUBMITTED, title="=cmd|' /C calc'!A{i}")
    _start(client_as(assigning_clerk), capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert (job.status, job.rows_done, job.rows_total) == (Status.DONE, 5100, 5100)
    rows = _file_rows(job)
    assert len(rows) == 5100 and rows[-1][1] == "=cmd|' /C calc'!A5100"  # formula-like text stays text


# ------------------------------------------------------------------ scope and filters
def test_a_units_export_has_only_its_items_and_the_job_is_its_owners_alone(
        client_as, unit_clerk, other_unit_clerk, assigning_clerk, unit, other_unit, make, api_client,
        django_capture_on_commit_callbacks):
    mine = make(4, unit=unit, title="本单位承办的第{i}件建议")
    make(4, unit=other_unit, title="其他单位承办的第{i}件建议")
    _start(client_as(unit_clerk), capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert sorted(r[1] for r in _file_rows(job)) == sorted(s.title for s in mine)
    for other in (other_unit_clerk, assigning_clerk):
        client = client_as(other)
        assert client.get(reverse("congress:export-detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("congress:export-download", args=[job.pk])).status_code == 404
        assert not client.get(reverse("congress:export-list")).content.decode().count("data-job=")
        api = api_client(other)
        assert api.get(reverse("export-detail", args=[job.pk])).status_code == 404
        assert api.get(reverse("export-download", args=[job.pk])).status_code == 404
        assert api.get(reverse("export-list")).json()["count"] == 0


def test_the_scope_is_applied_again_when_the_job_runs(client_as, unit_clerk, unit, make):
    """A job queued while the unit still had the items, run after they were returned."""
    make(4, unit=unit)
    job = ExportJob.objects.create(owner=unit_clerk, kind="suggestions")
    Assignment.objects.update(status=AssignmentStatus.RETURNED)
    export_jobs.export_job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.rows_done) == (Status.DONE, 0) and _file_rows(job) == []


def test_filters_are_applied_and_a_bad_filter_is_named(client_as, assigning_clerk, unit, other_unit, make,
                                                       django_capture_on_commit_callbacks):
    wanted = make(4, unit=unit, title="教育局承办的第{i}件建议")
    make(4, unit=other_unit, title="住建局承办的第{i}件建议")
    make(4, status=S.SUBMITTED)
    client = client_as(assigning_clerk)
    _start(client, query=f"unit={unit.pk}&status=assigned", capture=django_capture_on_commit_callbacks)
    assert sorted(r[1] for r in _file_rows(ExportJob.objects.get())) == sorted(s.title for s in wanted)
    resp = _start(client, query="year=abc", capture=django_capture_on_commit_callbacks)
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("deputies:suggestion-list"))
    assert ExportJob.objects.count() == 1
    page = client.get(resp["Location"]).content.decode()
    assert "year" in page and "请输入整数年份" in page


def test_plan_and_supervision_lists_export_through_jobs(client_as, staff_user, django_capture_on_commit_callbacks):
    from plans.models import Plan, PlanItem
    from supervision.models import SupervisionItem

    plan = Plan.objects.create(kind="work_points", year=2026, title="2026年工作要点", is_published=True,
                               created_by=staff_user)
    for i in range(1, 5):
        PlanItem.objects.create(plan=plan, path=f"{i:04d}", level=1, position=i, number=f"{i}.",
                                title=f"第{i}项工作", lead_office=staff_user.office)
        SupervisionItem.objects.create(kind="special_report", year=2026, title=f"第{i}项专项工作报告",
                                       lead_office=staff_user.office)
    client = client_as(staff_user)
    _start(client, kind="plan_items", capture=django_capture_on_commit_callbacks)
    _start(client, kind="supervision_items", query="format=xlsx&year=2026", capture=django_capture_on_commit_callbacks)
    plans_job, sup_job = ExportJob.objects.order_by("id")
    assert sorted(r[3] for r in _file_rows(plans_job)) == [f"第{i}项工作" for i in range(1, 5)]
    assert sorted(r[2] for r in _file_rows(sup_job)) == [f"第{i}项专项工作报告" for i in range(1, 5)]
    assert sup_job.query == "year=2026" and {r[1] for r in _file_rows(sup_job)} == {"听取和审议专项工作报告"}


# ------------------------------------------------------------------ progress, memory, failure
def test_progress_is_recorded_every_chunk(monkeypatch, assigning_clerk, unit, make):
    make(10, unit=unit)
    monkeypatch.setattr(export_jobs, "CHUNK_SIZE", 3)
    job = ExportJob.objects.create(owner=assigning_clerk, kind="suggestions")
    with CaptureQueriesContext(connection) as ctx:
        export_jobs.export_job_run(job.pk)
    progress = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "rows_done" in q["sql"]]
    assert len(progress) == 3 + 1  # after rows 3, 6 and 9, then the final save
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total, job.started_at is not None) == (Status.DONE, 10, 10, True)


def test_the_writer_streams_in_write_only_mode_with_a_constant_number_of_queries(monkeypatch, assigning_clerk, unit,
                                                                                  other_unit, make):
    import openpyxl

    modes = []
    real = openpyxl.Workbook

    def spy(*args, **kwargs):
        modes.append(kwargs.get("write_only"))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "Workbook", spy)

    def queries_for(n):
        Suggestion.objects.all().delete()
        made = make(n, unit=unit)
        # Co-handling units as well: still no query per row.
        Assignment.objects.bulk_create([
            Assignment(suggestion=s, unit=other_unit, role=AssignmentRole.CO, status=AssignmentStatus.ASSIGNED,
                       assigned_on=today(), due_date=today(), original_due_date=today(), return_deadline=today())
            for s in made
        ])
        job = ExportJob.objects.create(owner=assigning_clerk, kind="suggestions")
        with CaptureQueriesContext(connection) as ctx:
            export_jobs.export_job_run(job.pk)
        job.refresh_from_db()
        assert job.rows_done == n and {r[8] for r in _file_rows(job)} == {other_unit.name}
        return len(ctx.captured_queries)

    assert queries_for(3) == queries_for(30)
    assert modes and all(m is True for m in modes)


def test_a_failed_job_says_why(monkeypatch, client_as, assigning_clerk, unit, make):
    make(4, unit=unit)
    spec = export_jobs.KINDS["suggestions"]

    def broken(qs):
        raise OSError("disk full")

    monkeypatch.setitem(export_jobs.KINDS, "suggestions",
                        export_jobs.ExportKind(**{**spec.__dict__, "sheet": broken}))
    job = ExportJob.objects.create(owner=assigning_clerk, kind="suggestions")
    export_jobs.export_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Status.FAILED and not job.file and job.finished_at is not None
    html = client_as(assigning_clerk).get(reverse("congress:export-detail", args=[job.pk])).content.decode()
    assert "导出失败：生成文件时出错，请稍后重新导出" in html and "disk full" not in html
    assert "hx-trigger" not in html


def test_a_job_is_written_once_even_when_sent_twice(assigning_clerk, unit, make):
    make(4, unit=unit)
    job = ExportJob.objects.create(owner=assigning_clerk, kind="suggestions")
    assert export_jobs.export_job_run(job.pk) is not None
    assert export_jobs.export_job_run(job.pk) is None


def test_one_person_cannot_pile_up_jobs(client_as, assigning_clerk, unit, make, django_capture_on_commit_callbacks):
    make(4, unit=unit)
    for _ in range(export_jobs.MAX_ACTIVE_PER_USER):
        ExportJob.objects.create(owner=assigning_clerk, kind="suggestions", status=Status.RUNNING)
    client = client_as(assigning_clerk)
    resp = _start(client, capture=django_capture_on_commit_callbacks)
    assert resp.status_code == 302 and ExportJob.objects.count() == export_jobs.MAX_ACTIVE_PER_USER
    assert "个导出任务正在进行" in client.get(resp["Location"]).content.decode()


def test_the_sweep_deletes_expired_files_and_fails_jobs_whose_worker_died(assigning_clerk, unit, make, settings):
    make(4, unit=unit)
    job = ExportJob.objects.create(owner=assigning_clerk, kind="suggestions")
    export_jobs.export_job_run(job.pk)
    job.refresh_from_db()
    path = job.file.path
    stuck = ExportJob.objects.create(owner=assigning_clerk, kind="suggestions", status=Status.RUNNING,
                                     started_at=timezone.now() - dt.timedelta(minutes=settings.EXPORT_STALE_MINUTES + 1))
    later = job.expires_at + dt.timedelta(minutes=1)
    result = export_jobs.export_jobs_sweep(now=later)
    assert result["expired"] == 1 and result["stale"] == 1
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    import os

    assert not os.path.exists(path)
    stuck.refresh_from_db()
    assert stuck.status == Status.FAILED and "中断" in stuck.error


# ------------------------------------------------------------------ API
def test_api_starts_a_job_reports_progress_and_the_download(api_client, assigning_clerk, unit, make,
                                                            django_capture_on_commit_callbacks):
    make(2, unit=unit)  # even a short list: the API always makes a job
    api = api_client(assigning_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        resp = api.post(reverse("export-list"), {"kind": "suggestions", "query": "status=assigned"}, format="json")
    assert resp.status_code == 202 and resp.json()["status"] == "queued"
    body = api.get(reverse("export-detail", args=[resp.json()["id"]])).json()
    assert (body["status"], body["status_label"], body["rows_done"], body["percent"]) == ("done", "已完成", 2, 100)
    assert body["download_url"].endswith(reverse("export-download", args=[body["id"]]))
    download = api.get(body["download_url"])
    assert download.status_code == 200 and len(_rows(b"".join(download.streaming_content))) == 2


def test_api_refuses_a_bad_kind_or_filter_with_field_errors(api_client, assigning_clerk):
    api = api_client(assigning_clerk)
    assert "kind" in api.post(reverse("export-list"), {"kind": "secrets"}, format="json").json()
    resp = api.post(reverse("export-list"), {"kind": "suggestions", "query": "year=abc"}, format="json")
    assert resp.status_code == 400 and "year" in resp.json()
    assert api_client().post(reverse("export-list"), {"kind": "suggestions"}, format="json").status_code in (401, 403)
    assert not ExportJob.objects.exists()


def test_api_list_export_names_the_length_instead_of_cutting_it(api_client, assigning_clerk, unit, make):
    make(4, unit=unit)
    resp = api_client(assigning_clerk).get(reverse("deputies-api:suggestion-export") + "?status=assigned")
    body = resp.json()
    assert resp.status_code == 400 and (body["rows"], body["limit"], body["kind"]) == (4, 3, "suggestions")
    assert body["query"] == "status=assigned"


def test_my_exports_list_takes_the_same_queries_for_3_and_30_jobs(client_as, django_assert_num_queries, assigning_clerk):
    client = client_as(assigning_clerk)
    f.UserFactory(role=Role.STAFF)

    def count(n):
        ExportJob.objects.all().delete()
        ExportJob.objects.bulk_create([ExportJob(owner=assigning_clerk, kind="suggestions", status=Status.DONE,
                                                 rows_done=i) for i in range(n)])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("congress:export-list")).status_code == 200
        return len(ctx.captured_queries)

    assert count(3) == count(30)
