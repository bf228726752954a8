"""One FilterSet per listable model, used by the HTML list, its Excel export and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from congress.filtersets import FilterSet
from congress.models import CongressSession, Delegation, HandlingUnit, LiaisonStation
from congress.querysets import text_q
from congress.scoping import public_choices
from congress.workdays import today

from .choices import (
    ACTIVE_ASSIGNMENT_STATUSES,
    RESPONDING_ROLES,
    ActivityKind,
    AssignmentRole,
    AssignmentStatus,
    BillStatus,
    FollowUpStatus,
    KeyLevel,
    OpinionSource,
    OpinionStatus,
    Period,
    SuggestionStatus,
)
from .models import Activity, Assignment, Bill, CitizenOpinion, CoSignature, FollowUp, Suggestion, SuggestionCategory


def _digits(value: str) -> int | None:
    digits = "".join(ch for ch in value if ch.isdigit())
    return int(digits) if digits else None


class SuggestionFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))
    session = django_filters.ModelChoiceFilter(queryset=CongressSession.objects.all(), label=_("人代会"))
    status = django_filters.MultipleChoiceFilter(choices=SuggestionStatus.choices, distinct=False, label=_("状态"))
    period = django_filters.ChoiceFilter(choices=Period.choices, label=_("提出时间"))
    category = django_filters.ModelChoiceFilter(queryset=SuggestionCategory.objects.all(), label=_("分类"))
    unit = django_filters.ModelChoiceFilter(
        queryset=HandlingUnit.objects.all(), field_name="assignments__unit", method="filter_unit", label=_("承办单位")
    )
    delegation = django_filters.ModelChoiceFilter(
        queryset=Delegation.objects.all(), field_name="lead_deputy__delegation", label=_("代表团")
    )
    key_level = django_filters.ChoiceFilter(choices=KeyLevel.choices, label=_("重点督办"))
    is_key = django_filters.BooleanFilter(method="filter_is_key", label=_("仅重点督办"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("仅逾期未答复"))
    year = django_filters.NumberFilter(field_name="received_year", label=_("年度"))
    mine = django_filters.ChoiceFilter(
        choices=[("lead", _("我领衔的")), ("cosigned", _("我附议的"))], method="filter_mine", label=_("我的建议")
    )

    class Meta:
        model = Suggestion
        fields = ["q", "session", "status", "period", "category", "unit", "delegation", "key_level", "is_key",
                  "overdue", "year", "mine"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        q = text_q(["title", "situation", "proposal", "lead_deputy__name"], value)
        serial = _digits(value)
        if serial is not None and ("号" in value or value.isdigit()):
            q |= Q(serial=serial)
        return qs.filter(q)

    def filter_unit(self, qs, name, value):
        if not value:
            return qs
        active = Assignment.objects.filter(suggestion_id=OuterRef("pk"), unit=value).exclude(status=AssignmentStatus.RETURNED)
        return qs.filter(Exists(active))

    def filter_is_key(self, qs, name, value):
        if value is None:
            return qs
        return qs.exclude(key_level="") if value else qs.filter(key_level="")

    def filter_overdue(self, qs, name, value):
        if not value:
            return qs
        late = Assignment.objects.filter(
            suggestion_id=OuterRef("pk"),
            role__in=RESPONDING_ROLES,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED, AssignmentStatus.RETURN_REQUESTED],
            due_date__lt=today(),
        )
        return qs.filter(Exists(late))

    def filter_mine(self, qs, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None or not user.is_authenticated:
            return qs
        if value == "lead":
            return qs.filter(lead_deputy__user=user)
        mine = CoSignature.objects.filter(suggestion_id=OuterRef("pk"), deputy__user=user)
        return qs.filter(Exists(mine)).exclude(lead_deputy__user=user)


class PublicSuggestionFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))
    session = django_filters.ModelChoiceFilter(queryset=public_choices(CongressSession.objects.all()), label=_("人代会"))
    category = django_filters.ModelChoiceFilter(queryset=public_choices(SuggestionCategory.objects.all()), label=_("分类"))

    class Meta:
        model = Suggestion
        fields = ["q", "session", "category"]

    def filter_q(self, qs, name, value):
        return qs.filter(text_q(["title", "lead_deputy__name"], value.strip())) if value.strip() else qs


class BillFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))
    session = django_filters.ModelChoiceFilter(queryset=CongressSession.objects.all(), label=_("人代会"))
    status = django_filters.MultipleChoiceFilter(choices=BillStatus.choices, distinct=False, label=_("状态"))

    class Meta:
        model = Bill
        fields = ["q", "session", "status"]

    def filter_q(self, qs, name, value):
        return qs.filter(text_q(["title", "grounds", "lead_deputy__name"], value.strip())) if value.strip() else qs


class AssignmentFilterSet(FilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=HandlingUnit.objects.all(), label=_("承办单位"))
    role = django_filters.ChoiceFilter(choices=AssignmentRole.choices, label=_("承办方式"))
    status = django_filters.MultipleChoiceFilter(choices=AssignmentStatus.choices, distinct=False, label=_("状态"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("仅逾期"))
    active = django_filters.BooleanFilter(method="filter_active", label=_("仅在办"))

    class Meta:
        model = Assignment
        fields = ["unit", "role", "status", "overdue", "active"]

    def filter_overdue(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            role__in=RESPONDING_ROLES,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED, AssignmentStatus.RETURN_REQUESTED],
            due_date__lt=today(),
        )

    def filter_active(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES) if value else qs.exclude(status__in=ACTIVE_ASSIGNMENT_STATUSES)


class ActivityFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("类别"))
    station = django_filters.ModelChoiceFilter(queryset=LiaisonStation.objects.all(), label=_("联络站"))
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year", label=_("年度"))
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))

    class Meta:
        model = Activity
        fields = ["kind", "station", "year", "q"]

    def filter_q(self, qs, name, value):
        return qs.filter(text_q(["title", "description", "location"], value.strip())) if value.strip() else qs


class CitizenOpinionFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=OpinionStatus.choices, label=_("状态"))
    source = django_filters.ChoiceFilter(choices=OpinionSource.choices, label=_("来源"))
    station = django_filters.ModelChoiceFilter(queryset=LiaisonStation.objects.all(), label=_("联络站"))
    routed_unit = django_filters.ModelChoiceFilter(queryset=HandlingUnit.objects.all(), label=_("转交单位"))
    year = django_filters.NumberFilter(field_name="received_on", lookup_expr="year", label=_("年度"))

    class Meta:
        model = CitizenOpinion
        fields = ["status", "source", "station", "routed_unit", "year"]


class FollowUpFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=FollowUpStatus.choices, label=_("状态"))
    year = django_filters.NumberFilter(field_name="year", label=_("年度"))
    unit = django_filters.ModelChoiceFilter(
        queryset=HandlingUnit.objects.all(), field_name="assignment__unit", label=_("承办单位")
    )
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("承诺日期不晚于"))

    class Meta:
        model = FollowUp
        fields = ["status", "year", "unit", "due_before"]


def default_year() -> int:
    return today().year


__all__ = [
    "ActivityFilterSet",
    "AssignmentFilterSet",
    "BillFilterSet",
    "CitizenOpinionFilterSet",
    "FollowUpFilterSet",
    "PublicSuggestionFilterSet",
    "SuggestionFilterSet",
    "default_year",
]
