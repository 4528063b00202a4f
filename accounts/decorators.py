"""View guards for resident-only and staff-only pages."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.selectors import is_verified_resident


def resident_required(view):
    """Visitors go to the login page; signed-in accounts that are not verified residents are told why."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_verified_resident(request.user):
            return render(request, "accounts/not_resident.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """Staff pages: visitors go to the login page, everyone else who is not staff gets 403.

    The staff console issue refines this into a role with two-factor authentication.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
