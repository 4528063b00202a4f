"""Reads and access rules about accounts."""

from allauth.account.models import EmailAddress

from accounts.models import User


def is_verified_resident(user: User) -> bool:
    """May this user post, message and write on the board?"""
    if not user.is_authenticated or not user.is_active or user.deleted_at:
        return False  # visitors, deactivated and deleted accounts
    if user.town_id is None:
        return False  # no home postal code in the municipality yet
    return EmailAddress.objects.filter(user=user, verified=True).exists()  # mandatory verification
