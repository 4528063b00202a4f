"""View guards for resident-only and staff-only pages."""

from functools import wraps

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import is_staff_member, is_verified_resident, session_passed_mfa, staff_needs_mfa_setup


def resident_refusal(request):
    """The page that refuses a signed-in account that is not a verified resident, or None."""
    if request.user.suspended_at:
        return render(request, "accounts/suspended.html", status=403)
    if not is_verified_resident(request.user):
        return render(request, "accounts/not_resident.html", status=403)
    return None


def resident_required(view):
    """Visitors go to the login page; signed-in accounts that are not verified residents are told why."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return resident_refusal(request) or view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """Staff pages: visitors go to the login page, accounts without the staff role get 403, and
    staff must have set up two-factor authentication (TOTP) and used it in this session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise PermissionDenied
        if staff_needs_mfa_setup(request.user):
            messages.warning(request, _("Staff accounts need two-factor authentication. Set up an authenticator app first."))
            return redirect(f"{reverse('mfa_activate_totp')}?next={quote(request.get_full_path())}")
        if not session_passed_mfa(request):
            return redirect(f"{reverse('mfa_reauthenticate')}?next={quote(request.get_full_path())}")
        return view(request, *args, **kwargs)

    return wrapper
