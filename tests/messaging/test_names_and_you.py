"""A conversation names people with さん and the office, its postcard desk and deleted accounts
without (they are not people); your own actions read as yours, the other side's as theirs."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.services import user_delete
from core.municipality import office_desk_name
from messaging.services.conversations import conversation_start
from messaging.services.handover import (
    reservation_confirm_receipt,
    reservation_create,
    reservation_hand_over,
    reservation_release,
    thanks_send,
)
from messaging.services.pickup import pickup_propose
from tests.factories import make_listing


def _page(client, conversation) -> str:
    return client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()


def test_a_person_is_さん_but_a_deleted_account_is_not(alice, bob, alice_client, conversation):
    assert "ぼぶさんとのやりとり" in _page(alice_client, conversation)

    user_delete(user=bob)
    page = _page(alice_client, conversation)
    assert "退会したユーザーとのやりとり" in page and "退会したユーザーさん" not in page


def test_the_postcard_desk_is_not_さん(bob, bob_client):
    from moderation.assisted import desk_account

    listing = make_listing(desk_account(), title="本棚")
    conversation = conversation_start(listing=listing, requester=bob, body="ください")

    page = _page(bob_client, conversation)
    assert f"{office_desk_name()}とのやりとり" in page and f"{office_desk_name()}さん" not in page


def test_the_one_who_proposes_a_time_reads_あなた_and_the_other_reads_their_name(
    alice, bob, alice_client, bob_client, conversation
):
    reservation = reservation_create(conversation=conversation, actor=alice)
    pickup_propose(reservation=reservation, actor=alice, when=timezone.now() + timedelta(days=1))

    mine, theirs = _page(alice_client, conversation), _page(bob_client, conversation)
    assert "あなたが受け渡し日時を提案しました：" in mine and "ありすさんが" not in mine
    assert "ありすさんが受け渡し日時を提案しました：" in theirs


def test_thanks_receipt_and_release_read_as_yours_to_the_one_who_did_them(
    alice, bob, alice_client, bob_client, offer, conversation
):
    reservation = reservation_create(conversation=conversation, actor=alice)
    reservation_hand_over(listing=offer, actor=alice)
    reservation.refresh_from_db()
    reservation_confirm_receipt(reservation=reservation, actor=bob)
    thanks_send(reservation=reservation, sender=bob, text="大切に使います")

    mine, theirs = _page(bob_client, conversation), _page(alice_client, conversation)
    assert "あなたがお礼を送りました。 「大切に使います」" in mine
    assert "あなたが受け取りを確認しました。" in mine
    assert "ぼぶさんからお礼が届きました。 「大切に使います」" in theirs
    assert "受け取りが確認されました。" in theirs and "“" not in theirs


def test_a_cancelled_reservation_reads_as_yours_to_the_one_who_cancelled(alice, alice_client, bob_client, offer, conversation):
    reservation_create(conversation=conversation, actor=alice)
    reservation_release(listing=offer, actor=alice)

    assert "あなたが取り置きを解除しました。" in _page(alice_client, conversation)
    assert "取り置きが解除されました。" in _page(bob_client, conversation)


def test_a_lottery_time_in_the_past_says_it_is_past(alice_client, offer):
    response = alice_client.post(
        reverse("messaging:lottery", args=[offer.pk]),
        {"closes_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert "過去の日時は選べません。締め切りはこれから14日以内の日時を選んでください。" in response.content.decode()
