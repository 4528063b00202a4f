"""Reminding owners, LISTING_EXPIRY_REMINDER_DAYS before a listing expires, that they can renew it.

Run daily by `manage.py expire_listings`. A listing is reminded at most once per listing period:
`Listing.expiry_reminded_at` records it, and a new period (renewal) clears it.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.mail import email_send
from listings.models import Listing


def listings_remind_expiry(*, now=None) -> int:
    """Email each owner who wants listing emails once about their published listings that expire
    within LISTING_EXPIRY_REMINDER_DAYS and were not reminded this period; returns how many listings."""
    days = settings.LISTING_EXPIRY_REMINDER_DAYS
    if days <= 0:
        return 0
    now = now or timezone.now()
    owners = User.objects.filter(notify_listings=True, is_active=True, deleted_at__isnull=True)
    due = Listing.objects.filter(
        status=Listing.Status.PUBLISHED,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=days),
        expiry_reminded_at__isnull=True,
        owner__in=owners,
    )
    by_owner: dict[int, list[Listing]] = defaultdict(list)
    with transaction.atomic():
        listings = list(due.select_for_update(of=("self",)).select_related("owner").order_by("expires_at", "pk"))
        Listing.objects.filter(pk__in=[x.pk for x in listings]).update(expiry_reminded_at=now)
        for listing in listings:
            by_owner[listing.owner_id].append(listing)
        for owner_listings in by_owner.values():
            _email_reminder(owner_listings[0].owner, owner_listings)
    return len(listings)


def _email_reminder(owner: User, listings: list[Listing]) -> None:
    context = {
        "listings": listings,
        "site_url": settings.SITE_URL,
        "mine_url": settings.SITE_URL + reverse("listings:mine"),
        "settings_url": settings.SITE_URL + reverse("accounts:profile"),
    }
    email_send(to=owner.email, template="listings/email/expiry_reminder", context=context)
