"""Alerts' answer to listing events: a listing that becomes public for the first time alerts."""

from django.dispatch import receiver

from listings.lifecycle import Action
from listings.signals import listing_transitioned

# Renewal and release (back from reserved) are not news: they never alert again.
ALERTING = {Action.PUBLISH, Action.APPROVE}


@receiver(listing_transitioned, dispatch_uid="alerts_listing_published")
def alert_on_publish(sender, *, listing, action, actor, **kwargs) -> None:
    if action in ALERTING:
        from alerts.services import listing_published

        listing_published(listing=listing)
