"""Mirror's answers to listing events: webhook events for the ward (imported in MirrorConfig.ready)."""

import logging

from django.db import DatabaseError
from django.dispatch import receiver

from listings.lifecycle import Action
from listings.models import Listing
from listings.signals import listing_transitioned, listing_updated
from mirror.serializers import is_public
from mirror.webhooks import webhook_event_record

logger = logging.getLogger(__name__)

# SUBMIT_FOR_REVIEW is missing on purpose: a listing waiting for review is not public.
ACTION_EVENTS = {
    Action.PUBLISH: "listing.published",
    Action.RENEW: "listing.published",
    Action.RELEASE: "listing.updated",  # back from reserved to published
    Action.RESERVE: "listing.reserved",
    Action.HAND_OVER: "listing.handed_over",
    Action.WITHDRAW: "listing.withdrawn",
    Action.EXPIRE: "listing.expired",
    Action.REJECT: "listing.rejected",
    Action.HIDE: "listing.hidden",
    Action.RESUBMIT: "listing.hidden",  # edited back into staff review: out of public view meanwhile
}
# Approved or shown again, a listing returns to where it was (listings.lifecycle): the event says
# which, so that a listing still kept for someone is announced as reserved, not as published.
RETURNING = frozenset({Action.APPROVE, Action.UNHIDE})
RETURN_EVENTS = {Listing.Status.PUBLISHED: "listing.published", Listing.Status.RESERVED: "listing.reserved"}


@receiver(listing_transitioned, sender=Listing, dispatch_uid="mirror_webhooks_listing_transitioned")
def record_transition(sender, *, listing: Listing, action: Action, **kwargs) -> None:
    event_type = RETURN_EVENTS[listing.status] if action in RETURNING else ACTION_EVENTS.get(action)
    if event_type is None:
        return
    if listing.published_at is None:
        # Never public (a draft withdrawn, a first submission rejected): the ward never heard of it.
        return
    _record(listing, event_type)


@receiver(listing_updated, sender=Listing, dispatch_uid="mirror_webhooks_listing_updated")
def record_update(sender, *, listing: Listing, **kwargs) -> None:
    if is_public(listing):
        _record(listing, "listing.updated")


def _record(listing: Listing, event_type: str) -> None:
    # A resident's change must not fail because of webhooks: the event is recorded in a savepoint
    # (webhook_event_record's atomic block), so on error only the event is lost, and logged.
    try:
        webhook_event_record(listing=listing, type=event_type)
    except DatabaseError:
        logger.exception("Could not record a webhook event", extra={"event_type": event_type, "listing_id": listing.pk})
