from django.contrib import admin


class SuperuserAdminSite(admin.AdminSite):
    """Django's admin is for superusers only; staff work in the staff console (moderation/)."""

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser
