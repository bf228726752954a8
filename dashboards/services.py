"""Writes of the dashboards app: the summary draft's wording and hand-entered figures.

Every write checks that the actor works inside the committee, refuses stale versions and
records the change in the history in the same transaction."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from congress.exceptions import NotAllowed, ServiceError, check_version
from congress.history import record_change, save_with_history, snapshot
from congress.models import AuditEntry

from .figures import all_metrics, collect
from .models import ManualFigure, YearSummary, key_validator
from .summary import placeholders

MIN_YEAR, MAX_YEAR = 2000, 2100


def can_edit_report(user) -> bool:
    """Committee staff, the assigning office, leaders and administrators write the draft;
    deputies and handling units never see it."""
    return bool(user and user.is_authenticated and user.is_internal)


def _require_editor(actor) -> None:
    if not can_edit_report(actor):
        raise NotAllowed(_("只有常委会机关工作人员可以编辑年终总结和手工填报数据。"))


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ServiceError({"year": _("年度无效。")})
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ServiceError({"year": _("年度应在%(min)s至%(max)s之间。") % {"min": MIN_YEAR, "max": MAX_YEAR}})
    return year


# ------------------------------------------------------------------- summary draft
@transaction.atomic
def summary_save(*, actor, year: int, title: str, body: str, version=None, reason: str = "") -> YearSummary:
    """Create or edit the year's summary wording. Every code in braces must be a figure
    of that year (or {year}); a typo would otherwise print as a hole in the report."""
    _require_editor(actor)
    year = _check_year(year)
    title = (title or "").strip()
    body = (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写标题。")
    if not body:
        errors["body"] = _("请填写正文。")
    if body:
        known = {f.key for f in collect(year, actor, compare=False)} | {"year"}
        unknown = [k for k in placeholders(body) + placeholders(title) if k not in known]
        if unknown:
            errors["body"] = _("以下代码不是本年度的数据：%(codes)s。请检查拼写，或先在“手工填报”中添加。") % {
                "codes": "、".join("{" + k + "}" for k in dict.fromkeys(unknown))
            }
    if errors:
        raise ServiceError(errors)

    summary = YearSummary.objects.select_for_update().filter(year=year).first()
    if summary is None:
        summary = YearSummary.objects.create(year=year, title=title, body=body, updated_by=actor)
        record_change(
            obj=summary, actor=actor, action=AuditEntry.Action.CREATE, before=None,
            after=snapshot(summary, ["title", "body"]), reason=reason, summary=_("创建年终总结草稿"),
        )
        return summary
    check_version(summary, version)
    if summary.title == title and summary.body == body:
        return summary
    before = snapshot(summary, ["title", "body"])
    summary.title, summary.body, summary.updated_by = title, body, actor
    summary.version += 1
    summary.save()
    # The timeline keeps the wording before and after, so any earlier version can be read back.
    record_change(
        obj=summary, actor=actor, before=before, after=snapshot(summary, ["title", "body"]),
        reason=reason, summary=_("修改年终总结草稿"),
    )
    return summary


# ------------------------------------------------------------------ manual figures
def _clean_manual(*, year, figure_key, label, value, reason, unit, exclude_pk=None) -> dict:
    errors = {}
    figure_key = (figure_key or "").strip()
    label = (label or "").strip()
    reason = (reason or "").strip()
    unit = (unit or "").strip()
    try:
        key_validator(figure_key)
    except Exception as exc:  # django ValidationError
        errors["figure_key"] = " ".join(getattr(exc, "messages", [str(exc)]))
    if figure_key in {m.key for m in all_metrics()} or figure_key == "year":
        errors["figure_key"] = _("“%(key)s”是系统统计的数据代码，不能手工填报覆盖。") % {"key": figure_key}
    elif figure_key and ManualFigure.objects.filter(year=year, figure_key=figure_key).exclude(pk=exclude_pk).exists():
        errors["figure_key"] = _("本年度已有代码为“%(key)s”的手工数据。") % {"key": figure_key}
    if not label:
        errors["label"] = _("请填写名称。")
    try:
        value = Decimal(str(value)) if value is not None and str(value).strip() != "" else None
    except InvalidOperation:
        value = None
        errors["value"] = _("请填写数值。")
    if value is None:
        errors.setdefault("value", _("请填写数值。"))
    elif value < 0 or value.is_nan() or value.is_infinite() or abs(value) >= Decimal("1e12"):
        errors["value"] = _("数值无效。")
    if not reason:
        # Domain §7: a figure the system cannot know is entered with the reason why.
        errors["reason"] = _("手工填报的数据必须说明理由和来源。")
    if errors:
        raise ServiceError(errors)
    return {"figure_key": figure_key, "label": label, "value": value, "reason": reason, "unit": unit}


@transaction.atomic
def manual_figure_create(
    *, actor, year: int, figure_key: str, label: str, value, reason: str, unit: str = "", order: int = 100
) -> ManualFigure:
    _require_editor(actor)
    year = _check_year(year)
    data = _clean_manual(year=year, figure_key=figure_key, label=label, value=value, reason=reason, unit=unit)
    figure = ManualFigure.objects.create(year=year, order=order or 100, entered_by=actor, **data)
    record_change(
        obj=figure, actor=actor, action=AuditEntry.Action.CREATE, before=None, after=snapshot(figure),
        reason=data["reason"], summary=_("手工填报数据"),
    )
    return figure


@transaction.atomic
def manual_figure_update(
    *, actor, figure: ManualFigure, version, label: str, value, reason: str, unit: str = "", order: int | None = None
) -> ManualFigure:
    _require_editor(actor)
    figure = ManualFigure.objects.select_for_update().get(pk=figure.pk)
    check_version(figure, version)
    data = _clean_manual(
        year=figure.year, figure_key=figure.figure_key, label=label, value=value, reason=reason, unit=unit,
        exclude_pk=figure.pk,
    )
    before = snapshot(figure)
    figure.label, figure.value, figure.reason, figure.unit = data["label"], data["value"], data["reason"], data["unit"]
    if order is not None:
        figure.order = order
    figure.entered_by = actor
    save_with_history(obj=figure, actor=actor, before=before, reason=data["reason"], summary=_("修改手工填报数据"))
    return figure


@transaction.atomic
def manual_figure_delete(*, actor, figure: ManualFigure, version, reason: str = "") -> None:
    _require_editor(actor)
    figure = ManualFigure.objects.select_for_update().get(pk=figure.pk)
    check_version(figure, version)
    record_change(
        obj=figure, actor=actor, action=AuditEntry.Action.DELETE, before=snapshot(figure), after=None,
        reason=reason, summary=_("删除手工填报数据"),
    )
    figure.delete()
