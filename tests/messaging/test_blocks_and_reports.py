"""Who can no longer write: blocks (both ways, every handover step), suspended and deleted
accounts; and residents reporting a message or a thank-you note to staff."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from messaging.models import Conversation, MessageReport
from messaging.services.blocks import user_block
from messaging.services.conversations import conversation_start, message_report, message_send
from tests.factories import make_listing, make_user


# --- Blocking ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_blocking_stops_messages_both_ways_and_new_requests(conversation, alice, bob, offer):
    user_block(blocker=alice, blocked=bob)
    for sender in (alice, bob):
        with pytest.raises(ValidationError):
            message_send(conversation=conversation, sender=sender, body="届かない")
    other = make_listing(alice, title="別の品")
    with pytest.raises(ValidationError):
        conversation_start(listing=other, requester=bob, body="これも")
    bobs = make_listing(bob, title="ボブの品")
    with pytest.raises(ValidationError):
        conversation_start(listing=bobs, requester=alice, body="逆向き")


@pytest.mark.django_db
@pytest.mark.parametrize("blocker", ["poster", "requester"])
def test_blocking_ends_a_reservation_between_the_two_and_tells_the_others(conversation, alice, bob, offer, blocker):
    from listings.models import Listing
    from messaging.models import Reservation
    from messaging.services.handover import reservation_create

    carl = make_user(email="carl@example.com", name="かーる", postal_code="1030013")
    waiting = conversation_start(listing=offer, requester=carl, body="私も欲しいです")
    reservation_create(conversation=conversation, actor=alice)
    if blocker == "poster":
        user_block(blocker=alice, blocked=bob)
    else:
        user_block(blocker=bob, blocked=alice)
    assert Reservation.objects.get().status == "released"
    assert Listing.objects.get(pk=offer.pk).status == "published"
    assert list(waiting.messages.filter(kind="event").values_list("event", flat=True)) == ["reserved_for_other", "available_again"]
    assert conversation.messages.filter(kind="event").last().event == "released_by_block"
    assert waiting.messages.filter(kind="event").last().sender == alice  # told by the poster, never by Bob


@pytest.mark.django_db
def test_after_a_block_no_handover_step_goes_through(conversation, alice, bob, offer, alice_client):
    from messaging.models import Reservation
    from messaging.services.handover import (
        reservation_confirm_receipt,
        reservation_create,
        reservation_hand_over,
        thanks_send,
    )
    from messaging.services.pickup import pickup_accept, pickup_propose

    reservation = reservation_create(conversation=conversation, actor=alice)
    pickup_propose(reservation=reservation, actor=bob, when=timezone.now() + timedelta(days=1))
    # A block from before this rule (or a race) left the reservation active: every step refuses.
    from messaging.models import Block

    Block.objects.create(blocker=bob, blocked=alice)
    for step in (
        lambda: pickup_accept(reservation=reservation, actor=alice),
        lambda: pickup_propose(reservation=reservation, actor=alice, when=timezone.now() + timedelta(days=2)),
        lambda: reservation_hand_over(listing=offer, actor=alice),
    ):
        with translation.override("en"), pytest.raises(ValidationError, match="one of you has blocked the other"):
            step()
    Block.objects.all().delete()
    reservation_hand_over(listing=offer, actor=alice)
    user_block(blocker=alice, blocked=bob)
    reservation = Reservation.objects.get()
    for step in (
        lambda: thanks_send(reservation=reservation, sender=bob, text="ありがとう"),
        lambda: reservation_confirm_receipt(reservation=reservation, actor=bob),
    ):
        with translation.override("en"), pytest.raises(ValidationError, match="one of you has blocked the other"):
            step()
    alice_client.cookies["django_language"] = "en"
    response = alice_client.post(reverse("messaging:act", args=[conversation.pk, "thanks"]), {"text": "どうも"}, follow=True)
    assert "one of you has blocked the other" in response.content.decode()


# --- Accounts that cannot write ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_suspended_participant_is_told_the_account_is_suspended(conversation, bob):
    bob.suspended_at = timezone.now()
    bob.save()
    with translation.override("en"), pytest.raises(ValidationError, match="Your account is suspended"):
        message_send(conversation=Conversation.objects.get(pk=conversation.pk), sender=bob, body="まだ？")


@pytest.mark.django_db
def test_after_the_other_account_is_deleted_nothing_more_can_be_sent_or_reserved(conversation, alice, bob, alice_client):
    from accounts.services import user_delete

    user_delete(user=bob)
    alice_client.cookies["django_language"] = "en"
    page = alice_client.get(conversation.get_absolute_url()).content.decode()
    assert "This account has been deleted" in page
    assert "Reserve for this person" not in page
    assert reverse("messaging:profile", args=[bob.public_id]) not in page  # it would be a 404
    with translation.override("en"), pytest.raises(ValidationError, match="This account has been deleted"):
        message_send(conversation=Conversation.objects.get(pk=conversation.pk), sender=alice, body="届かない")
    response = alice_client.post(reverse("messaging:act", args=[conversation.pk, "reserve"]), follow=True)
    assert "This account has been deleted" in response.content.decode()
    assert not conversation.reservations.exists()


# --- Reports -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_participant_reports_a_message_for_staff(conversation, alice_client, alice):
    message = conversation.messages.get()
    response = alice_client.post(reverse("messaging:report", args=[message.pk]), {"reason": "harassment", "note": "しつこい"})
    assert response.status_code == 302
    report = MessageReport.objects.get()
    assert (report.reporter, report.message, report.reason, report.status) == (alice, message, "harassment", "open")


@pytest.mark.django_db
def test_nobody_reports_their_own_message(conversation, bob):
    with pytest.raises(ValidationError):
        message_report(message=conversation.messages.get(), reporter=bob, reason="spam")


@pytest.mark.django_db
def test_a_thank_you_note_can_be_reported_like_a_message(conversation, alice, bob, offer, alice_client):
    from messaging.models import Reservation
    from messaging.services.handover import reservation_create, reservation_hand_over, thanks_send

    reservation_create(conversation=conversation, actor=alice)
    reservation_hand_over(listing=offer, actor=alice)
    thanks_send(reservation=Reservation.objects.get(), sender=bob, text="失礼な一言")
    note = conversation.messages.get(event="thanked")
    page = alice_client.get(conversation.get_absolute_url()).content.decode()
    assert reverse("messaging:report", args=[note.pk]) in page
    alice_client.post(reverse("messaging:report", args=[note.pk]), {"reason": "harassment"})
    assert MessageReport.objects.get().message == note
    with pytest.raises(ValidationError):  # a plain event is not something anyone wrote
        message_report(message=conversation.messages.get(event="reserved"), reporter=bob, reason="spam")
