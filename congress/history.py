"""History of business records: who changed what, when, from what to what, and why.

Services call `record_change` in the same transaction as the change; the detail page
shows `history_for(obj)` as a timeline."""

import datetime as dt
import decimal
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import translation
from django.utils.functional import Promise

from congress.formatting import format_moment
from congress.models import AuditEntry


def _plain(value):
    """A JSON-safe, displayable form of a value (lazy translations become text)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return format_moment(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj, fields: list[str] | None = None) -> dict:
    """The displayable values of a record's concrete fields (foreign keys as their names).

    Choice labels are taken in the installation's language, not the actor's: history is
    an official record and reads the same whoever made the change."""
    with translation.override(settings.LANGUAGE_CODE):
        return _snapshot(obj, fields)


def _snapshot(obj, fields):
    data = {}
    derived = getattr(obj, "DERIVED_FIELDS", ())
    for field in obj._meta.concrete_fields:
        if field.name in {"id", "created_at", "updated_at", "version"} or field.name in derived:
            continue
        if fields is not None and field.name not in fields:
            continue
        labels = getattr(obj, "HISTORY_VALUE_LABELS", {}).get(field.name)
        if labels is not None:
            data[field.name] = _labelled(getattr(obj, field.name), labels)
        elif field.is_relation:
            data[field.name] = str(getattr(obj, field.name)) if getattr(obj, field.attname) is not None else None
        elif field.choices:
            data[field.name] = str(getattr(obj, f"get_{field.name}_display")())
        else:
            data[field.name] = _plain(getattr(obj, field.name))
    return data


def _labelled(value, labels):
    """A stored code (or a list of codes) as the words people chose it by."""
    names = {str(k): str(v) for k, v in (labels() if callable(labels) else labels)}
    if isinstance(value, list | tuple):
        return [names.get(str(v), str(v)) for v in value]
    if value is None or value == "":
        return None
    return names.get(str(value), str(value))


def diff(before: dict | None, after: dict | None) -> dict:
    """{field: [before, after]} for the fields that differ."""
    before = before or {}
    after = after or {}
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _label(obj, name: str) -> str:
    """The name people know a changed value by: the field's verbose name, for a related
    list (a project's milestones) the related model's name; a computed key stays as given."""
    try:
        field = obj._meta.get_field(name)
    except Exception:  # a computed value, not a field
        return name
    verbose = getattr(field, "verbose_name", None)
    if verbose is None and getattr(field, "related_model", None) is not None:
        verbose = field.related_model._meta.verbose_name
    return str(verbose or name)


def record_change(
    *,
    obj,
    actor,
    action: str = AuditEntry.Action.UPDATE,
    before: dict | None = None,
    after: dict | None = None,
    changes: dict | None = None,
    reason: str = "",
    summary: str = "",
) -> AuditEntry:
    """Write one history entry for `obj`. Pass before/after snapshots, or `changes` directly."""
    if changes is None:
        changes = diff(before, after)
    labels = {}
    changes = {str(k): v for k, v in changes.items()}
    with translation.override(settings.LANGUAGE_CODE):
        for name in changes:
            labels[name] = _label(obj, name)
        changes = {k: [_plain(v[0]), _plain(v[1])] for k, v in changes.items()}
        summary = str(summary or "")
        reason = str(reason or "")
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=summary[:300],
        changes={k: {"label": labels[k], "before": v[0], "after": v[1]} for k, v in changes.items()},
        reason=reason,
    )


def save_with_history(*, obj, actor, before: dict, reason: str = "", summary: str = "", update_fields=None):
    """Bump the version, save and record what changed since `before`."""
    obj.version = (obj.version or 0) + 1
    if update_fields is not None:
        update_fields = list({*update_fields, "version", "updated_at"})
    obj.save(update_fields=update_fields)
    return record_change(obj=obj, actor=actor, before=before, after=snapshot(obj), reason=reason, summary=summary)


def history_for(obj):
    """The timeline of a record, newest first, with actors loaded in the same query."""
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=obj.pk
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )


def internal_fields(model) -> frozenset:
    """Fields of a model whose history only the committee's own staff read (a model lists
    them in HISTORY_INTERNAL_FIELDS: internal flags such as 复杂建议 or 办理轮次)."""
    return frozenset(getattr(model, "HISTORY_INTERNAL_FIELDS", ()))


def visible_history(obj, user, limit: int = 100) -> list[AuditEntry]:
    """The timeline of a record as this user may read it: for people outside the committee
    (deputies, handling units) the changes of internal fields are left out, and an entry
    that said nothing else disappears."""
    entries = list(history_for(obj)[:limit])
    hidden = internal_fields(type(obj))
    if not hidden or getattr(user, "is_internal", False):
        return entries
    shown = []
    for e in entries:
        changes = {k: v for k, v in (e.changes or {}).items() if k not in hidden}
        if not changes and not e.summary and not e.reason:
            continue
        e.changes = changes
        shown.append(e)
    return shown
