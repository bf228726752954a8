"""One FilterSet per listable model of public comment, used by the pages and the API alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.filtersets import FilterSet
from congress.models import Office
from congress.querysets import text_q
from congress.workdays import today

from .choices_consultation import CommentStatus, ConsultationStatus, Handling
from .models import Consultation, PublicComment


def status_q(status: str, day) -> Q:
    """The computed status of a consultation as a query (see Consultation.status_on)."""
    published = Q(published_at__isnull=False)
    closed = published & (Q(closed_at__isnull=False) | Q(end_date__lt=day))
    if status == ConsultationStatus.DRAFT:
        return Q(published_at__isnull=True)
    if status == ConsultationStatus.CLOSED:
        return closed
    if status == ConsultationStatus.UPCOMING:
        return published & Q(closed_at__isnull=True, start_date__gt=day)
    return published & Q(closed_at__isnull=True, start_date__lte=day, end_date__gte=day)


class ConsultationFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))
    status = django_filters.ChoiceFilter(choices=ConsultationStatus.choices, method="filter_status", label=_("状态"))
    year = django_filters.NumberFilter(field_name="start_date", lookup_expr="year", label=_("年度"))
    office = django_filters.ModelChoiceFilter(queryset=Office.objects.all(), label=_("负责委室"))

    class Meta:
        model = Consultation
        fields = ["q", "status", "year", "office"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(text_q(["title", "explanation"], value)) if value else queryset

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_q(value, today())) if value else queryset


class PublicCommentFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))
    consultation = django_filters.ModelChoiceFilter(queryset=Consultation.objects.all(), label=_("草案"))
    status = django_filters.ChoiceFilter(choices=CommentStatus.choices, label=_("公开状态"))
    handling = django_filters.ChoiceFilter(choices=[("none", _("未处理")), *Handling.choices],
                                           method="filter_handling", label=_("处理情况"))
    whole = django_filters.BooleanFilter(field_name="article", lookup_expr="isnull", label=_("针对草案整体"))

    class Meta:
        model = PublicComment
        fields = ["q", "consultation", "status", "handling", "whole"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(text_q(["text", "reference"], value)) if value else queryset

    def filter_handling(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(handling="" if value == "none" else value)
