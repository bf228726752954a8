"""Read-mostly admin of plans: records change through the pages and the API (services),
so history and notifications are never skipped; the admin is for looking things up."""

from django.contrib import admin

from .models import ImportDraft, Plan, PlanItem, ProgressEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "year", "owner_office", "is_published", "approved_on"]
    list_filter = ["kind", "year", "is_published"]
    search_fields = ["title"]


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "plan", "lead_office", "vice_chair", "period_kind", "due_date", "status", "progress"]
    list_filter = ["plan", "status", "item_type", "lead_office"]
    search_fields = ["title", "description"]
    list_select_related = ["plan", "lead_office", "vice_chair"]
    ordering = ["plan", "path"]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(ReadOnlyAdmin):
    list_display = ["item", "percent", "reported_on", "author"]
    list_select_related = ["item", "author"]
    search_fields = ["item__title", "text"]


@admin.register(ImportDraft)
class ImportDraftAdmin(ReadOnlyAdmin):
    list_display = ["plan", "source_name", "created_by", "created_at", "confirmed_at"]
    list_select_related = ["plan", "created_by"]
