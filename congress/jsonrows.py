"""Short child lists of a detail read in the parent's own statement, as JSON arrays.

A detail page or API answer shows a record with a handful of short lists (co-signers,
requests, follow-ups …). Prefetching each is a statement per list; here each list is a
correlated subquery aggregated to one JSON array (json_agg on PostgreSQL,
json_group_array on SQLite) annotated on the parent, and turned back into model
instances placed in the parent's prefetch cache, so `parent.children.all()` and the
serializers work unchanged. Meant for lists of a few rows, not for pages."""

from __future__ import annotations

import datetime as dt
import functools
import json

from django.db import models
from django.db.models import Aggregate, F, OuterRef, Subquery, TextField
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_date, parse_datetime


class JSONArrayAgg(Aggregate):
    """The aggregated values as the text of a JSON array ('[]' for none on PostgreSQL)."""

    function = "JSON_AGG"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="COALESCE(JSON_AGG(%(expressions)s)::text, '[]')", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra)


def _paths(model, related: tuple[str, ...]) -> list[str]:
    paths = [f.attname for f in model._meta.concrete_fields]
    for rel in related:
        target = model
        for part in rel.split("__"):
            target = target._meta.get_field(part).related_model
        paths += [f"{rel}__{f.attname}" for f in target._meta.concrete_fields]
    return paths


def rows_of(queryset, fk: str, related: tuple[str, ...] = ()) -> Subquery:
    """A subquery giving, for each outer row, its children as a JSON array of objects with
    every column of the child and of the `related` rows it points to."""
    obj = JSONObject(**{p: F(p) for p in _paths(queryset.model, related)})
    return Subquery(
        queryset.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(_rows=JSONArrayAgg(obj)).values("_rows"),
        output_field=TextField(),
    )


def _value(field, value):
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(value) if isinstance(value, str) else value
        if parsed is not None and parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)  # SQLite keeps UTC without an offset
        return parsed
    if isinstance(field, models.DateField):
        return parse_date(value[:10]) if isinstance(value, str) else value
    if isinstance(field, models.BooleanField):
        return bool(value)
    return field.to_python(value)


def _build(model, data: dict):
    direct, nested = {}, {}
    for key, value in data.items():
        head, _sep, rest = key.partition("__")
        if rest:
            nested.setdefault(head, {})[rest] = value
        else:
            direct[key] = value
    if all(v is None for v in direct.values()):
        return None  # a related row that is not there (a null foreign key)
    obj = model.__new__(model)
    obj._state = models.base.ModelState()
    obj._state.adding, obj._state.db = False, "default"
    for f in model._meta.concrete_fields:
        setattr(obj, f.attname, _value(f, direct.get(f.attname)))
    for head, sub in nested.items():
        field = model._meta.get_field(head)
        field.set_cached_value(obj, _build(field.related_model, sub))
    return obj


def _ordering(model):
    keys = []
    for name in model._meta.ordering:
        desc = name.startswith("-")
        attname = model._meta.get_field(name.lstrip("-")).attname
        keys.append((attname, desc))
    keys.append((model._meta.pk.attname, False))  # a fixed order where Meta.ordering leaves ties

    def compare(a, b):
        for attname, desc in keys:
            x, y = getattr(a, attname), getattr(b, attname)
            if x == y:
                continue
            if x is None or y is None:
                result = 1 if x is None else -1  # nulls last ascending, first descending
            else:
                result = -1 if x < y else 1
            return -result if desc else result
        return 0

    return functools.cmp_to_key(compare)


def load(parent, name: str, raw: str | None, model, fk: str) -> list:
    """Turn the JSON array `raw` into instances of `model` (pointing back at `parent`),
    ordered as the model's Meta.ordering, and make them parent's prefetched `name`."""
    rows = [_build(model, d) for d in json.loads(raw or "[]")]
    fk_field = model._meta.get_field(fk)
    if fk_field.is_relation:  # a generic relation's object_id is a plain column
        for row in rows:
            fk_field.set_cached_value(row, parent)
    rows.sort(key=_ordering(model))
    cache = parent.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(name, None)
    qs = getattr(parent, name).all()  # as prefetch_related leaves it: a queryset already evaluated
    qs._result_cache, qs._prefetch_done = rows, True
    cache[name] = qs
    return rows


def _order_fields(model) -> list[str]:
    return [model._meta.pk.attname] + [model._meta.get_field(n.lstrip("-")).attname for n in model._meta.ordering]


def ids_of(model, name: str) -> Subquery:
    """A subquery giving, for each outer row of `model`, the keys of its many-to-many
    `name` (with the columns that order them) as a JSON array."""
    field = model._meta.get_field(name)
    through, target = field.remote_field.through, field.related_model
    source, dest = field.m2m_field_name(), field.m2m_reverse_name()
    obj = JSONObject(**{c: F(f"{dest}__{c}") for c in dict.fromkeys(_order_fields(target))})
    return Subquery(
        through.objects.filter(**{source: OuterRef("pk")}).order_by().values(source)
        .annotate(_ids=JSONArrayAgg(obj)).values("_ids"),
        output_field=TextField(),
    )


def load_ids(parent, name: str, raw: str | None) -> list:
    """Make the rows in `raw` parent's prefetched many-to-many `name`: instances that
    carry only their key and ordering columns (for serializers that show keys), in the
    related model's order."""
    model = parent._meta.get_field(name).related_model
    rows = [_build(model, d) for d in json.loads(raw or "[]")]
    rows.sort(key=_ordering(model))
    cache = parent.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(name, None)
    qs = getattr(parent, name).all()
    qs._result_cache, qs._prefetch_done = rows, True
    cache[name] = qs
    return rows


class KeyListsMixin:
    """For a viewset whose records show the keys of many-to-many lists (`KEY_LISTS`): those
    keys come in the record's own statement (`with_key_lists` on the queryset), for a page of
    a list and for one record alike, instead of a prefetch statement per list."""

    KEY_LISTS: tuple[str, ...] = ()

    def with_key_lists(self, qs):
        return qs.annotate(**{f"_json_{name}": ids_of(qs.model, name) for name in self.KEY_LISTS})

    def loaded(self, obj):
        for name in self.KEY_LISTS:
            if f"_json_{name}" in obj.__dict__:
                load_ids(obj, name, obj.__dict__.pop(f"_json_{name}"))
        return obj

    def get_object(self):
        return self.loaded(super().get_object())

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        for obj in page or ():
            self.loaded(obj)
        return page
