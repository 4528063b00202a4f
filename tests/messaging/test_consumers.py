"""WebSocket consumers through the real ASGI application (origin check, session auth, routing),
on the in-memory layer by default and on Redis when REDIS_URL is set (CI)."""

import pytest
from asgiref.sync import sync_to_async

from messaging.models import Message
from messaging.services.conversations import message_send
from tests.factories import make_user
from tests.messaging.sockets import cookie_for, next_of_type, page_item, run, socket

# serialized_rollback restores what migrations loaded (towns, categories) after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_message_sent_over_the_socket_is_stored_then_delivered_to_each_side_as_its_page_shows_it(
    conversation, alice, bob, alice_client, bob_client
):
    alice_cookie = cookie_for(alice)
    bob_cookie = cookie_for(bob)

    async def scenario():
        alice_ws = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie)
        bob_ws = socket(f"/ws/conversations/{conversation.pk}/", bob_cookie)
        assert (await alice_ws.connect())[0] and (await bob_ws.connect())[0]
        await alice_ws.send_json_to({"type": "send", "body": "明日の10時は\nどうですか", "client_id": "c1"})
        frames = {}
        while len(frames) < 2:  # the acknowledgement and her own copy, in either order
            frame = await alice_ws.receive_json_from(timeout=5)
            frames[frame["type"]] = frame
        ack, own_copy = frames["sent"], frames["message"]
        received = await next_of_type(bob_ws, "message")
        await alice_ws.disconnect()
        await bob_ws.disconnect()
        return ack, own_copy, received

    ack, own_copy, received = run(scenario())
    stored = Message.objects.get(pk=ack["id"])
    assert stored.body == "明日の10時は\nどうですか" and stored.sender == alice
    # The markup each side's page shows for it after a reload: Alice's own, not yet seen, no Report link.
    assert own_copy["message"] == {"id": stored.pk, "kind": "text", "sender": alice.pk, "html": own_copy["message"]["html"]}
    assert own_copy["message"]["html"].strip() == page_item(alice_client, conversation, stored.pk)
    assert 'class="msg msg-mine"' in own_copy["message"]["html"] and "msg-report" not in own_copy["message"]["html"]
    assert 'class="msg-seen" hidden>既読' in own_copy["message"]["html"]
    # Bob's: hers, with the Report link and the text's line break.
    assert received["message"]["html"].strip() == page_item(bob_client, conversation, stored.pk)
    assert "明日の10時は<br>どうですか" in received["message"]["html"]
    assert f'<a class="msg-report" href="/messages/message/{stored.pk}/report/">通報する</a>' in received["message"]["html"]


def test_a_reconnecting_client_receives_what_it_missed_as_its_page_shows_it(conversation, alice, bob, alice_client):
    from messaging.services.conversations import conversation_mark_read

    alice_cookie = cookie_for(alice)
    seen = conversation.messages.last().pk
    read = message_send(conversation=conversation, sender=alice, body="見逃した1")
    conversation_mark_read(conversation=conversation, user=bob, upto=read.pk)  # Bob read the first
    unread = message_send(conversation=conversation, sender=alice, body="見逃した2")

    async def scenario():
        ws = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "resume", "after": seen})
        got = [await ws.receive_json_from(timeout=5), await ws.receive_json_from(timeout=5)]
        assert await ws.receive_nothing(timeout=0.2)
        await ws.disconnect()
        return got

    got = run(scenario())
    assert [g["message"]["id"] for g in got] == [read.pk, unread.pk]
    assert [g["message"]["html"].strip() for g in got] == [page_item(alice_client, conversation, m.pk) for m in (read, unread)]
    assert 'class="msg-seen">既読' in got[0]["message"]["html"] and 'class="msg-seen" hidden>' in got[1]["message"]["html"]


def test_sending_over_the_socket_is_refused_with_a_reason_and_nothing_is_stored(conversation, alice):
    alice_cookie = cookie_for(alice)
    async def scenario():
        ws = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "send", "body": "x" * 2001, "client_id": "c9"})
        reply = await ws.receive_json_from(timeout=5)
        await ws.disconnect()
        return reply

    before = Message.objects.count()
    reply = run(scenario())
    assert reply["type"] == "error" and reply["client_id"] == "c9" and "2000" in reply["message"]
    assert Message.objects.count() == before


def test_sending_too_fast_over_the_socket_is_refused_in_the_conversation(conversation, alice, settings):
    settings.MESSAGING_RATE_PER_MINUTE = 1
    message_send(conversation=conversation, sender=alice, body="一通目")
    alice_cookie = cookie_for(alice)

    async def scenario():
        ws = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "send", "body": "二通目", "client_id": "c10"})
        reply = await ws.receive_json_from(timeout=5)
        await ws.disconnect()
        return reply

    reply = run(scenario())
    assert reply == {"type": "error", "client_id": "c10", "message": "短時間に多くのメッセージが送信されています。1分ほど待ってから、もう一度お試しください。"}
    assert not Message.objects.filter(body="二通目").exists()


