"""The base of every FilterSet: choice lists scoped to the user, query parameters
validated so that a bad value is a field error, never a server error."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.filters import QuerySetRequestMixin

from congress import choice_cache
from congress.scoping import scoped_choices

# Years a person can mean: the filter answers "out of range" outside, instead of
# handing the database a date it cannot build (year 0) or an integer it cannot store.
MIN_YEAR = 1949
MAX_YEAR = 2100


def year_range_error() -> str:
    return _("年份应在%(min)s至%(max)s之间。") % {"min": MIN_YEAR, "max": MAX_YEAR}


def clean_year(raw, *, default=None) -> int | None:
    """A `year` query parameter of a view without a FilterSet: `default` when absent,
    else a whole number within range, or a ValidationError on the field (the API answers
    400 with it)."""
    if raw in (None, ""):
        return default
    try:
        year = int(str(raw).strip())
    except ValueError:
        raise ValidationError({"year": _("请输入整数年份。")}) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": year_range_error()})
    return year


def year_or_default(raw, default=None) -> int | None:
    """For a page's year switcher: a bad year shows `default` rather than failing."""
    try:
        return clean_year(raw, default=default)
    except ValidationError:
        return default


def _is_year(f) -> bool:
    last = (f.field_name or "").split("__")[-1]
    return f.lookup_expr == "year" or last == "year" or last.endswith("_year")


def _reference(f) -> bool:
    """A plain model choice (declared with a query set) over reference data."""
    qs = f.queryset
    return (isinstance(qs, QuerySet) and f.field_class is django_filters.ModelChoiceFilter.field_class
            and choice_cache.cacheable(qs.model))


class FilterSet(django_filters.FilterSet):
    """Every model choice (declared or generated from `Meta.fields`) lists only what the
    request's user may see, through the model's `visible_to`; every year is a whole
    number within MIN_YEAR..MAX_YEAR."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # self.filters is this instance's deep copy: changing it never touches the class.
        for f in self.filters.values():
            if isinstance(f, django_filters.ModelChoiceFilter) and _reference(f):
                # Every user reads the same list: its rows come from the shared cache.
                choice_cache.watch(f.queryset.model)
                f.field_class = choice_cache.CachedModelChoiceField
            if isinstance(f, QuerySetRequestMixin) and not getattr(f.queryset, "scoped", False):
                f.queryset = scoped_choices(f.queryset)
            elif isinstance(f, django_filters.NumberFilter) and _is_year(f):
                f.field_class = forms.IntegerField
                f.extra.setdefault("min_value", MIN_YEAR)
                f.extra.setdefault("max_value", MAX_YEAR)
                f.extra.setdefault(
                    "error_messages",
                    {"min_value": year_range_error(), "max_value": year_range_error(), "invalid": _("请输入整数年份。")},
                )
