"""Background tasks (run by the django-tasks-db worker); thin wrappers around services.

Each task imports its service when it runs: messaging.services imports this module to enqueue the tasks.
"""

from django.tasks import task


@task()
def notify_unread(*, conversation_id: int, user_id: int) -> bool:
    from messaging.services.conversations import unread_email_send  # cycle: it imports this module

    return unread_email_send(conversation_id=conversation_id, user_id=user_id)


@task()
def notify_message(*, conversation_id: int, user_id: int, message_id: int = 0) -> bool:
    from messaging.services.conversations import message_notice_send  # cycle: it imports this module

    return message_notice_send(conversation_id=conversation_id, user_id=user_id, message_id=message_id)


@task()
def remind_pickup(*, reservation_id: int, pickup_at: str) -> bool:
    from messaging.services.pickup import pickup_reminder_send  # cycle: it imports this module

    return pickup_reminder_send(reservation_id=reservation_id, pickup_at=pickup_at)


@task()
def draw_lottery(*, listing_id: int) -> bool:
    from messaging.services.lottery import lottery_draw  # cycle: it imports this module

    return lottery_draw(listing_id=listing_id) is not None


@task()
def email_chosen(*, reservation_id: int) -> bool:
    from messaging.services.handover import chosen_email_send  # cycle: it imports this module

    return chosen_email_send(reservation_id=reservation_id)