@pytest.mark.parametrize("who", ["visitor", "outsider", "staff", "deactivated"])
def test_only_participants_may_connect(conversation, bob, who):
    if who == "visitor":
        user = None
    elif who == "outsider":
        user = make_user(email="eve@example.com")
    elif who == "staff":
        user = make_user(email="officer@example.com", is_staff=True)
    else:
        user = bob
    cookie = cookie_for(user) if user else None

    async def scenario():
        ws = socket(f"/ws/conversations/{conversation.pk}/", cookie)
        if who == "deactivated":
            await sync_to_async(type(bob).objects.filter(pk=bob.pk).update)(is_active=False)
        connected, code = await ws.connect()
        await ws.disconnect()
        return connected, code

    connected, code = run(scenario())
    assert not connected and code == 4403


def test_a_suspended_participant_may_read_but_not_send(conversation, bob, staff):
    from moderation.services import account_suspend

    account_suspend(user=bob, actor=staff, reason="テスト")
    cookie = cookie_for(bob)
    before = Message.objects.count()

    async def scenario():
        ws = socket(f"/ws/conversations/{conversation.pk}/", cookie)
        connected, _code = await ws.connect()
        await ws.send_json_to({"type": "send", "body": "まだありますか", "client_id": "s1"})
        reply = await next_of_type(ws, "error")
        await ws.disconnect()
        return connected, reply

    connected, reply = run(scenario())
    assert connected and reply["client_id"] == "s1"
    assert Message.objects.count() == before


def test_a_foreign_origin_is_refused(conversation, alice):
    alice_cookie = cookie_for(alice)
    async def scenario():
        ws = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie, origin=b"https://evil.example")
        connected, _code = await ws.connect()
        await ws.disconnect()
        return connected

    assert not run(scenario())


def test_seen_marks_reach_the_sender(conversation, alice, bob):
    alice_cookie = cookie_for(alice)
    bob_cookie = cookie_for(bob)
    mine = message_send(conversation=conversation, sender=alice, body="読んだら教えて")

    async def scenario():
        alice_ws = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie)
        bob_ws = socket(f"/ws/conversations/{conversation.pk}/", bob_cookie)
        await alice_ws.connect()
        await bob_ws.connect()
        await bob_ws.send_json_to({"type": "read", "upto": mine.pk})
        event = await alice_ws.receive_json_from(timeout=5)
        await alice_ws.disconnect()
        await bob_ws.disconnect()
        return event

    assert run(scenario()) == {"type": "seen", "user": bob.pk, "upto": mine.pk}


def test_the_notification_socket_updates_the_unread_badge(conversation, alice, bob):
    bob_cookie = cookie_for(bob)
    async def scenario():
        ws = socket("/ws/notifications/", bob_cookie)
        assert (await ws.connect())[0]
        first = await ws.receive_json_from(timeout=5)
        await sync_to_async(message_send)(conversation=conversation, sender=alice, body="新着")
        second = await ws.receive_json_from(timeout=5)
        await ws.disconnect()
        return first, second

    first, second = run(scenario())
    assert first == {"type": "unread", "total": 0} and second == {"type": "unread", "total": 1}


def test_the_badge_counts_once_for_changes_that_come_together(conversation, alice, bob):
    """Three messages in a burst: the badge shows the final total without one update per message."""
    bob_cookie = cookie_for(bob)

    async def scenario():
        ws = socket("/ws/notifications/", bob_cookie)
        assert (await ws.connect())[0]
        await ws.receive_json_from(timeout=5)
        for n in range(3):
            await sync_to_async(message_send)(conversation=conversation, sender=alice, body=f"新着 {n}")
        updates = [await ws.receive_json_from(timeout=5)]
        while not await ws.receive_nothing(timeout=1):
            updates.append(await ws.receive_json_from(timeout=1))
        await ws.disconnect()
        return updates

    updates = run(scenario())
    assert updates[-1] == {"type": "unread", "total": 3}
    assert len(updates) < 3


def test_visitors_get_no_notificationsocket():
    async def scenario():
        ws = socket("/ws/notifications/")
        connected, code = await ws.connect()
        await ws.disconnect()
        return connected, code

    assert run(scenario()) == (False, 4403)


