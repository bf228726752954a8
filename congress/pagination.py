"""Pagination whose cost follows the page, not the table.

Counting every row of a large result costs as much as reading it, so lists count up to
COUNT_CAP rows and say "more than 10,000" past that; `?count=exact` asks for the exact
figure (and every page) on demand."""

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import OuterRef
from django.db.models.query import ModelIterable, QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000
# Past this many rows a page is found by its primary keys first (a narrow sort an index can
# feed), then its 20–50 full rows are read by key.
IDS_FIRST_FROM = 1_000
EXACT_PARAM = "count"
# Up to this many rows before a page's end, a list ordered first by a related record's field
# (suggestions and bills by their congress session's date) reads each group's first keys from
# its own index, in order, rather than sorting every matching key.
GROUPED_UP_TO = 2_000


def wants_exact(params) -> bool:
    return params.get(EXACT_PARAM) == "exact"


def walks_groups(user, params) -> bool:
    """Whether a list may read its page group by group (`grouped_keys`): for staff, office and
    leaders, whose scope leaves nearly every row in, and only with no filter or sort asked
    for. A filter that follows the groups (a year, a status most older sessions lack) would
    leave the index walk of a group that holds none of its rows reading the whole group,
    and a unit's or deputy's scope is better served by the sort over their own keys."""
    if not getattr(user, "is_internal", False):
        return False
    for key in set(params) - {"page", "page_size", EXACT_PARAM}:
        values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
        if any(v not in ("", None) for v in values):
            return False  # a filter or sort with a value (a form sent with empty fields filters nothing)
    return True


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    def __init__(self, object_list, per_page, *args, exact: bool = False, grouped: bool = False, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.exact = exact
        self.grouped = grouped
        self.count_is_exact = True

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if self.exact or not hasattr(qs, "query"):
            return super().count
        # COUNT over at most cap + 1 primary keys: stops reading once the cap is passed.
        found = qs.order_by().values("pk")[: self.cap + 1].count()
        if found > self.cap:
            self.count_is_exact = False
            return self.cap
        return found

    def page(self, number):
        qs = self.object_list
        if (not isinstance(qs, QuerySet) or qs._iterable_class is not ModelIterable or qs.query.distinct
                or self.count <= IDS_FIRST_FROM):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count) if self.count_is_exact else bottom + self.per_page
        if self.count_is_exact and top + self.orphans >= self.count:
            top = self.count
        ids = grouped_keys(qs, bottom, top) if self.grouped else None
        if ids is None:
            ids = list(qs.values_list("pk", flat=True)[bottom:top])
        by_id = {obj.pk: obj for obj in qs.order_by().filter(pk__in=ids)}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)


def _ordering(qs) -> list:
    if qs.query.order_by:
        return list(qs.query.order_by)
    return list(qs.model._meta.ordering) if qs.query.default_ordering else []


def grouped_keys(qs, bottom: int, top: int) -> list | None:
    """The keys of rows bottom..top of `qs` when its order starts with a field of a required
    foreign key's record (`-session__start_date`, then the row's own fields): per related
    record, its first `top` keys in the rest of the order — an index walk that stops early,
    with the list's filters applied — gathered in one statement (PostgreSQL) and joined in
    the related records' order. None when the list is not ordered so, the page is deep,
    two related records tie on the field, or the database is not PostgreSQL."""
    if top > GROUPED_UP_TO or connections[qs.db].vendor != "postgresql":
        return None
    order = _ordering(qs)
    if not order or not all(isinstance(o, str) for o in order):
        return None
    head, rest = order[0], order[1:]
    name, sep, field = head.lstrip("-").partition("__")
    if not sep or "__" in field or any("__" in o for o in rest):
        return None
    try:
        fk = qs.model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not fk.many_to_one or fk.null:
        return None
    from django.contrib.postgres.expressions import ArraySubquery

    firsts = qs.order_by(*rest).filter(**{fk.attname: OuterRef("pk")}).values("pk")[:top]
    direction = "-" if head.startswith("-") else ""
    groups = (fk.related_model._base_manager.using(qs.db).order_by(direction + field, "pk")
              .annotate(_keys=ArraySubquery(firsts)).values_list(field, "_keys"))
    ids, seen = [], set()
    for value, keys in groups:
        if not keys:
            continue
        if value in seen or value is None:
            return None  # two groups share a place in the order: their rows interleave
        seen.add(value)
        ids.extend(keys)
    return ids[bottom:top]
