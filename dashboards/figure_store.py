"""Stored year figures: the dashboard reads a year's numbers instead of counting the
year's records on every request, and is never wrong, only sometimes slower right after
a write.

Freshness is one global generation (FiguresState), bumped when a transaction that wrote
to any table the figures read commits. A stored year is served while its generation is
the current one, it was computed today and with the same set of figures; otherwise the
figures are computed live (the same statement as ever) and stored again. The beat
refreshes stale stored years every minute, so the first read after a write is fast too.

Why one generation and not one per year: which years a write moves is not knowable
cheaply and safely. A suggestion's year is its receipt date, an evaluation's the receipt
date of its suggestion, an agenda item's the date of a meeting whose status change moves
the count; a reply category's "counts as solved" flag changes the solved rate of every
year; a plan item that gets a child stops being a leaf. Getting any of these wrong shows
a wrong number, the one thing the dashboard must not do. A generation is always right;
its price is that a write also makes the other stored years stale, and all stale years
are recomputed together by one aggregate statement per source.

Scope: every internal user (the only people the year dashboard is for) sees the same
records of every source (their `visible_to` does not depend on who they are), so one
set per year serves them all; anyone else is computed live from their own scope.

The tables a figure reads are taken from the figures' own compiled statements, so a new
metric or filter is covered without a list to keep up to date. Saves, deletes and
many-to-many changes of those tables bump the generation (as a cache invalidation, not
a business rule), and so does any history entry about a record of those tables: the
services record history in the same transaction as a bulk `update()` or `bulk_create()`,
which sends no signal."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from decimal import Decimal

from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from congress.workdays import today

logger = logging.getLogger(__name__)

FORMAT = "1"  # bump when what is stored per figure changes


# ------------------------------------------------------------------ generation
def current_generation() -> int:
    from dashboards.models import FiguresState

    return FiguresState.objects.filter(pk=1).values_list("generation", flat=True).first() or 0


def bump_generation() -> None:
    """Runs after the commit (never inside a transaction it could break)."""
    from dashboards.models import FiguresState

    try:
        if not FiguresState.objects.filter(pk=1).update(generation=F("generation") + 1):
            FiguresState.objects.get_or_create(pk=1, defaults={"generation": 1})
    except DatabaseError:
        # A data migration that runs before this app's tables exist: nothing is stored yet.
        if FiguresState._meta.db_table in connection.introspection.table_names():
            raise


class _Bump:
    """The on-commit callback of one transaction that wrote to the figures' records."""

    def __init__(self):
        self.done = False

    def __call__(self):
        self.done = True
        try:
            bump_generation()
        except DatabaseError:
            logger.exception("year figures: the data generation could not be advanced after a write")


def _pending(conn) -> bool:
    return any(isinstance(cb, _Bump) and not cb.done for _sids, cb, _robust in conn.run_on_commit)


def figures_changed(using: str | None = None) -> None:
    """The figures' records changed: bump the generation once the transaction commits (at
    once outside a transaction). One bump per transaction, however many rows it wrote."""
    conn = transaction.get_connection(using)
    if not conn.in_atomic_block:
        _Bump()()
        return
    if not _pending(conn):
        # Robust: the write has committed; a failed bump is logged, it never turns a
        # saved change into an error page.
        transaction.on_commit(_Bump(), using=using, robust=True)


def uncommitted_changes(using: str | None = None) -> bool:
    """This transaction wrote to the figures' records and has not committed: what is
    stored does not show its own writes yet."""
    return _pending(transaction.get_connection(using))


# --------------------------------------------------------- what the figures read
class _InternalReader:
    """Stands for any internal user when compiling the figures' statements (no query)."""

    is_authenticated = True
    is_internal = True
    is_superuser = False
    is_deputy = False
    is_unit_user = False
    is_active = True
    pk = id = unit_id = None
    role = ""


_tables: frozenset[str] | None = None


def dependency_tables() -> frozenset[str]:
    """The tables any figure's statement reads (joins and subqueries included)."""
    global _tables
    if _tables is None:
        from dashboards.figures import _source_sql, all_metrics

        metrics = all_metrics(include_disabled=True)
        by_source = {}
        for m in metrics:
            by_source.setdefault(m.source.key, (m.source, []))[1].append(m)
        sql = []
        year = today().year
        for source, group in by_source.values():
            try:
                sql.append(_source_sql(source, group, _InternalReader(), [year - 1, year])[0])
            except Exception:  # noqa: BLE001 - a source that cannot compile reads nothing to watch
                logger.warning("figures of source %s not watched", source.key)
        quoted = set(re.findall(r'"([^"]+)"', " ".join(sql)))
        _tables = frozenset(model._meta.db_table for model in apps.get_models() if model._meta.db_table in quoted)
    return _tables


def _watched(model) -> bool:
    return model is not None and model._meta.db_table in dependency_tables()


def on_model_change(sender, using=None, **kwargs):
    if _watched(sender):
        figures_changed(using)


