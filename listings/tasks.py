"""Background tasks (run by the django-tasks-db worker); thin wrappers around services.

Each task imports its service when it runs: listings.services imports this module to enqueue the tasks.
"""

from django.tasks import task


@task()
def email_expired_listings(*, owner_id: int, listing_ids: list[int]) -> bool:
    from listings.services import listings_expired_email_send  # cycle: it imports this module

    return listings_expired_email_send(owner_id=owner_id, listing_ids=listing_ids)
