"""What the conversation socket delivers is the page's own markup for each reader, in their
language: event lines worded for each side, hidden text never sent, user text escaped; error texts
translated like the pages (language cookie, then Accept-Language, then Japanese)."""

import pytest
from asgiref.sync import sync_to_async

from messaging.models import Message
from messaging.services.conversations import message_send
from tests.messaging.sockets import cookie_for, next_of_type, page_item, run, socket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_event_line_arrives_worded_for_each_reader_as_their_page_shows_it(conversation, alice, bob, alice_client, bob_client):
    from messaging.services.handover import reservation_create

    alice_cookie, bob_cookie = cookie_for(alice), cookie_for(bob)

    async def scenario():
        alice_ws = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie)
        bob_ws = socket(f"/ws/conversations/{conversation.pk}/", bob_cookie)
        assert (await alice_ws.connect())[0] and (await bob_ws.connect())[0]
        await sync_to_async(reservation_create)(conversation=conversation, actor=alice)
        got = await next_of_type(alice_ws, "message"), await next_of_type(bob_ws, "message")
        await alice_ws.disconnect()
        await bob_ws.disconnect()
        return got

    for_alice, for_bob = (frame["message"] for frame in run(scenario()))
    event = Message.objects.get(conversation=conversation, event="reserved")
    assert for_alice["id"] == for_bob["id"] == event.pk and for_alice["kind"] == "event"
    assert "ぼぶさんのために品物を取り置きしました。" in for_alice["html"]
    assert "品物があなたのために取り置きされました。" in for_bob["html"]
    assert for_alice["html"].strip() == page_item(alice_client, conversation, event.pk)
    assert for_bob["html"].strip() == page_item(bob_client, conversation, event.pk)


def test_user_text_arrives_escaped_and_a_hidden_message_without_its_text(conversation, alice, bob):
    bob_cookie = cookie_for(bob)
    after = conversation.messages.last().pk
    hostile = message_send(conversation=conversation, sender=alice, body='<img src=x onerror="alert(1)"> <script>alert(2)</script>')
    hidden = message_send(conversation=conversation, sender=alice, body="電話番号は090-0000-0000です")
    Message.objects.filter(pk=hidden.pk).update(hidden_by_staff=True)

    async def scenario():
        ws = socket(f"/ws/conversations/{conversation.pk}/", bob_cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "resume", "after": after})
        got = [await ws.receive_json_from(timeout=5), await ws.receive_json_from(timeout=5)]
        await ws.disconnect()
        return got

    escaped, notice = (frame["message"]["html"] for frame in run(scenario()))
    assert "<img" not in escaped and "<script" not in escaped
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &lt;script&gt;alert(2)&lt;/script&gt;" in escaped
    assert "090-0000-0000" not in notice and "このメッセージは職員が非表示にしました。" in notice


@pytest.mark.parametrize(
    "cookies,headers,expected_not_json,expected_too_long",
    [
        ({}, [], "JSON オブジェクトを送ってください。", "メッセージは2000文字以内で入力してください（現在2001文字）。"),
        ({"django_language": "en"}, [], "Expected a JSON object.", "A message can be at most 2000 characters (this one has 2001)."),
        ({}, [(b"accept-language", b"en-US,en;q=0.9")], "Expected a JSON object.", "A message can be at most 2000 characters"),
        ({"django_language": "ja"}, [(b"accept-language", b"en-US,en;q=0.9")], "JSON オブジェクトを送ってください。", "2000文字以内"),
    ],
    ids=["default-japanese", "cookie-english", "accept-language-english", "cookie-wins"],
)
def test_socket_errors_are_worded_in_the_users_language(conversation, alice, cookies, headers, expected_not_json, expected_too_long):
    cookie = cookie_for(alice, **cookies)

    async def scenario():
        ws = socket(f"/ws/conversations/{conversation.pk}/", cookie, headers=headers)
        assert (await ws.connect())[0]
        await ws.send_to(text_data="not json {")
        not_json = await next_of_type(ws, "error")
        await ws.send_json_to({"type": "send", "body": "x" * 2001, "client_id": "long"})
        too_long = await next_of_type(ws, "error")
        await ws.send_json_to({"type": "send", "body": 42, "client_id": "number"})
        not_text = await next_of_type(ws, "error")
        await ws.send_json_to({"type": "subscribe"})
        unknown = await next_of_type(ws, "error")
        await ws.disconnect()
        return not_json, too_long, not_text, unknown

    not_json, too_long, not_text, unknown = run(scenario())
    assert not_json["message"] == expected_not_json
    assert expected_too_long in too_long["message"] and too_long["client_id"] == "long"
    if "JSON object" in expected_not_json:
        assert not_text["message"] == "The message must be text."
        assert unknown["message"] == "Unknown type of request. Please reload the page."
    else:
        assert not_text["message"] == "メッセージは文字で送ってください。"
        assert unknown["message"] == "サーバーが理解できない要求です。ページを再読み込みしてください。"
