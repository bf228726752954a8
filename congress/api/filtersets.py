import django_filters

from congress.models import Appointment, Decision, Meeting, Notification


class MeetingFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="start_date", lookup_expr="year", label="年份")
    date_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label="开始日期起")
    date_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label="开始日期止")

    class Meta:
        model = Meeting
        fields = ["kind", "term", "status", "year", "date_from", "date_to"]


class DecisionFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="adopted_on", lookup_expr="year", label="年份")

    class Meta:
        model = Decision
        fields = ["meeting", "kind", "year"]


class AppointmentFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="effective_on", lookup_expr="year", label="年份")

    class Meta:
        model = Appointment
        fields = ["meeting", "action", "year"]


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="未读")

    class Meta:
        model = Notification
        fields = ["level", "unread"]
