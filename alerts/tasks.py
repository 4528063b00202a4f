"""Background tasks for alerts; thin wrappers around services.

Each task imports alerts.services (or alerts.matching) when it runs: they import this module to enqueue them.
"""

from django.tasks import task

from listings.models import Listing


@task()
def match_listing(*, listing_id: int) -> int:
    from alerts.matching import listing_published  # cycle: it imports this module

    listing = Listing.objects.filter(pk=listing_id).first()
    return listing_published(listing=listing) if listing else 0


@task()
def send_listing_alerts(*, listing_id: int) -> int:
    """The instant alerts about one new listing: one task, however many searches it matched."""
    from alerts.matching import listing_instant_send  # cycle: it imports this module

    return listing_instant_send(listing_id=listing_id)


@task()
def send_instant_alerts(*, saved_search_id: int) -> bool:
    """One search's pending alerts; queued by versions before 2026-12 (kept so that their queued
    tasks still run after an upgrade)."""
    from alerts.services import instant_send  # cycle: it imports this module

    return instant_send(saved_search_id=saved_search_id)


@task()
def send_digests() -> int:
    """The daily digest; queues tomorrow's when done (alerts.services.digests_schedule)."""
    from alerts.services import digests_schedule, digests_send  # cycle: it imports this module

    sent = digests_send()
    digests_schedule()
    return sent