def on_history(sender, instance, created=False, using=None, **kwargs):
    from django.contrib.contenttypes.models import ContentType

    if created and _watched(ContentType.objects.get_for_id(instance.content_type_id).model_class()):
        figures_changed(using)


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from congress.models import AuditEntry

    post_save.connect(on_model_change, dispatch_uid="figures-save")
    post_delete.connect(on_model_change, dispatch_uid="figures-delete")
    m2m_changed.connect(on_model_change, dispatch_uid="figures-m2m")
    post_save.connect(on_history, sender=AuditEntry, dispatch_uid="figures-history")


# -------------------------------------------------------------------- reading
def signature(metrics) -> str:
    """Which figures there are (a module switched on or off changes the set)."""
    keys = ",".join(sorted(m.key for m in metrics))
    return hashlib.sha1(f"{FORMAT}:{keys}".encode()).hexdigest()


def _shared_scope(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_internal)


def _dump(values: dict[tuple[str, int], tuple], year: int) -> dict:
    out = {}
    for (key, y), (total, numerator) in values.items():
        if y == year:
            out[key] = [str(total) if isinstance(total, Decimal) else total, numerator]
    return out


def _load(data: dict, year: int) -> dict[tuple[str, int], tuple]:
    return {(key, year): (Decimal(total) if isinstance(total, str) else total, numerator)
            for key, (total, numerator) in data.items()}


def metric_values(metrics, user, years: list[int]) -> tuple[dict[tuple[str, int], tuple], dt.datetime]:
    """(total, numerator) of the metrics for the years, from the stored figures where they
    are current, computed (and stored) otherwise; with the time of the oldest number."""
    from dashboards.figures import compute_values
    from dashboards.models import FiguresState, YearFigures

    if not _shared_scope(user) or uncommitted_changes():
        return compute_values(metrics, user, years), timezone.now()
    sig = signature(metrics)
    day = today()
    rows = YearFigures.objects.filter(year__in=years).annotate(
        current=Coalesce(Subquery(FiguresState.objects.filter(pk=1).values("generation")[:1]), 0)
    )
    values: dict[tuple[str, int], tuple] = {}
    times = []
    fresh = set()
    for row in rows:
        if row.generation == row.current and row.computed_on == day and row.signature == sig:
            values.update(_load(row.values, row.year))
            times.append(row.computed_at)
            fresh.add(row.year)
    missing = [y for y in years if y not in fresh]
    if missing:
        values.update(store(metrics, user, missing))
        times.append(timezone.now())
    return values, min(times)


def current_values(metrics, user, years: list[int]) -> dict[tuple[str, int], tuple] | None:
    """The stored values of the years if every one is current, else None (nothing is
    computed: for a page that needs a few figures and counts those itself otherwise)."""
    from dashboards.models import FiguresState, YearFigures

    if not _shared_scope(user) or uncommitted_changes():
        return None
    sig = signature(metrics)
    day = today()
    rows = YearFigures.objects.filter(year__in=years, signature=sig, computed_on=day).annotate(
        current=Coalesce(Subquery(FiguresState.objects.filter(pk=1).values("generation")[:1]), 0)
    )
    values = {}
    fresh = set()
    for row in rows:
        if row.generation == row.current:
            values.update(_load(row.values, row.year))
            fresh.add(row.year)
    return values if fresh == set(years) else None


def store(metrics, user, years: list[int]) -> dict[tuple[str, int], tuple]:
    """Compute the years' figures as `user` (an internal user) sees them and store them.

    The generation is read before the records: a write committed in between makes the
    stored figures stale at once, never current with a count that misses it."""
    from dashboards.figures import compute_values
    from dashboards.models import YearFigures

    generation = current_generation()
    day = today()
    values = compute_values(metrics, user, years)
    now = timezone.now()
    sig = signature(metrics)
    rows = [YearFigures(year=y, values=_dump(values, y), generation=generation, signature=sig,
                        computed_on=day, computed_at=now) for y in years]
    YearFigures.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["year"],
        update_fields=["values", "generation", "signature", "computed_on", "computed_at"],
    )
    return values


def refresh_stale() -> list[int]:
    """Recompute every stored year that is no longer current (all in one statement per
    source). Returns the years recomputed."""
    from dashboards.figures import all_metrics
    from dashboards.models import YearFigures

    user = _any_internal_user()
    if user is None:
        return []
    metrics = all_metrics()
    sig = signature(metrics)
    day = today()
    generation = current_generation()
    stale = sorted(
        year for year, gen, s, on in YearFigures.objects.values_list("year", "generation", "signature", "computed_on")
        if gen != generation or s != sig or on != day
    )
    if stale:
        store(metrics, user, stale)
    return stale


def _any_internal_user():
    from congress.models import User
    from congress.roles import INTERNAL_ROLES

    user = User.objects.filter(is_active=True, role__in=list(INTERNAL_ROLES)).order_by("pk").first()
    return user or User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