@pytest.mark.parametrize("change", ["block", "listing withdrawn", "conversation deleted"])
def test_what_changes_while_the_socket_is_open_decides_the_next_message(conversation, alice, bob, change):
    from listings.services import listings_withdraw_all
    from messaging.services.blocks import user_block

    cookie = cookie_for(bob)

    def make_change():
        if change == "block":
            user_block(blocker=alice, blocked=bob)
        elif change == "listing withdrawn":
            listings_withdraw_all(owner=alice)
        else:
            type(conversation).objects.filter(pk=conversation.pk).delete()

    async def reply_to(ws, client_id: str) -> dict:
        await ws.send_json_to({"type": "send", "body": f"まだありますか {client_id}", "client_id": client_id})
        while True:
            reply = await ws.receive_json_from(timeout=5)
            if reply.get("client_id") == client_id or reply["type"] == "websocket.close":
                return reply

    async def scenario():
        ws = socket(f"/ws/conversations/{conversation.pk}/", cookie)
        assert (await ws.connect())[0]
        first = await reply_to(ws, "before")
        await sync_to_async(make_change)()
        if change == "conversation deleted":
            await ws.send_json_to({"type": "send", "body": "まだありますか", "client_id": "after"})
            second = await ws.receive_output(timeout=5)
            while second["type"] == "websocket.send":  # the first message's own broadcast
                second = await ws.receive_output(timeout=5)
        else:
            second = await reply_to(ws, "after")
        await ws.disconnect()
        return first, second

    first, second = run(scenario())
    assert first["type"] == "sent"
    if change == "conversation deleted":
        assert second == {"type": "websocket.close", "code": 4403}
    else:
        assert second["type"] == "error" and second["message"]
        assert Message.objects.filter(body__startswith="まだありますか").count() == 1  # only the one before the change


def test_a_message_resent_after_a_dropped_connection_is_stored_once(conversation, alice, bob):
    alice_cookie = cookie_for(alice)

    async def first_try():
        # The frame reached the server, then the connection dropped before the page saw "sent".
        ws = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "send", "body": "土曜日の10時でどうですか", "client_id": "7f1c-page-1"})
        ack = await next_of_type(ws, "sent")
        await ws.disconnect()
        return ack

    async def resend():
        ws = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "send", "body": "土曜日の10時でどうですか", "client_id": "7f1c-page-1"})
        ack = await next_of_type(ws, "sent")
        # Another message with its own id is stored as usual.
        await ws.send_json_to({"type": "send", "body": "土曜日の10時でどうですか", "client_id": "7f1c-page-2"})
        other = await next_of_type(ws, "sent")
        await ws.disconnect()
        return ack, other

    first = run(first_try())
    again, other = run(resend())
    assert again == {"type": "sent", "client_id": "7f1c-page-1", "id": first["id"]}
    assert other["id"] != first["id"]
    assert Message.objects.filter(body="土曜日の10時でどうですか").count() == 2
    # The same id from the other participant is theirs, not a resend of Alice's.
    bob_message = message_send(conversation=conversation, sender=bob, body="はい", client_id="7f1c-page-1")
    assert bob_message.pk not in (first["id"], other["id"])


def test_a_frame_that_is_not_json_gets_an_error_and_the_socket_stays_open(conversation, alice):
    alice_cookie = cookie_for(alice)

    async def scenario():
        ws = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie)
        assert (await ws.connect())[0]
        await ws.send_to(text_data="this is not json {")
        reply = await ws.receive_json_from(timeout=5)
        await ws.send_json_to({"type": "send", "body": "続けて送れます", "client_id": "after-bad-frame"})
        ack = await next_of_type(ws, "sent")
        await ws.disconnect()
        return reply, ack

    reply, ack = run(scenario())
    assert reply["type"] == "error" and "JSON" in reply["message"]
    assert Message.objects.filter(pk=ack["id"], body="続けて送れます").exists()


def test_a_client_id_that_is_not_short_text_is_refused_clearly(conversation, alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="client_id"):
        message_send(conversation=conversation, sender=alice, body="x", client_id="z" * 65)


@pytest.mark.parametrize(
    "origin,allowed",
    [
        (b"http://127.0.0.1:8000", True),
        (b"https://127.0.0.1:8000", False),  # another scheme
        (b"http://127.0.0.1:8001", False),  # another port
        (b"http://127.0.0.1", False),  # port 80 is another port
        (b"null", False),
    ],
)
def test_the_origin_must_match_scheme_host_and_port(conversation, alice, origin, allowed, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    cookie = cookie_for(alice)

    async def scenario():
        results = []
        for path in (f"/ws/conversations/{conversation.pk}/", "/ws/notifications/"):
            ws = socket(path, cookie, origin=origin)
            connected, _code = await ws.connect()
            await ws.disconnect()
            results.append(connected)
        return results

    assert run(scenario()) == [allowed, allowed]
