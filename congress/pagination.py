"""Pagination whose cost follows the page, not the table.

Counting every row of a large result costs as much as reading it, so lists count up to
COUNT_CAP rows and say "more than 10,000" past that; `?count=exact` asks for the exact
figure (and every page) on demand."""

from django.core.paginator import Paginator
from django.db.models.query import ModelIterable, QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000
# Past this many rows a page is found by its primary keys first (a narrow sort an index can
# feed), then its 20–50 full rows are read by key.
IDS_FIRST_FROM = 1_000
EXACT_PARAM = "count"


def wants_exact(params) -> bool:
    return params.get(EXACT_PARAM) == "exact"


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    def __init__(self, object_list, per_page, *args, exact: bool = False, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.exact = exact
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
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
        by_id = {obj.pk: obj for obj in qs.order_by().filter(pk__in=ids)}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)
