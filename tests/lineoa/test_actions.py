"""The quick-reply buttons of the notices: each acts through the site's services and checks, and a
stale or foreign button answers with a clear text."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from lineoa.inbound import postback_received
from messaging import notices
from messaging.models import Message, Reservation
from messaging.services import blocks, handover, pickup
from messaging.services.conversations import conversation_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The notices messaging sends, as built."""
    found = []
    monkeypatch.setattr(notices, "notice_send", lambda *, user, notice, **kwargs: found.append(notice) or set())
    return found


def test_a_request_notice_offers_reserve_decline_and_reply(offer, bob, sent):
    conversation = conversation_start(listing=offer, requester=bob, body="ぜひ譲ってください")
    [notice] = sent
    assert notice.actions == [
        {"label": "取り置きする", "data": f"reserve:{conversation.pk}"},
        {"label": "見送る", "data": f"decline:{conversation.pk}"},
        {"label": "返信する", "uri": f"{settings.SITE_URL}/messages/{conversation.pk}/"},
    ]


def test_reserve_reserves_through_the_site_and_a_second_press_says_why_not(alice, conversation):
    [answer] = postback_received(alice, f"reserve:{conversation.pk}")
    assert answer.text == f"この方に取り置きしました。\n{settings.SITE_URL}/messages/{conversation.pk}/"
    assert Reservation.objects.get().requester_id == conversation.requester_id

    [again] = postback_received(alice, f"reserve:{conversation.pk}")
    assert Reservation.objects.count() == 1
    assert again.text.split("\n")[1] == f"{settings.SITE_URL}/messages/{conversation.pk}/"
    assert again.text.split("\n")[0] == "出品が「取り置き中」の間は、この操作はできません。"


def test_only_the_poster_may_reserve(bob, carl, conversation):
    for someone in (bob, carl):
        [answer] = postback_received(someone, f"reserve:{conversation.pk}")
        assert answer.text == "このボタンは使えません。あなた宛てでないか、対象がもうありません。"
    assert not Reservation.objects.exists()


def test_a_block_stops_the_reservation(alice, bob, conversation):
    blocks.user_block(blocker=bob, blocked=alice)
    [answer] = postback_received(alice, f"reserve:{conversation.pk}")
    assert answer.text.startswith("ブロックしている方、またはブロックされている方には取り置きできません。")
    assert not Reservation.objects.exists()


def test_decline_tells_the_requester_once_in_the_conversation(alice, conversation):
    [answer] = postback_received(alice, f"decline:{conversation.pk}")
    assert answer.text.startswith("今回は見送ることを相手に伝えました。")
    postback_received(alice, f"decline:{conversation.pk}")  # pressed twice

    [message] = Message.objects.filter(conversation=conversation, sender=alice)
    assert message.body == "お声がけありがとうございます。申し訳ありませんが、今回は見送らせてください。"


def test_decline_after_reserving_for_the_same_person_is_refused(alice, conversation):
    handover.reservation_create(conversation=conversation, actor=alice)
    [answer] = postback_received(alice, f"decline:{conversation.pk}")
    assert answer.text.startswith("この方に取り置き中です。")
    assert not Message.objects.filter(conversation=conversation, sender=alice, kind=Message.Kind.TEXT).exists()


def test_pickup_notice_offers_accept_and_the_button_accepts(alice, bob, conversation, sent):
    reservation = handover.reservation_create(conversation=conversation, actor=alice)
    when = timezone.now() + timedelta(days=2)
    pickup.pickup_propose(reservation=reservation, actor=bob, when=when)
    notice = sent[-1]
    accept = notice.actions[0]
    assert accept == {"label": "承諾する", "data": f"pickup_accept:{reservation.pk}:{int(when.timestamp())}"}

    [answer] = postback_received(alice, accept["data"])
    reservation.refresh_from_db()
    assert reservation.pickup_status == Reservation.Pickup.ACCEPTED
    assert answer.text.split("\n")[1] == f"{settings.SITE_URL}/messages/{conversation.pk}/"


def test_an_old_pickup_button_does_not_accept_a_newer_time(alice, bob, conversation, sent):
    reservation = handover.reservation_create(conversation=conversation, actor=alice)
    pickup.pickup_propose(reservation=reservation, actor=bob, when=timezone.now() + timedelta(days=2))
    old = sent[-1].actions[0]["data"]
    pickup.pickup_propose(reservation=reservation, actor=bob, when=timezone.now() + timedelta(days=3))

    [answer] = postback_received(alice, old)
    reservation.refresh_from_db()
    assert answer.text.startswith("提案された日時が変わりました。")
    assert reservation.pickup_status == Reservation.Pickup.PROPOSED


def test_the_proposer_cannot_accept_their_own_time(alice, bob, conversation, sent):
    reservation = handover.reservation_create(conversation=conversation, actor=alice)
    pickup.pickup_propose(reservation=reservation, actor=bob, when=timezone.now() + timedelta(days=2))
    [answer] = postback_received(bob, sent[-1].actions[0]["data"])
    assert "相手" in answer.text
    reservation.refresh_from_db()
    assert reservation.pickup_status == Reservation.Pickup.PROPOSED


@pytest.mark.parametrize("data", ["", "reserve:", "reserve:abc", "explode:1", "pickup_accept:999:1"])
def test_a_button_that_is_not_ours_or_gone_gets_a_text(alice, data):
    [answer] = postback_received(alice, data)
    assert answer.text in ("このボタンはもう使えません。サイトから操作してください。", "このボタンは使えません。あなた宛てでないか、対象がもうありません。")


def test_the_how_to_use_button_of_the_link_answers_with_the_help(alice):
    [answer] = postback_received(alice, "help")
    assert answer.text.startswith("品物をさがすには、「さがす」と探したいものを送ってください")


def test_a_new_message_notice_has_a_reply_button(alice, bob, conversation):
    message = Message.objects.filter(conversation=conversation).first()
    notice = notices.message_notice(conversation, message)
    assert notice.actions == [{"label": "返信する", "uri": f"{settings.SITE_URL}/messages/{conversation.pk}/"}]
