"""A message that arrives live carries the same 通報する link as the same message after a reload:
the socket and the page render one partial (messaging/rendering.py)."""

import pytest
from django.urls import reverse

from messaging.models import Message
from tests.messaging.sockets import cookie_for, next_of_type, page_item, run, socket

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_live_message_from_the_other_person_has_the_report_link_a_reload_shows(conversation, alice, bob, alice_client):
    alice_cookie, bob_cookie = cookie_for(alice), cookie_for(bob)

    async def scenario():
        alice_ws = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie)
        bob_ws = socket(f"/ws/conversations/{conversation.pk}/", bob_cookie)
        assert (await alice_ws.connect())[0] and (await bob_ws.connect())[0]
        await bob_ws.send_json_to({"type": "send", "body": "明日の夕方はいかがですか", "client_id": "c1"})
        got = await next_of_type(alice_ws, "message")
        await alice_ws.disconnect()
        await bob_ws.disconnect()
        # Back after a dropped connection: the catch-up renders the same markup.
        again = socket(f"/ws/conversations/{conversation.pk}/", alice_cookie)
        assert (await again.connect())[0]
        await again.send_json_to({"type": "resume", "after": got["message"]["id"] - 1})
        resumed = await next_of_type(again, "message")
        await again.disconnect()
        return got, resumed

    live, resumed = (frame["message"]["html"].strip() for frame in run(scenario()))
    sent = Message.objects.get(conversation=conversation, body="明日の夕方はいかがですか")
    report_url = reverse("messaging:report", args=[sent.pk])
    assert f'href="{report_url}"' in live and "通報する" in live
    assert live == resumed == page_item(alice_client, conversation, sent.pk)
