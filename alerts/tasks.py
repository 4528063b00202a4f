"""Background tasks for alerts; thin wrappers around services.

Each task imports alerts.services when it runs: alerts.services imports this module to enqueue them.
"""

from django.tasks import task

from listings.models import Listing


@task()
def match_listing(*, listing_id: int) -> int:
    from alerts.services import listing_published  # cycle: it imports this module

    listing = Listing.objects.filter(pk=listing_id).first()
    return listing_published(listing=listing) if listing else 0


@task()
def send_instant_alerts(*, saved_search_id: int) -> bool:
    from alerts.services import instant_send  # cycle: it imports this module

    return instant_send(saved_search_id=saved_search_id)


@task()
def send_digests() -> int:
    """The daily digest; queues tomorrow's when done (alerts.services.digests_schedule)."""
    from alerts.services import digests_schedule, digests_send  # cycle: it imports this module

    sent = digests_send()
    digests_schedule()
    return sent
