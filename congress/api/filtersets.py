"""One FilterSet per listable core model, used by the HTML list and the API alike."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters

from congress.filtersets import FilterSet
from congress.models import Appointment, Decision, Meeting, Notification


class ApiFilterSet(FilterSet, drf_filters.FilterSet):
    """The base of FilterSets generated from a viewset's `filterset_fields`."""


class FilterBackend(drf_filters.DjangoFilterBackend):
    """DjangoFilterBackend whose generated FilterSets scope their choices and years too."""

    filterset_base = ApiFilterSet


def _visible_meetings(request):
    # Choices of a filter are scoped too: an id outside the user's scope is "not a valid
    # choice", exactly like an id that does not exist.
    user = getattr(request, "user", None)
    if user is None:
        return Meeting.objects.none()
    return Meeting.objects.visible_to(user)


class MeetingFilterSet(FilterSet):
    year = django_filters.NumberFilter(field_name="start_date", lookup_expr="year", label=_("年份"))
    date_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label=_("开始日期起"))
    date_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label=_("开始日期止"))

    class Meta:
        model = Meeting
        fields = ["kind", "term", "status", "year", "date_from", "date_to"]


class DecisionFilterSet(FilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=_visible_meetings, label=_("会议"))
    year = django_filters.NumberFilter(field_name="adopted_on", lookup_expr="year", label=_("年份"))

    class Meta:
        model = Decision
        fields = ["meeting", "kind", "year"]


class AppointmentFilterSet(FilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=_visible_meetings, label=_("会议"))
    year = django_filters.NumberFilter(field_name="effective_on", lookup_expr="year", label=_("年份"))

    class Meta:
        model = Appointment
        fields = ["meeting", "action", "year"]


class NotificationFilterSet(FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("未读"))

    class Meta:
        model = Notification
        fields = ["level", "unread"]
