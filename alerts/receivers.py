"""Alerts' answer to listing events: a listing that becomes public for the first time alerts."""

from django.dispatch import receiver

from listings.lifecycle import Action
from listings.signals import listing_transitioned

# Renewal and release (back from reserved) are not news: they never alert again.
ALERTING = {Action.PUBLISH, Action.APPROVE}


@receiver(listing_transitioned, dispatch_uid="alerts_listing_published")
def alert_on_publish(sender, *, listing, action, actor, **kwargs) -> None:
    """Matching can take a while with many saved searches: the task worker does it after commit."""
    if action in ALERTING:
        from django.db import transaction

        from alerts.tasks import match_listing

        transaction.on_commit(lambda: match_listing.enqueue(listing_id=listing.pk))
