"""The webhook: LINE's signature, each event once, unlinked senders told how to link."""

import pytest

from lineoa.models import WebhookEvent
from notifications.models import LineLink
from tests.lineoa.conftest import event, replies, sign, text

pytestmark = pytest.mark.django_db

ALICE_LINE = "U" + "a" * 32
STRANGER = "U" + "f" * 32


def test_a_missing_or_wrong_signature_is_refused_and_nothing_is_kept(line, deliver):
    assert deliver(text(STRANGER, "こんにちは"), signature="").status_code == 400
    assert deliver(text(STRANGER, "こんにちは"), signature=sign(b"something else")).status_code == 400
    assert not WebhookEvent.objects.exists()
    assert line.received == []


def test_a_signed_event_is_answered_at_once_and_handled(line, deliver, alice):
    LineLink.objects.create(user=alice, line_user_id=ALICE_LINE)
    response = deliver(text(ALICE_LINE, "こんにちは"))
    assert response.status_code == 200
    assert replies(line)[0].startswith("品物をさがすには、「さがす」と探したいものを送ってください")  # the help
    row = WebhookEvent.objects.get()
    assert row.handled_at is not None and row.payload == {}  # what was said is not kept


def test_a_redelivery_is_ignored_so_the_task_runs_once(line, deliver, alice):
    LineLink.objects.create(user=alice, line_user_id=ALICE_LINE)
    first = text(ALICE_LINE, "こんにちは")
    deliver(first)
    again = {**first, "deliveryContext": {"isRedelivery": True}}
    assert deliver(again).status_code == 200
    assert deliver(first).status_code == 200
    assert WebhookEvent.objects.count() == 1
    assert len(line.requests_to("/v2/bot/message/reply")) == 1


def test_broken_json_and_too_large_bodies_are_refused(line, client):
    body = b"{not json"
    assert client.post("/line/webhook/", body, content_type="application/json", HTTP_X_LINE_SIGNATURE=sign(body)).status_code == 400
    big = b'{"events": [], "x": "' + b"a" * 300_000 + b'"}'
    assert client.post("/line/webhook/", big, content_type="application/json", HTTP_X_LINE_SIGNATURE=sign(big)).status_code == 400


def test_the_webhook_does_not_exist_while_line_is_not_configured(client, settings):
    settings.LINE_MESSAGING_CHANNEL_TOKEN = ""
    assert client.post("/line/webhook/", b"{}", content_type="application/json").status_code == 404


@pytest.mark.parametrize("message", [
    {"type": "text", "id": "1", "quoteToken": "q", "text": "さがす ベビーカー"},
    {"type": "image", "id": "2", "quoteToken": "q", "contentProvider": {"type": "line"}},
])
def test_an_unlinked_sender_is_told_how_to_link_and_nothing_is_downloaded(line, deliver, message):
    line.photos["2"] = b"\xff\xd8 a photo"
    deliver(event("message", STRANGER, message=message))
    [answer] = replies(line)
    assert "連携" in answer
    assert not any("/content" in path for _, path, _ in line.received)
    assert WebhookEvent.objects.get().payload == {}


def test_a_postback_from_an_unverified_account_gets_the_explanation(line, deliver, alice):
    alice.suspended_at = alice.date_joined
    alice.save()
    LineLink.objects.create(user=alice, line_user_id=ALICE_LINE)
    deliver(event("postback", ALICE_LINE, postback={"data": "reserve:7"}))
    assert "連携" in replies(line)[0]


def test_follow_greets_with_a_link_button_and_unfollow_stops_pushing(line, deliver, alice):
    deliver(event("follow", STRANGER, follow={"isUnblocked": False}))
    body = line.requests_to("/v2/bot/message/reply")[0]
    assert body["messages"][1]["template"]["actions"][0]["uri"].startswith("http")
    assert "/line/link/?linkToken=" in body["messages"][1]["template"]["actions"][0]["uri"]
    LineLink.objects.create(user=alice, line_user_id=ALICE_LINE)
    deliver(event("unfollow", ALICE_LINE))
    assert not LineLink.objects.filter(user=alice).exists()
