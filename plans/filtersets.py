"""One FilterSet per listable model, used by the HTML list and the API alike, so a
query string gives the same rows on both (architecture habit 1)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from congress.filtersets import FilterSet
from congress.models import Office, User
from congress.roles import LEADER_ROLES
from congress.workdays import today

from .choices import CLOSED_STATUSES, QUARTER_LABELS, ItemStatus, ItemType, PlanKind, month_label
from .models import Plan, PlanItem

PERIOD_CHOICES = [
    ("year", _("全年")),
    *[(f"q{q}", QUARTER_LABELS[q - 1]) for q in range(1, 5)],
    *[(f"m{m}", lazy(month_label, str)(m)) for m in range(1, 13)],
]


def _plans(request):
    if request is None:
        return Plan.objects.none()
    return Plan.objects.visible_to(request.user).order_by("-year", "kind")


class PlanItemFilterSet(FilterSet):
    """Filters of the item list: plan, office, vice-chair, type, status, period, overdue, text."""

    plan = django_filters.ModelChoiceFilter(queryset=_plans, label=_("计划"))
    year = django_filters.NumberFilter(field_name="plan__year", label=_("年度"))
    office = django_filters.ModelChoiceFilter(
        field_name="lead_office", queryset=Office.objects.all(), method="filter_office", label=_("委室")
    )
    vice_chair = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(role__in=LEADER_ROLES), label=_("分管领导")
    )
    type = django_filters.ChoiceFilter(field_name="item_type", choices=ItemType.choices, label=_("类型"))
    status = django_filters.MultipleChoiceFilter(choices=ItemStatus.choices, distinct=False, label=_("状态"))
    period = django_filters.ChoiceFilter(choices=PERIOD_CHOICES, method="filter_period", label=_("计划时间"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("已逾期"),
        # "全部/是/否" rather than the default "未知/是/否"; values stay true/false for the API.
        widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))]),
    )
    q = django_filters.CharFilter(method="filter_text", label=_("关键词"))

    class Meta:
        model = PlanItem
        fields = ["plan", "year", "office", "vice_chair", "type", "status", "period", "overdue", "q"]

    def filter_office(self, queryset, name, value):
        # The lead office, or an office asked to cooperate.
        if not value:
            return queryset
        cooperating = PlanItem.cooperating_offices.through.objects.filter(planitem_id=OuterRef("pk"), office=value)
        return queryset.filter(Q(lead_office=value) | Q(Exists(cooperating)))

    def filter_period(self, queryset, name, value):
        if value == "year":
            return queryset.filter(period_kind="year")
        if value.startswith("q") and value[1:].isdigit():
            q = int(value[1:])
            months = range(q * 3 - 2, q * 3 + 1)
            return queryset.filter(Q(period_kind="quarter", planned_quarter=q) | Q(period_kind="month", planned_month__in=months))
        if value.startswith("m") and value[1:].isdigit():
            return queryset.filter(period_kind="month", planned_month=int(value[1:]))
        return queryset

    def filter_overdue(self, queryset, name, value):
        overdue = Q(due_date__lt=today()) & ~Q(status__in=list(CLOSED_STATUSES))
        if value is True:
            return queryset.filter(overdue)
        if value is False:
            return queryset.exclude(overdue)
        return queryset

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(target__icontains=value)
            | Q(deliverable__icontains=value)
        )


class PlanFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices, label=_("计划类别"))
    year = django_filters.NumberFilter(label=_("年度"))
    is_published = django_filters.BooleanFilter(label=_("已公开"))

    class Meta:
        model = Plan
        fields = ["kind", "year", "is_published"]
