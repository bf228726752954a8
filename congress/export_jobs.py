"""Exports of any length: a short list downloads at once, a long one becomes an ExportJob
that the worker writes into a file while the requester watches its progress.

Both paths read the same rows: the list's scoped queryset (`visible_to` of the requester,
re-applied when the job runs) filtered by the list's own FilterSet from the list's query
string, written by congress.exports in write-only mode from `QuerySet.iterator`. Nothing
is ever cut short: a list longer than EXPORT_INLINE_MAX_ROWS is not truncated, it is
offered as a job."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from congress.exports import CHUNK_SIZE, write_xlsx
from congress.models import ExportJob, User
from congress.workdays import today

logger = logging.getLogger(__name__)
Kind, Status = ExportJob.Kind, ExportJob.Status
# Jobs one person may have waiting or running at once: a double click or an impatient
# reload starts no pile of identical jobs.
MAX_ACTIVE_PER_USER = 3
# Query-string keys that are about the page, not the rows.
PAGE_KEYS = ("page", "format", "exact", "page_size")


# ----------------------------------------------------------------------- the kinds
def _suggestions_base(user):
    from deputies.exports import suggestion_list_base

    return suggestion_list_base(user)


def _suggestions_sheet(qs):
    from deputies.exports import suggestions_sheet

    return suggestions_sheet(qs)


def _plan_items_base(user):
    from plans.selectors import items_for_list

    return items_for_list(user)


def _plan_items_sheet(qs):
    from plans.exports import items_sheet

    return items_sheet(qs)


def _supervision_base(user):
    from supervision.models import SupervisionItem

    return SupervisionItem.objects.visible_to(user).for_list()


def _supervision_sheet(qs):
    from supervision.documents import items_sheet

    return items_sheet(qs)


@dataclass(frozen=True)
class ExportKind:
    """What one list exports: its scoped base queryset, its FilterSet, its order, its sheet."""

    kind: str
    filterset: str  # dotted path: the list's own FilterSet
    base: Callable  # user -> the list's scoped queryset
    sheet: Callable  # queryset -> congress.exports sheet (headers, widths, rows)
    filename: str  # with {date}
    list_url: str  # the list page, to go back to
    order: tuple = ()  # applied after filtering, as the list does

    def file_name(self) -> str:
        return self.filename.format(date=f"{today():%Y%m%d}")


KINDS: dict[str, ExportKind] = {
    Kind.SUGGESTIONS: ExportKind(Kind.SUGGESTIONS, "deputies.filtersets.SuggestionFilterSet", _suggestions_base,
                                 _suggestions_sheet, "suggestions-{date}.xlsx", "deputies:suggestion-list"),
    Kind.PLAN_ITEMS: ExportKind(Kind.PLAN_ITEMS, "plans.filtersets.PlanItemFilterSet", _plan_items_base,
                                _plan_items_sheet, "plan-items-{date}.xlsx", "plans:item-list"),
    Kind.SUPERVISION_ITEMS: ExportKind(Kind.SUPERVISION_ITEMS, "supervision.filtersets.SupervisionItemFilterSet",
                                       _supervision_base, _supervision_sheet, "supervision-items-{date}.xlsx",
                                       "supervision:item-list", order=("-year", "hearing_date", "id")),
}


def clean_query(query) -> str:
    """The filters of a list's query string (a str or a QueryDict), without paging keys."""
    data = query.copy() if isinstance(query, QueryDict) else QueryDict(query or "", mutable=True)
    if not data._mutable:
        data._mutable = True
    for key in PAGE_KEYS:
        data.pop(key, None)
    return data.urlencode()


