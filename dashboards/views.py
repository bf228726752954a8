"""Pages of the dashboards app: the leaders' year dashboard and its presentation mode,
the drill-down lists behind every figure, the year-end summary draft (edit, history,
Word), hand-entered figures, and the role dashboards."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Count, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from congress.exceptions import EditConflict, NotAllowed, ServiceError
from congress.history import history_for
from congress.navigation import home_widgets
from congress.scoping import get_visible_or_404
from congress.security import audit
from congress.workdays import today

from . import roles, services
from .charts import CHARTS
from .figures import GROUP_LABELS, HEADLINE_KEYS, collect, format_value, get_metric, grouped, rate
from .forms import ManualFigureForm, SummaryForm, apply_service_errors
from .models import ManualFigure, YearSummary
from .permissions import can_view_year_dashboard
from .summary import default_body, default_title, placeholders, readable_history
from .summary import render as render_summary
from .word import summary_document

PAGE_SIZE = 50


class KnownCountPaginator(Paginator):
    """The count was already taken with the figure's aggregate: don't count twice."""

    def __init__(self, *args, known_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = known_count

    @property
    def count(self):
        return self._known_count


def _require_dashboard(user) -> None:
    if not can_view_year_dashboard(user):
        raise PermissionDenied(_("统计分析仅供常委会领导和机关工作人员查看。"))


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    try:
        year = int(raw)
    except ValueError:
        return today().year
    if not services.MIN_YEAR <= year <= services.MAX_YEAR:
        return today().year
    return year


# Words the dashboard's script writes, translated here like every other label.
def js_labels() -> dict:
    return {
        "manual": _("手工填报"),
        "year_suffix": _("年："),
        "points": _("个百分点"),
        "same": _("持平"),
        "no_data": _("本年度暂无数据。"),
        "chart_empty": _("暂无数据。"),
        "chart_failed": _("图表加载失败，请稍后刷新。"),
        "load_failed": _("数据加载失败，请稍后刷新。"),
        "computed": _("数据更新于 %(time)s"),
    }


def _year_choices(year: int) -> list[int]:
    current = today().year
    return sorted(set(range(current - 5, current + 2)) | {year}, reverse=True)


# ------------------------------------------------------------------------ dashboard
@login_required
def year_dashboard(request):
    _require_dashboard(request.user)
    year = _year(request)
    return render(
        request,
        "dashboards/year.html",
        {
            "year": year,
            "years": _year_choices(year),
            "api_url": f"{reverse('dashboards-api:year')}?year={year}",
            "chart_names": list(CHARTS),
            "can_edit": services.can_edit_report(request.user),
            "js_labels": js_labels(),
        },
    )


@login_required
def present(request):
    _require_dashboard(request.user)
    year = _year(request)
    try:
        refresh = max(15, min(3600, int(request.GET.get("refresh", 60))))
    except ValueError:
        refresh = 60
    return render(
        request,
        "dashboards/present.html",
        {
            "year": year,
            "api_url": f"{reverse('dashboards-api:year')}?year={year}",
            "chart_names": list(CHARTS),
            "refresh": refresh,
            "headline_keys": ",".join(HEADLINE_KEYS),
            "js_labels": js_labels(),
        },
    )


@login_required
def records(request, key: str):
    """The records behind one figure: the same source and filter the figure counts, so
    the list shows the same number as the dashboard."""
    _require_dashboard(request.user)
    metric = get_metric(key)
    if metric is None:
        raise Http404
    year = _year(request)
    source = metric.source
    qs = metric.records(request.user, year)
    aggregates = {"total": Count("pk")}
    if metric.is_rate:
        aggregates["numerator"] = Count("pk", filter=metric.numerator)
        qs = qs.annotate(
            in_numerator=Case(When(metric.numerator, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
    if metric.sum_field:
        aggregates["sum"] = Coalesce(Sum(metric.sum_field), 0)
    summary = metric.records(request.user, year).aggregate(**aggregates)
    if metric.is_rate:
        value = format_value(rate(summary["numerator"], summary["total"]), True)
    elif metric.sum_field:
        value = format_value(summary["sum"])
    else:
        value = format_value(summary["total"])
    qs = qs.select_related(*source.related).order_by(*(source.ordering or ("pk",)))
    page = KnownCountPaginator(qs, PAGE_SIZE, known_count=summary["total"]).get_page(request.GET.get("page"))
    labels = [str(c.label) for c in source.columns]
    rows = []
    for obj in page:
        rows.append(
            {
                "url": source.detail_url(obj) if source.detail_url else "",
                "labelled_cells": list(zip(labels, (col.value(obj) for col in source.columns), strict=True)),
                "in_numerator": getattr(obj, "in_numerator", None),
            }
        )
    return render(
        request,
        "dashboards/records.html",
        {
            "metric": metric,
            "group_label": GROUP_LABELS.get(metric.group, ""),
            "year": year,
            "years": _year_choices(year),
            "value": value,
            "total": summary["total"],
            "numerator": summary.get("numerator"),
            "sum": summary.get("sum"),
            "columns": labels,
            "rows": rows,
            "page": page,
        },
    )


# -------------------------------------------------------------------------- summary
def _summary_context(request, year):
    figures = collect(year, request.user)
    summary = YearSummary.objects.visible_to(request.user).filter(year=year).select_related("updated_by").first()
    if summary is not None:
        title, body = summary.title, summary.body
    else:
        title, body = default_title(year), default_body({f.key for f in figures})
    return figures, summary, title, body


@login_required
def summary(request):
    _require_dashboard(request.user)
    year = _year(request)
    figures, summary_obj, title, body = _summary_context(request, year)
    rendered = render_summary(title, body, figures, year)
    return render(
        request,
        "dashboards/summary.html",
        {
            "year": year,
            "years": _year_choices(year),
            "summary": summary_obj,
            "rendered": rendered,
            "groups": grouped(figures),
            "history": readable_history(history_for(summary_obj)[:30], figures) if summary_obj else [],
            "can_edit": services.can_edit_report(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request):
    _require_dashboard(request.user)
    if not services.can_edit_report(request.user):
        raise PermissionDenied
    year = _year(request)
    figures, summary_obj, title, body = _summary_context(request, year)
    current = None  # what someone else saved, shown beside the form after a conflict
    if request.method == "POST":
        form = SummaryForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.summary_save(
                    actor=request.user, year=year, title=d["title"], body=d["body"],
                    version=d.get("version"), reason=d.get("reason", ""),
                )
            except EditConflict as exc:
                # Keep what the user typed; take the current version so that saving again,
                # after reading the other person's text, is a deliberate choice.
                current = YearSummary.objects.filter(year=year).select_related("updated_by").first()
                data = request.POST.copy()
                data["version"] = current.version if current else ""
                form = SummaryForm(data)
                form.is_valid()
                form.add_error(None, exc.messages[0])
            except NotAllowed as exc:
                raise PermissionDenied(str(exc))
            except ServiceError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("年终总结草稿已保存。"))
                return redirect(f"{reverse('dashboards:summary')}?year={year}")
    else:
        form = SummaryForm(
            initial={"title": title, "body": body, "version": summary_obj.version if summary_obj else None}
        )
    return render(
        request,
        "dashboards/summary_edit.html",
        {
            "year": year,
            "form": form,
            "summary": summary_obj,
            "current": current,
            "groups": grouped(figures),
            "used": set(placeholders(form["body"].value() or "")),
        },
    )


@login_required
def summary_word(request):
    _require_dashboard(request.user)
    year = _year(request)
    figures, _obj, title, body = _summary_context(request, year)
    rendered = render_summary(title, body, figures, year)
    content = summary_document(rendered, grouped(figures), year)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    filename = f"{year}年工作总结（草稿）.docx"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename=\"summary-{year}.docx\"; filename*=UTF-8''{quote(filename)}"
    audit.record(request, audit.Action.EXPORT, obj=filename)
    return response


# ------------------------------------------------------------------- manual figures
@login_required
@require_http_methods(["GET", "POST"])
def manual_list(request):
    _require_dashboard(request.user)
    year = _year(request)
    can_edit = services.can_edit_report(request.user)
    form = ManualFigureForm(initial={"order": 100})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ManualFigureForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.manual_figure_create(
                    actor=request.user, year=year, figure_key=d["figure_key"], label=d["label"], value=d["value"],
                    reason=d["reason"], unit=d.get("unit", ""), order=d.get("order") or 100,
                )
            except ServiceError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已添加手工填报数据。"))
                return redirect(f"{reverse('dashboards:manual-list')}?year={year}")
    rows = ManualFigure.objects.visible_to(request.user).filter(year=year).select_related("entered_by")
    return render(
        request,
        "dashboards/manual_list.html",
        {"year": year, "years": _year_choices(year), "rows": rows, "form": form, "can_edit": can_edit},
    )


@login_required
@require_http_methods(["GET", "POST"])
def manual_edit(request, pk: int):
    _require_dashboard(request.user)
    figure = get_visible_or_404(ManualFigure, request.user, pk=pk)
    if not services.can_edit_report(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = ManualFigureForm(request.POST, editing=True, initial={"figure_key": figure.figure_key})
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.manual_figure_update(
                    actor=request.user, figure=figure, version=d.get("version"), label=d["label"], value=d["value"],
                    reason=d["reason"], unit=d.get("unit", ""), order=d.get("order"),
                )
            except (ServiceError, EditConflict) as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(f"{reverse('dashboards:manual-list')}?year={figure.year}")
    else:
        form = ManualFigureForm(
            editing=True,
            initial={
                "figure_key": figure.figure_key, "label": figure.label, "value": figure.value, "unit": figure.unit,
                "reason": figure.reason, "order": figure.order, "version": figure.version,
            },
        )
    return render(
        request,
        "dashboards/manual_edit.html",
        {"figure": figure, "form": form, "history": history_for(figure)[:30]},
    )


@login_required
@require_POST
def manual_delete(request, pk: int):
    _require_dashboard(request.user)
    figure = get_visible_or_404(ManualFigure, request.user, pk=pk)
    year = figure.year
    try:
        services.manual_figure_delete(
            actor=request.user, figure=figure, version=request.POST.get("version"), reason=request.POST.get("reason", "")
        )
    except NotAllowed as exc:
        raise PermissionDenied(str(exc))
    except EditConflict as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已删除。"))
    return redirect(f"{reverse('dashboards:manual-list')}?year={year}")


# -------------------------------------------------------------------- role dashboards
@login_required
def mine(request):
    """My dashboard: what is waiting on me, by role, plus the apps' home widgets."""
    user = request.user
    return render(
        request,
        "dashboards/mine.html",
        {
            "tiles": roles.tiles_for(user),
            "deputy_items": roles.deputy_items(user) if user.is_deputy else [],
            "widgets": home_widgets(user),
            "show_year_link": can_view_year_dashboard(user),
            "today": today(),
            "week_end": today() + dt.timedelta(days=7),
        },
    )
