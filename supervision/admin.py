from django.contrib import admin

from congress.admin import HistoryAdminMixin

from .models import (
    AppraisalTarget,
    AuditProblem,
    DeliberationOpinion,
    FiledDocument,
    Interpellation,
    LivelihoodProject,
    SatisfactionVote,
    SupervisionItem,
    SupervisionStep,
)


class StepInline(admin.TabularInline):
    model = SupervisionStep
    extra = 0
    fields = ["order", "code", "label", "due_date", "due_manual", "done_on", "skipped", "note"]


@admin.register(SupervisionItem)
class SupervisionItemAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "year", "status", "lead_office", "target_unit", "hearing_date", "is_published"]
    list_filter = ["kind", "year", "status", "lead_office", "is_published"]
    search_fields = ["title", "description"]
    raw_id_fields = ["meeting", "agenda_item", "plan_item"]
    filter_horizontal = ["departments", "members", "invited_deputies"]
    inlines = [StepInline]


@admin.register(DeliberationOpinion)
class DeliberationOpinionAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["item", "round", "status", "issue_due", "issued_on", "report_due", "report_submitted_on"]
    list_filter = ["status"]
    raw_id_fields = ["item", "approval_meeting"]


@admin.register(SatisfactionVote)
class SatisfactionVoteAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["item", "voted_on", "members_total", "satisfied", "basically_satisfied", "dissatisfied", "result"]
    raw_id_fields = ["item", "opinion", "agenda_item"]


@admin.register(AuditProblem)
class AuditProblemAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["number", "description", "responsible_unit", "rectification_kind", "status"]
    list_filter = ["status", "rectification_kind"]
    raw_id_fields = ["item"]


@admin.register(LivelihoodProject)
class LivelihoodProjectAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "department", "budget", "status", "votes_for", "progress_percent"]
    list_filter = ["status"]
    raw_id_fields = ["item"]


@admin.register(AppraisalTarget)
class AppraisalTargetAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["person_name", "position", "unit", "result", "rectification_due"]
    raw_id_fields = ["item"]


@admin.register(Interpellation)
class InterpellationAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "addressed_unit", "proposer_count", "answered_on", "second_answer_required"]
    raw_id_fields = ["item"]


@admin.register(FiledDocument)
class FiledDocumentAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "maker", "published_on", "filed_on", "review_due", "status"]
    list_filter = ["status"]
    raw_id_fields = ["item"]