def export_queryset(kind: str, user, query: str):
    """The rows `user` would see on the list with these filters, in the list's order.
    A filter value the list refuses is a ValidationError on that field, never ignored."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationError({"kind": _("不支持导出该内容。")})
    data = QueryDict(query or "")
    request = SimpleNamespace(user=user, GET=data, query_params=data, method="GET")
    filterset = import_string(spec.filterset)(data or None, queryset=spec.base(user), request=request)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError({field: list(errors) for field, errors in filterset.errors.items()})
    qs = filterset.qs
    return qs.order_by(*spec.order) if spec.order else qs


def count_rows(qs) -> int:
    return qs.order_by().count()


# ----------------------------------------------------------------------- services
@dataclass
class Started:
    """What starting an export produced: rows to send at once, or a queued job."""

    kind: ExportKind
    rows: int
    job: ExportJob | None = None
    queryset: object = None

    @property
    def inline(self) -> bool:
        return self.job is None


def export_start(*, user, kind: str, query: str, allow_inline: bool = True) -> Started:
    """Start exporting a list: when it has at most EXPORT_INLINE_MAX_ROWS rows (and the
    caller can send a file now), hand back the rows; otherwise queue a job for the worker,
    which runs once this transaction commits."""
    if user is None or not user.is_authenticated:
        raise ValidationError(_("请先登录。"))
    query = clean_query(query)
    qs = export_queryset(kind, user, query)
    spec = KINDS[kind]
    n = count_rows(qs)
    if allow_inline and n <= settings.EXPORT_INLINE_MAX_ROWS:
        return Started(spec, n, queryset=qs)
    with transaction.atomic():
        # The person's row serialises their own starts: two clicks cannot both pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = ExportJob.objects.filter(owner=user, status__in=[Status.QUEUED, Status.RUNNING]).count()
        if active >= MAX_ACTIVE_PER_USER:
            raise ValidationError(_("您已有%(n)s个导出任务正在进行，请等它们完成后再导出。") % {"n": active})
        job = ExportJob.objects.create(owner=user, kind=kind, query=query, rows_total=n, filename=spec.file_name())
        enqueue(job.pk)
    return Started(spec, n, job=job)


def enqueue(job_id: int) -> None:
    """Send the job to the worker after the commit, from a background thread: a stopped
    broker costs the request nothing, and the sweep sends a job left queued again."""

    def send():
        from congress.tasks import run_export

        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            run_export.apply(args=[job_id])
            return

        def _send():
            try:
                run_export.apply_async(args=[job_id], retry=False)
            except Exception as exc:  # broker down: the sweep sends it again
                logger.warning("export job %s not sent, the sweep will retry: %s", job_id, exc)

        threading.Thread(target=_send, daemon=True, name="export-kick").start()

    transaction.on_commit(send)


def _counting(rows: Iterable, job_id: int) -> Iterable:
    """The rows, recording progress on the job after every chunk."""
    n = 0
    for row in rows:
        yield row
        n += 1
        if n % CHUNK_SIZE == 0:
            ExportJob.objects.filter(pk=job_id).update(rows_done=n)


def export_job_run(job_id: int) -> ExportJob | None:
    """Write the job's workbook. Claims the job first (queued → running, a conditional
    UPDATE), so a job sent twice is written once. No transaction around the writing:
    progress must be visible while it runs."""
    now = timezone.now()
    if not ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(status=Status.RUNNING, started_at=now):
        return None
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            if not job.owner.is_active:
                raise ValidationError(_("申请人的账号已停用。"))
            qs = export_queryset(job.kind, job.owner, job.query)
            total = count_rows(qs)
            ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
            sheet = KINDS[job.kind].sheet(qs)
            sheet["rows"] = _counting(sheet["rows"], job.pk)
            with tempfile.TemporaryFile() as out:
                n = write_xlsx(out, **sheet)
                out.seek(0)
                job.file.save(f"{uuid.uuid4().hex}.xlsx", File(out), save=False)
    except Exception as exc:
        logger.exception("export job %s failed", job_id)
        if isinstance(exc, ValidationError):
            reason = "；".join(str(m) for m in exc.messages)
        else:
            reason = _("生成文件时出错，请稍后重新导出；如果再次失败，请联系系统管理员。")
        _finish(job, Status.FAILED, error=reason)
        return job
    job.rows_done = job.rows_total = n
    _finish(job, Status.DONE)
    return job


def _finish(job: ExportJob, status: str, *, error: str = "") -> None:
    now = timezone.now()
    job.status, job.error, job.finished_at = status, error[:2000], now
    job.expires_at = now + dt.timedelta(days=settings.EXPORT_KEEP_DAYS)
    job.save(update_fields=["status", "error", "finished_at", "expires_at", "rows_done", "rows_total", "file"])


def export_jobs_sweep(now=None) -> dict:
    """Beat task: delete expired jobs and their files, fail jobs whose worker died, and
    send again jobs still queued a while after they were started (broker was down)."""
    from congress.tasks import run_export

    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(expires_at__lt=now).only("pk", "file"):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        expired += 1
    stale = ExportJob.objects.filter(
        status=Status.RUNNING, started_at__lt=now - dt.timedelta(minutes=settings.EXPORT_STALE_MINUTES)
    ).update(status=Status.FAILED, finished_at=now, expires_at=now + dt.timedelta(days=settings.EXPORT_KEEP_DAYS),
             error=_("生成文件的过程中断了，请重新导出。"))
    resent = 0
    for pk in ExportJob.objects.filter(status=Status.QUEUED, created_at__lt=now - dt.timedelta(minutes=2)).values_list(
            "pk", flat=True):
        try:
            run_export.apply_async(args=[pk], retry=False)
            resent += 1
        except Exception as exc:
            logger.warning("export job %s not sent: %s", pk, exc)
            break
    return {"expired": expired, "stale": stale, "resent": resent}


def downloadable(job: ExportJob) -> bool:
    return job.status == Status.DONE and bool(job.file) and (job.expires_at is None or job.expires_at > timezone.now())
