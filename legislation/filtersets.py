"""One FilterSet per listable model of legislation, used by the pages and the API alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.filtersets import FilterSet
from congress.models import Office

from .choices import Category, PlanKind, PlanStatus, ProjectKind, ProjectStatus, Step
from .models import LegislativePlan, RegulationProject


def _plans(request):
    if request is None:
        return LegislativePlan.objects.none()
    return LegislativePlan.objects.visible_to(request.user).order_by("-year", "kind")


class LegislativePlanFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices, label=_("类别"))
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("状态"))

    class Meta:
        model = LegislativePlan
        fields = ["kind", "year", "status"]


class RegulationProjectFilterSet(FilterSet):
    plan = django_filters.ModelChoiceFilter(queryset=_plans, label=_("立法计划"))
    year = django_filters.NumberFilter(field_name="plan__year", label=_("年度"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("项目类别"))
    kind = django_filters.ChoiceFilter(choices=ProjectKind.choices, label=_("立法形式"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("状态"))
    step = django_filters.ChoiceFilter(field_name="current_step", choices=Step.choices, label=_("当前环节"))
    office = django_filters.ModelChoiceFilter(field_name="lead_office", queryset=Office.objects.all(),
                                              label=_("牵头委员会"))
    q = django_filters.CharFilter(method="filter_text", label=_("关键词"))

    class Meta:
        model = RegulationProject
        fields = ["plan", "year", "category", "kind", "status", "step", "office", "q"]

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(drafting_body__icontains=value))
