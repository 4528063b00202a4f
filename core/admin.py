from django.contrib import admin

from core.models import AuditRecord, NGWord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only for everyone, superusers included."""

    list_display = ["created_at", "actor", "action", "target_type", "target_id", "reason"]
    list_filter = ["action"]
    search_fields = ["target_repr", "reason"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NGWord)
class NGWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_by", "created_at"]
    readonly_fields = ["created_by"]
