"""Clearing the cached list of staff accounts when a role changes (accounts.models.staff_account_ids),
so that a new staff member's own name stops showing to residents at once."""

from django.core.cache import cache

from accounts.models import STAFF_IDS_CACHE_KEY


def staff_ids_forget(**kwargs) -> None:
    """A user, a group membership or a permission changed: the staff list is read again."""
    cache.delete(STAFF_IDS_CACHE_KEY)
