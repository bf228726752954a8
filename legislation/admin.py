"""Admin of public comment on drafts. Drafts are kept here for corrections (dates,
settings, the project they belong to); their text and articles, and the citizens'
comments, are read-only: the text is split into articles by the service, and comments
are reviewed and handled on the collation page, where every change keeps its history."""

from django.contrib import admin

from congress.admin import HistoryAdminMixin

from .models import Consultation, DraftArticle, PublicComment


class DraftArticleInline(admin.TabularInline):
    model = DraftArticle
    extra = 0
    fields = ["order", "number", "chapter", "text"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "office", "project", "start_date", "end_date", "published_at", "closed_at"]
    list_filter = ["office", "start_date", "require_contact", "review_before_publish"]
    search_fields = ["title", "explanation"]
    date_hierarchy = "start_date"
    list_select_related = ["office", "project"]
    raw_id_fields = ["project"]
    fields = ["title", "office", "project", "start_date", "end_date", "require_contact", "review_before_publish",
              "explanation", "draft_text", "published_at", "published_by", "closed_at", "closed_by", "created_by"]
    readonly_fields = ["draft_text", "published_at", "published_by", "closed_at", "closed_by", "created_by"]
    inlines = [DraftArticleInline]

    def has_delete_permission(self, request, obj=None):
        # Comments point at the draft's articles: a draft is never deleted here.
        return False


@admin.register(PublicComment)
class PublicCommentAdmin(admin.ModelAdmin):
    list_display = ["reference", "consultation", "article", "received_at", "status", "handling"]
    list_filter = ["status", "handling", "consultation", "received_at"]
    search_fields = ["reference", "text"]
    date_hierarchy = "received_at"
    list_select_related = ["consultation", "article"]
    fields = ["reference", "consultation", "article", "text", "name", "phone", "show_name", "received_at", "status",
              "reviewed_by", "reviewed_at", "handling", "handling_reason", "handled_by", "handled_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
