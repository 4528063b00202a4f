"""Messages with a contact detail before a handover is agreed: the sender is asked first (the plain
form and the websocket alike), never refused; once the item is reserved for them, nobody asks."""

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from messaging.models import Conversation, Message
from messaging.services.handover import reservation_create
from tests.messaging.sockets import cookie_for, next_of_type, run, socket


def _texts(conversation) -> list[str]:
    return list(conversation.messages.filter(kind=Message.Kind.TEXT).values_list("body", flat=True))


@pytest.mark.django_db
def test_the_form_asks_before_sending_a_phone_number_and_sends_it_once_confirmed(conversation, bob_client):
    url = reverse("messaging:conversation", args=[conversation.pk])
    bob_client.cookies["django_language"] = "ja"
    response = bob_client.post(url, {"body": "090-1234-5678 に電話ください"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "「090-1234-5678」（電話番号のようです）" in page and "このまま送りますか" in page
    assert "このまま送る" in page and "090-1234-5678 に電話ください</textarea>" in page  # kept in the box
    assert "090-1234-5678 に電話ください" not in _texts(conversation)
    response = bob_client.post(url, {"body": "090-1234-5678 に電話ください", "send_anyway": "1"})
    assert response.status_code == 302
    assert _texts(conversation)[-1] == "090-1234-5678 に電話ください"


@pytest.mark.django_db
def test_once_the_item_is_reserved_for_them_nobody_asks(conversation, alice, alice_client):
    reservation_create(conversation=conversation, actor=alice)
    url = reverse("messaging:conversation", args=[conversation.pk])
    response = alice_client.post(url, {"body": "住所は月島3-4-5 ハイツ201です"})
    assert response.status_code == 302
    assert _texts(conversation)[-1] == "住所は月島3-4-5 ハイツ201です"


@pytest.mark.django_db
def test_the_first_message_asks_too(offer, bob_client):
    url = reverse("messaging:start", args=[offer.pk])
    bob_client.cookies["django_language"] = "en"
    response = bob_client.post(url, {"body": "LINE ID: bob_99 で連絡ください"})
    assert "looks like a messenger ID" in response.content.decode() and not Conversation.objects.exists()
    bob_client.post(url, {"body": "LINE ID: bob_99 で連絡ください", "send_anyway": "1"})
    assert _texts(Conversation.objects.get()) == ["LINE ID: bob_99 で連絡ください"]


@pytest.mark.django_db
def test_ordinary_messages_go_at_once(conversation, bob_client):
    url = reverse("messaging:conversation", args=[conversation.pk])
    assert bob_client.post(url, {"body": "6/15の15:00に伺えます。2-3人で運びます。"}).status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_socket_asks_before_storing_and_stores_once_confirmed(conversation, bob):
    bob_cookie = cookie_for(bob)

    async def scenario():
        ws = socket(f"/ws/conversations/{conversation.pk}/", bob_cookie)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "send", "body": "taro@example.com まで", "client_id": "c1"})
        question = await next_of_type(ws, "confirm")
        stored_before = await sync_to_async(_texts)(conversation)
        await ws.send_json_to({"type": "send", "body": "taro@example.com まで", "client_id": "c1", "confirmed": True})
        sent = await next_of_type(ws, "sent")
        await ws.disconnect()
        return question, stored_before, sent

    question, stored_before, sent = run(scenario())
    assert question["client_id"] == "c1" and "「taro@example.com」（メールアドレスのようです）" in question["message"]
    assert "taro@example.com まで" not in stored_before  # nothing was sent before the sender confirmed
    assert Message.objects.get(pk=sent["id"]).body == "taro@example.com まで"
    assert _texts(conversation).count("taro@example.com まで") == 1
