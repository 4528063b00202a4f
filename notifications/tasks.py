"""Background tasks of notices; thin wrappers around services (which import this module)."""

from django.tasks import task


@task()
def deliver(*, delivery_id: int, attempt: int = 1) -> str:
    from notifications.services import delivery_send  # cycle: it imports this module

    return delivery_send(delivery_id=delivery_id, attempt=attempt)


@task()
def deliver_due() -> int:
    from notifications.services import deliveries_due_send  # cycle: it imports this module

    return deliveries_due_send()


@task()
def segment_batch_deliver(*, batch_id: int, attempt: int = 1) -> str:
    from notifications.segments import segment_batch_send  # cycle: it imports this module

    return segment_batch_send(batch_id=batch_id, attempt=attempt)
