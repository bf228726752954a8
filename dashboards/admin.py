from django.contrib import admin

from .models import ManualFigure, YearSummary


@admin.register(ManualFigure)
class ManualFigureAdmin(admin.ModelAdmin):
    list_display = ["year", "figure_key", "label", "value", "unit", "entered_by", "updated_at"]
    list_filter = ["year"]
    search_fields = ["figure_key", "label", "reason"]
    # Edits go through the pages, which keep history and check versions.
    readonly_fields = ["entered_by", "version", "created_at", "updated_at"]


@admin.register(YearSummary)
class YearSummaryAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "updated_by", "updated_at", "version"]
    readonly_fields = ["updated_by", "version", "created_at", "updated_at"]
