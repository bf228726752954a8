"""Admin: the code tables (reply categories, suggestion categories) are edited here.
Workflow records are shown read-only: their changes go through the services."""

from django.contrib import admin

from congress.admin import HistoryAdminMixin

from .models import Activity, Bill, CitizenOpinion, FollowUp, ReplyCategory, Suggestion, SuggestionCategory


@admin.register(ReplyCategory)
class ReplyCategoryAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["code", "label", "counts_as_solved", "counts_as_planned", "opens_follow_up", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(SuggestionCategory)
class SuggestionCategoryAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


class ReadOnlyWorkflowAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyWorkflowAdmin):
    list_display = ["__str__", "lead_deputy", "session", "status", "category", "due_date", "key_level"]
    list_filter = ["status", "session", "category", "key_level", "period"]
    search_fields = ["title", "lead_deputy__name"]


@admin.register(Bill)
class BillAdmin(ReadOnlyWorkflowAdmin):
    list_display = ["__str__", "lead_deputy", "session", "status"]
    list_filter = ["status", "session"]
    search_fields = ["title", "lead_deputy__name"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyWorkflowAdmin):
    list_display = ["text", "suggestion", "due_date", "year", "status"]
    list_filter = ["status", "year"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyWorkflowAdmin):
    list_display = ["date", "title", "kind", "station", "people_received"]
    list_filter = ["kind", "station"]
    date_hierarchy = "date"


@admin.register(CitizenOpinion)
class CitizenOpinionAdmin(ReadOnlyWorkflowAdmin):
    list_display = ["received_on", "station", "deputy", "status", "routed_unit"]
    list_filter = ["status", "station"]
