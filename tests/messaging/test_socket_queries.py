"""What a conversation page's sockets cost the database per message: the read mark the page sends
for each message it shows, the seen mark back, and the badge's count. Counted on the thread the
consumers' database work runs in, through the real ASGI application."""

from contextlib import asynccontextmanager

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.db import connection, connections
from django.db.backends.signals import connection_created

from messaging.models import Conversation
from messaging.services.conversations import message_send
from tests.messaging.sockets import cookie_for, next_of_type, run, socket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@asynccontextmanager
async def queries():
    """The SQL the consumers run meanwhile, on whichever connection their database thread opens."""
    seen: list[str] = []
    recording = True

    def record(execute, sql, params, many, context):
        if recording:
            seen.append(sql)
        return execute(sql, params, many, context)

    def watch(sender=None, connection=connection, **kwargs):
        if record not in connection.execute_wrappers:
            connection.execute_wrappers.append(record)

    def unwatch() -> None:
        for each in connections.all():
            while record in each.execute_wrappers:
                each.execute_wrappers.remove(record)

    connection_created.connect(watch)
    await database_sync_to_async(watch)()
    try:
        yield seen
    finally:
        recording = False
        connection_created.disconnect(watch)
        await database_sync_to_async(unwatch)()


def test_a_read_mark_is_one_update_and_the_badge_one_count(conversation, alice, bob):
    bob_cookie = cookie_for(bob)

    async def scenario():
        page = socket(f"/ws/conversations/{conversation.pk}/", bob_cookie)
        badge = socket("/ws/notifications/", bob_cookie)
        assert (await page.connect())[0] and (await badge.connect())[0]
        assert await badge.receive_json_from(timeout=5) == {"type": "unread", "total": 0}
        message = await sync_to_async(message_send)(conversation=conversation, sender=alice, body="明日はどうですか")
        assert (await next_of_type(page, "message"))["message"]["id"] == message.pk
        assert await badge.receive_json_from(timeout=5) == {"type": "unread", "total": 1}
        async with queries() as sql:
            # The page marks the message read as it shows it; a second tab sends the same mark again.
            await page.send_json_to({"type": "read", "upto": message.pk})
            assert await next_of_type(page, "seen") == {"type": "seen", "user": bob.pk, "upto": message.pk}
            await page.send_json_to({"type": "read", "upto": message.pk})
            assert await badge.receive_json_from(timeout=5) == {"type": "unread", "total": 0}
            assert await page.receive_nothing(timeout=0.5)  # nothing moved: no second seen mark
        await page.disconnect()
        await badge.disconnect()
        return message, sql

    message, sql = run(scenario())
    assert Conversation.objects.get(pk=conversation.pk).requester_read_upto == message.pk
    assert [s.split(None, 1)[0] for s in sql] == ["UPDATE", "SELECT"], [s[:60] for s in sql]  # the mark, then the badge's count


def test_a_read_mark_past_what_the_page_was_sent_stops_at_the_last_message(conversation, alice, bob):
    bob_cookie = cookie_for(bob)
    message = message_send(conversation=conversation, sender=alice, body="明日はどうですか")

    async def scenario():
        page = socket(f"/ws/conversations/{conversation.pk}/", bob_cookie)
        assert (await page.connect())[0]
        await page.send_json_to({"type": "read", "upto": message.pk + 1000})
        seen = await next_of_type(page, "seen")
        await page.disconnect()
        return seen

    assert run(scenario()) == {"type": "seen", "user": bob.pk, "upto": message.pk}
    assert Conversation.objects.get(pk=conversation.pk).requester_read_upto == message.pk
