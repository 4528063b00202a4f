"""Clearing the cached list of staff accounts when a role changes (accounts.models.staff_account_ids),
so that a new staff member's own name stops showing to residents at once; and visitors' cached
pages when a name they show changes."""

from django.core.cache import cache

from accounts.models import STAFF_IDS_CACHE_KEY
from core import pagecache


def staff_ids_forget(**kwargs) -> None:
    """A user, a group membership or a permission changed: the staff list is read again."""
    cache.delete(STAFF_IDS_CACHE_KEY)
    if kwargs.get("action", "").startswith("post_"):  # a role changes how a name shows
        pagecache.bump()


# Saves that change nothing a visitor's page shows (logging in, a new password).
_PRIVATE_FIELDS = {"last_login", "password"}


def public_name_changed(*, update_fields=None, **kwargs) -> None:
    """A user was saved: visitors' cached pages may show their name (core.pagecache)."""
    if update_fields is None or not set(update_fields) <= _PRIVATE_FIELDS:
        pagecache.bump()
