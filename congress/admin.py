"""Admin for reference data. Every save through the admin writes a history entry too."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress import periods, workdays
from congress.history import record_change, snapshot
from congress.models import (
    AgendaItem,
    Appointment,
    Attendance,
    AuditEntry,
    CalendarYear,
    CongressSession,
    Decision,
    Delegation,
    Deputy,
    DeputyGroup,
    HandlingUnit,
    LiaisonStation,
    Meeting,
    Notification,
    Office,
    OutboxMessage,
    PeriodSetting,
    Term,
    User,
    WorkingDayOverride,
)


class HistoryAdminMixin:
    """Record who changed what in the admin, with before and after values."""

    # Robot webhook URLs typed without a scheme are https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(old) if old else None
        if hasattr(obj, "version") and change:
            obj.version = (obj.version or 0) + 1
        super().save_model(request, obj, form, change)
        record_change(
            obj=obj,
            actor=request.user,
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            before=before,
            after=snapshot(obj),
            summary=str(_("后台管理修改")),
        )

    def delete_model(self, request, obj):
        record_change(obj=obj, actor=request.user, action=AuditEntry.Action.DELETE, before=snapshot(obj), after=None)
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        """Inline rows (agenda items, decisions, appointments, attendance) keep history too."""
        befores = {}
        for inline_form in formset.initial_forms:
            obj = inline_form.instance
            if obj.pk and inline_form.has_changed():
                old = type(obj)._default_manager.filter(pk=obj.pk).first()
                if old is not None:
                    befores[obj.pk] = snapshot(old)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_change(obj=obj, actor=request.user, action=AuditEntry.Action.DELETE, before=snapshot(obj), after=None)
            obj.delete()
        for obj in instances:
            created = obj.pk is None
            if hasattr(obj, "version") and not created:
                obj.version = (obj.version or 0) + 1
            obj.save()
            record_change(
                obj=obj,
                actor=request.user,
                action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
                before=None if created else befores.get(obj.pk),
                after=snapshot(obj),
                summary=str(_("后台管理修改")),
            )
        formset.save_m2m()


@admin.register(User)
class UserAdmin(HistoryAdminMixin, BaseUserAdmin):
    list_display = ["username", "name", "role", "office", "unit", "is_active"]
    list_filter = ["role", "office", "unit", "is_active"]
    search_fields = ["username", "name", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("角色与单位"), {"fields": ("name", "role", "office", "unit", "title", "phone")}),
        (_("提醒方式"), {"fields": ("notify_email", "notify_webhook", "notify_daily_digest")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("角色与单位"), {"fields": ("name", "role", "office", "unit")}),
    )


@admin.register(Term)
class TermAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "number", "start_date", "end_date", "is_current"]


@admin.register(CongressSession)
class CongressSessionAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "term", "number", "start_date", "end_date"]
    list_filter = ["term"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "kind", "lead_office", "reporting_unit", "draft_report_received_on", "final_report_received_on"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    fields = ["kind", "title", "adopted_on", "agenda_item"]


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    fields = ["action", "person_name", "position", "organisation", "oath_taken", "effective_on", "agenda_item"]


@admin.register(Meeting)
class MeetingAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "start_date", "status"]
    list_filter = ["kind", "term", "status"]
    date_hierarchy = "start_date"
    search_fields = ["name"]
    inlines = [AgendaItemInline, DecisionInline, AppointmentInline, AttendanceInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "meeting", "kind", "lead_office", "reporting_unit"]
    list_filter = ["kind", "lead_office"]
    search_fields = ["title"]


@admin.register(Decision)
class DecisionAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "meeting", "adopted_on"]
    list_filter = ["kind"]
    date_hierarchy = "adopted_on"


@admin.register(Appointment)
class AppointmentAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["person_name", "action", "position", "organisation", "oath_taken", "effective_on", "meeting"]
    list_filter = ["action", "oath_taken"]
    date_hierarchy = "effective_on"
    search_fields = ["person_name", "position"]


@admin.register(Office)
class OfficeAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "is_assigning_office", "vice_chair", "sort_order"]
    list_filter = ["kind"]
    list_editable = ["sort_order"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "group", "parent", "is_active", "sort_order"]
    list_filter = ["group", "is_active"]
    search_fields = ["name"]


@admin.register(Delegation)
class DelegationAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "term"]


@admin.register(DeputyGroup)
class DeputyGroupAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "delegation"]


@admin.register(LiaisonStation)
class LiaisonStationAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "address", "established_on"]


@admin.register(Deputy)
class DeputyAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "delegation", "group", "station", "occupation", "is_active"]
    list_filter = ["delegation", "is_active"]
    search_fields = ["name", "card_number"]
    raw_id_fields = ["user"]


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workdays.clear_cache()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workdays.clear_cache()


@admin.register(CalendarYear)
class CalendarYearAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["year", "note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workdays.clear_cache()


@admin.register(PeriodSetting)
class PeriodSettingAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["label", "value", "unit", "default_value", "source", "key"]
    list_editable = ["value"]
    readonly_fields = ["key", "label", "unit", "default_value", "source"]
    search_fields = ["label", "key"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        periods.ensure_period_rows()
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        periods.clear_cache()


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "object_repr", "action", "summary", "reason"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "level", "read_at"]
    list_filter = ["level"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "address", "subject", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


# --- Reminder engine (read-only: the log is written by the scan, never by hand) ---
from congress.models import ReminderDispatch, ReminderEngineState  # noqa: E402


@admin.register(ReminderDispatch)
class ReminderDispatchAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "rule", "content_type", "object_id", "step", "recipient", "due_date", "status"]
    list_filter = ["rule", "status", "escalation"]
    search_fields = ["rule", "step", "recipient__username", "recipient__name"]
    list_select_related = ["recipient", "content_type"]
    readonly_fields = [f.name for f in ReminderDispatch._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ReminderEngineState)
class ReminderEngineStateAdmin(admin.ModelAdmin):
    list_display = ["key", "last_success_date", "last_success_at", "last_sent"]
    readonly_fields = ["key", "last_success_at", "last_sent"]
