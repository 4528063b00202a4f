from urllib.parse import quote

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from accounts.selectors import session_passed_mfa, staff_needs_mfa_setup


class SuperuserAdminSite(admin.AdminSite):
    """Django's admin is for superusers only; staff work in the staff console (moderation/).

    It asks for the same second factor as the staff console: a superuser can do more there than
    any staff member, so a password alone must not open it. Signing in goes through allauth (the
    admin's own password form would skip the TOTP step).
    """

    def has_permission(self, request) -> bool:
        user = request.user
        return (
            user.is_active and user.is_superuser
            and not staff_needs_mfa_setup(user) and session_passed_mfa(request)
        )

    def login(self, request, extra_context=None):
        """Send the superuser through allauth's login, TOTP setup or TOTP step, then back here."""
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        if not target.startswith(f"/{request.path.strip('/').split('/')[0]}/"):
            target = reverse("admin:index", current_app=self.name)  # only back into the admin
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(target)
        if user.is_active and user.is_superuser:
            if staff_needs_mfa_setup(user):
                return redirect(f"{reverse('mfa_activate_totp')}?next={quote(target)}")
            if not session_passed_mfa(request):
                return redirect(f"{reverse('mfa_reauthenticate')}?next={quote(target)}")
        return super().login(request, extra_context)  # shows "not authorised" to anyone else
