"""One FilterSet per listable model, used by the HTML list and the API alike."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from congress.filtersets import FilterSet
from congress.models import HandlingUnit, Meeting, Office
from congress.querysets import text_q

from . import choices as c
from .models import (
    AppraisalTarget,
    AuditProblem,
    DeliberationOpinion,
    FiledDocument,
    Interpellation,
    LivelihoodProject,
    ProjectMilestone,
    SatisfactionVote,
    SupervisionItem,
    SupervisionStep,
)


@extend_schema_field(OpenApiTypes.INT)
class UnitFilter(django_filters.ModelChoiceFilter):
    """A handling unit id (documented as an integer in the API schema)."""


def _with_overdue(queryset):
    if "is_overdue" in queryset.query.annotations:
        return queryset
    return queryset.with_overdue()


class SupervisionItemFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))
    kind = django_filters.ChoiceFilter(choices=c.SupervisionType.choices, label=_("监督方式"))
    year = django_filters.NumberFilter(field_name="year", label=_("年度"))
    body = UnitFilter(
        queryset=HandlingUnit.objects.all(), method="filter_body", label=_("监督对象")
    )
    body_group = django_filters.ChoiceFilter(
        choices=HandlingUnit.Group.choices, method="filter_body_group", label=_("一府一委两院")
    )
    lead_office = django_filters.ModelChoiceFilter(queryset=Office.objects.all(), label=_("牵头委室"))
    status = django_filters.ChoiceFilter(choices=c.ItemStatus.choices, label=_("状态"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("逾期"))
    meeting = django_filters.ModelChoiceFilter(
        queryset=Meeting.objects.filter(kind=Meeting.Kind.STANDING), label=_("审议会议")
    )
    is_published = django_filters.BooleanFilter(label=_("已公开"))

    class Meta:
        model = SupervisionItem
        fields = ["q", "kind", "year", "body", "body_group", "lead_office", "status", "overdue", "meeting", "plan_item",
                  "is_published"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(text_q(["title", "description", "law_name"], value)) if value else queryset

    def filter_body(self, queryset, name, value):
        """The body itself, its departments, or items naming it as a department."""
        if not value:
            return queryset
        departments = SupervisionItem.departments.through.objects.filter(
            supervisionitem_id=OuterRef("pk"), handlingunit=value
        )
        return queryset.filter(Q(target_unit=value) | Q(target_unit__parent=value) | Q(Exists(departments)))

    def filter_body_group(self, queryset, name, value):
        return queryset.filter(target_unit__group=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        qs = _with_overdue(queryset)
        if value:
            return qs.filter(is_overdue=True, status__in=c.OPEN_STATUSES)
        return qs.exclude(is_overdue=True, status__in=c.OPEN_STATUSES)


class SupervisionStepFilterSet(FilterSet):
    open = django_filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", label=_("未完成"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("期限不晚于"))
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("期限不早于"))

    class Meta:
        model = SupervisionStep
        fields = ["item", "code", "open", "due_before", "due_after"]


class DeliberationOpinionFilterSet(FilterSet):
    year = django_filters.NumberFilter(field_name="item__year", label=_("年度"))
    report_due_before = django_filters.DateFilter(field_name="report_due", lookup_expr="lte", label=_("报告期限不晚于"))

    class Meta:
        model = DeliberationOpinion
        fields = ["item", "status", "year", "report_due_before"]


class SatisfactionVoteFilterSet(FilterSet):
    year = django_filters.NumberFilter(field_name="voted_on", lookup_expr="year", label=_("年份"))

    class Meta:
        model = SatisfactionVote
        fields = ["item", "result", "year"]


class AuditProblemFilterSet(FilterSet):
    year = django_filters.NumberFilter(field_name="item__year", label=_("年度"))

    class Meta:
        model = AuditProblem
        fields = ["item", "status", "rectification_kind", "responsible_unit", "year"]


class LivelihoodProjectFilterSet(FilterSet):
    year = django_filters.NumberFilter(field_name="item__year", label=_("年度"))

    class Meta:
        model = LivelihoodProject
        fields = ["item", "status", "department", "year"]


class ProjectMilestoneFilterSet(FilterSet):
    open = django_filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", label=_("未完成"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("计划完成日期不晚于"))

    class Meta:
        model = ProjectMilestone
        fields = ["project", "item", "open", "due_before"]


class AppraisalTargetFilterSet(FilterSet):
    class Meta:
        model = AppraisalTarget
        fields = ["item", "unit", "result"]


class InterpellationFilterSet(FilterSet):
    class Meta:
        model = Interpellation
        fields = ["item", "addressed_unit", "second_answer_required"]


class FiledDocumentFilterSet(FilterSet):
    year = django_filters.NumberFilter(field_name="published_on", lookup_expr="year", label=_("年份"))

    class Meta:
        model = FiledDocument
        fields = ["item", "status", "maker", "year"]
