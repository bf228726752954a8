"""Choice lists of reference data for the list pages' filter forms, from a shared cache.

A list page's filter form shows every congress session, category, handling unit and
delegation: four statements on every page view for data that changes a few times a year.
Their (key, label) rows are kept in the shared cache (Redis where configured) and dropped
after every committed write to their table, or after CHOICE_CACHE_SECONDS at the latest (a
write by another process in the embedded mode, whose cache is the process's memory). A
submitted value is still checked against the database, like any model choice."""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django_filters import fields as filter_fields

ALIAS = "shared"


def _key(model) -> str:
    return f"choices:{model._meta.label_lower}"


def cacheable(model) -> bool:
    """Reference data every signed-in user reads: models whose scope is everybody (the
    reference query set) or that have none."""
    from congress.querysets import ReferenceQuerySet

    manager_qs = type(model._default_manager.all())
    return issubclass(manager_qs, ReferenceQuerySet) or not hasattr(manager_qs, "visible_to")


def rows(queryset, label) -> list[tuple]:
    """(key, label) of every row of `queryset`, from the cache when it holds them."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # nothing to list (`none()`: a scope that lets nothing in)
        return []
    variant = hashlib.sha1(f"{sql}|{params}|{label.__qualname__}".encode()).hexdigest()[:16]
    cache = caches[ALIAS]
    key = _key(queryset.model)
    stored = cache.get(key) or {}
    found = stored.get(variant)
    if found is None:
        found = [(obj.pk, str(label(obj))) for obj in queryset]
        stored = {**stored, variant: found}
        cache.set(key, stored, settings.CHOICE_CACHE_SECONDS)
    return found


def _forget(sender, **kwargs):
    if getattr(sender, "_meta", None) is None or sender._meta.label_lower not in _watched:
        return
    # Now (this transaction's own next read) and again once committed (another process may
    # have stored the old rows in between).
    caches[ALIAS].delete(_key(sender))
    transaction.on_commit(lambda: caches[ALIAS].delete(_key(sender)))


_watched: set[str] = set()


def watch(model) -> None:
    if model._meta.label_lower not in _watched:
        _watched.add(model._meta.label_lower)
        post_save.connect(_forget, sender=model, dispatch_uid=f"choice-cache-save-{model._meta.label_lower}")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"choice-cache-delete-{model._meta.label_lower}")


class _CachedIterator(ModelChoiceIterator):
    def _rows(self):
        return rows(self.queryset, self.field.label_from_instance)

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, label in self._rows():
            yield (ModelChoiceIteratorValue(pk, None), label)

    def __len__(self):
        return len(self._rows()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self._rows())


class CachedChoiceIterator(filter_fields.ModelChoiceIterator, _CachedIterator):
    """django-filter's iterator (its null choice) over the cached rows."""


class CachedModelChoiceField(filter_fields.ModelChoiceField):
    iterator = CachedChoiceIterator
