"""Export pages: start an export from a list, watch a job's progress, download its file,
and the list of one's own jobs. A job is its requester's alone: anyone else gets a 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from congress import export_jobs
from congress.exports import xlsx_response
from congress.models import ExportJob
from congress.security import audit
from congress.uploads import download_response


def _own(request, pk) -> ExportJob:
    return get_object_or_404(ExportJob.objects.filter(owner=request.user), pk=pk)


def _back(spec, query: str) -> str:
    return reverse(spec.list_url) + (f"?{query}" if query else "")


def _errors_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(f"{field}：{'、'.join(e for err in errs for e in err.messages)}"
                        for field, errs in exc.error_dict.items())
    return "；".join(exc.messages)


def _inline(request, started, query):
    # Logged under the list's stable name (suggestions.xlsx), not the dated file name.
    audit.record(request, audit.Action.EXPORT, obj=started.kind.filename.replace("-{date}", ""), detail=query)
    return xlsx_response(started.kind.file_name(), **started.kind.sheet(started.queryset))


def export_or_offer(request, kind: str):
    """A list's GET export link: the file at once when the list is short; when it is long,
    a page that says how many rows there are and offers to prepare the file (never a
    file cut short)."""
    spec = export_jobs.KINDS[kind]
    query = export_jobs.clean_query(request.GET)
    try:
        qs = export_jobs.export_queryset(kind, request.user, query)
    except ValidationError as exc:
        messages.error(request, _errors_text(exc))
        return redirect(_back(spec, query))
    n = export_jobs.count_rows(qs)
    if n <= _limit():
        started = export_jobs.Started(spec, n, queryset=qs)
        return _inline(request, started, query)
    return render(request, "congress/export_offer.html", {
        "kind": kind, "kind_label": ExportJob.Kind(kind).label, "query": query, "rows": n, "limit": _limit(),
        "back": _back(spec, query),
    })


def _limit() -> int:
    return settings.EXPORT_INLINE_MAX_ROWS


@login_required
@require_POST
def export_start(request):
    """The export button of a list (POST): a short list downloads now, a long one becomes
    a job and the browser goes to the job's page."""
    kind = request.POST.get("kind", "")
    if kind not in export_jobs.KINDS:
        raise Http404
    spec = export_jobs.KINDS[kind]
    query = export_jobs.clean_query(request.POST.get("query", ""))
    try:
        started = export_jobs.export_start(user=request.user, kind=kind, query=query)
    except ValidationError as exc:
        messages.error(request, _errors_text(exc))
        return redirect(_back(spec, query))
    if started.inline:
        return _inline(request, started, query)
    audit.record(request, audit.Action.EXPORT, obj=started.job, detail=query)
    return redirect("congress:export-detail", pk=started.job.pk)


@login_required
@require_GET
def export_list(request):
    jobs = ExportJob.objects.filter(owner=request.user).order_by("-created_at", "-id")[:100]
    return render(request, "congress/export_list.html", {"jobs": jobs, "keep_days": settings.EXPORT_KEEP_DAYS})


@login_required
@require_GET
def export_detail(request, pk):
    """The job's page; htmx asks it again every two seconds for the progress panel alone
    while the job waits or runs (the panel stops asking once the job is done or failed)."""
    job = _own(request, pk)
    context = {"job": job, "downloadable": export_jobs.downloadable(job),
               "back": _back(export_jobs.KINDS[job.kind], job.query)}
    if request.headers.get("HX-Request"):
        return render(request, "congress/partials/export_progress.html", context)
    return render(request, "congress/export_detail.html", context)


@login_required
@require_GET
def export_download(request, pk):
    job = _own(request, pk)
    if not export_jobs.downloadable(job):
        raise Http404
    audit.record(request, audit.Action.DOWNLOAD, obj=job, detail=job.query)
    return download_response(job.file.open("rb"), job.filename or "export.xlsx")
