from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import ApiToken, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included."""

    list_display = ("at", "action", "result", "username", "ip_address", "object_repr", "user_agent")
    list_filter = ("action", "result", ("at", admin.DateFieldListFilter), ("user", admin.RelatedOnlyFieldListFilter))
    search_fields = ("username", "ip_address", "object_repr", "detail")
    date_hierarchy = "at"
    list_per_page = 100
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and (
            request.user.is_superuser or request.user.has_perm("security.view_auditevent")
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("masked", "user", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "expires_at")
    search_fields = ("user__username", "user__name")
    fields = ("user", "created_at", "expires_at", "last_used_at", "revoked_at", "user_agent", "ip_address")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("令牌"))
    def masked(self, obj):
        return obj.masked

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(request, audit.Action.TOKEN_REVOKE, obj=f"{token.masked} ({token.user})")
        self.message_user(request, _("所选令牌已吊销。"))
