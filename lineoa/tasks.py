"""Background tasks of the LINE Official Account; thin wrappers (services import this module)."""

from django.tasks import task


@task()
def handle_event(*, event_id: int) -> str:
    from lineoa.handlers import event_handle  # cycle: handlers import services, which import this module

    return event_handle(event_id=event_id)
