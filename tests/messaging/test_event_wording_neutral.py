"""The neutral wording of event lines that staff read: every event the residents' partial words
for its reader has a third-person sentence naming the participants, never "you"."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from messaging.event_wording import event_line_neutral
from messaging.models import Message
from messaging.services.conversations import conversation_start
from tests.factories import make_listing

RESIDENT_PARTIAL = Path(__file__).resolve().parents[2] / "messaging/templates/messaging/_event.html"
EVENTS = sorted(set(re.findall(r'message\.event == "(\w+)"', RESIDENT_PARTIAL.read_text(encoding="utf-8"))))


def test_the_residents_partial_names_the_events():
    assert {"reserved", "lottery_won", "pickup_proposed", "no_show"} <= set(EVENTS)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["offer", "wanted"])
@pytest.mark.parametrize("event", EVENTS)
def test_every_event_has_a_neutral_sentence_without_you(alice, bob, kind, event):
    conversation = conversation_start(listing=make_listing(alice, kind=kind), requester=bob, body="こんにちは")
    body = "2030-06-14T15:00:00+09:00" if event.startswith("pickup") else event
    message = Message(conversation=conversation, sender=bob if event in ("received", "thanked", "pickup_proposed") else alice,
                      kind=Message.Kind.EVENT, event=event, body=body)
    with translation.override("ja"):
        japanese = event_line_neutral(message, conversation)
    with translation.override("en"):
        english = event_line_neutral(message, conversation)
    assert japanese != body and english != body
    assert "あなた" not in japanese and not re.search(r"\byou(r)?\b", english.replace("thank you", ""), re.IGNORECASE)
    assert japanese != english  # translated


@pytest.mark.django_db
def test_a_wanted_listing_is_worded_for_the_giver_and_names_both_sides(alice, bob):
    conversation = conversation_start(listing=make_listing(alice, kind="wanted"), requester=bob, body="あります")
    message = Message(conversation=conversation, sender=alice, kind=Message.Kind.EVENT, event="reserved", body="reserved")
    with translation.override("ja"):
        assert event_line_neutral(message, conversation) == "ありすさんがぼぶさんの申し出を受けました。"
    message.event, message.body = "thanked", "助かりました"
    message.sender = bob
    with translation.override("ja"):
        assert event_line_neutral(message, conversation) == "ぼぶさんがお礼を伝えました：「助かりました」"
