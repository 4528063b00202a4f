"""Reads and access rules about accounts."""

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.models import User


def is_verified_resident(user: User) -> bool:
    """May this user post, message and write on the board?"""
    if not user.is_authenticated or not user.is_active or user.deleted_at:
        return False  # visitors, deactivated and deleted accounts
    if user.suspended_at:
        return False  # suspended by staff
    if user.town_id is None:
        return False  # no home postal code in the municipality yet
    return EmailAddress.objects.filter(user=user, verified=True).exists()  # mandatory verification


def is_staff_member(user: User) -> bool:
    """Does this account hold the staff role (the staff group's permission, or superuser)?"""
    if not user.is_authenticated or not user.is_active or user.deleted_at:
        return False
    return user.has_perm("accounts.staff_console")


def must_accept_terms(user: User) -> bool:
    """Must this signed-in resident accept the current terms (settings.TERMS_VERSION) first?
    Visitors are never asked, and staff and superusers work under the ward's own rules."""
    if not user.is_authenticated or user.terms_version == settings.TERMS_VERSION:
        return False
    return not (user.is_superuser or is_staff_member(user))


def check_staff_member(actor: User) -> None:
    """Raise PermissionDenied unless `actor` holds the staff role; every staff write starts with it."""
    if not is_staff_member(actor):
        raise PermissionDenied


def staff_needs_mfa_setup(user: User) -> bool:
    """Staff must have a TOTP authenticator before any staff page opens."""
    return not is_mfa_enabled(user, ["totp"])


def session_passed_mfa(request: HttpRequest) -> bool:
    """Did this session prove the second factor (at login, or by reauthenticating)?

    allauth records each authentication step of the session; a staff member who logged in
    before setting up TOTP proves it once more through allauth's reauthentication page.
    """
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))
