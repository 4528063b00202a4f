"""Background tasks (run by the django-tasks-db worker); thin wrappers around services.

Each task imports its service when it runs: mirror.webhooks imports this module to enqueue the tasks.
"""

from django.tasks import task


@task()
def deliver_webhook(*, delivery_id: int) -> str | None:
    """Attempt one webhook delivery; returns its status afterwards (None when nothing was due)."""
    from mirror.webhooks import webhook_delivery_attempt  # cycle: it imports this module

    delivery = webhook_delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery else None
