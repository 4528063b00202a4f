"""What each side reads during a handover: wanted listings (the requester gives, the poster
receives), event lines worded for the reader, the chosen requester's email, confirmations."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from listings.models import Listing
from messaging.models import Reservation
from messaging.services.conversations import conversation_start
from messaging.services.handover import (
    reservation_confirm_receipt,
    reservation_create,
    reservation_hand_over,
)
from messaging.services.lottery import lottery_start
from tests.factories import make_listing
from tests.messaging.helpers import in_english


# --- Wanted listings: the requester gives, the poster receives -----------------------------------


@pytest.fixture
def wanted_conversation(alice, bob):
    """Alice wants a bicycle; Bob has one to give."""
    wanted = make_listing(alice, title="自転車", kind="wanted")
    return conversation_start(listing=wanted, requester=bob, body="うちにあります")


@pytest.mark.django_db
def test_a_wanted_listing_speaks_of_offers_and_the_poster_confirms_receipt(alice, bob, alice_client, bob_client, wanted_conversation):
    listing = wanted_conversation.listing
    page = in_english(alice_client).get(wanted_conversation.get_absolute_url()).content.decode()
    assert "Accept this offer" in page and "Reserve for this person" not in page
    alice_client.post(reverse("messaging:act", args=[wanted_conversation.pk, "reserve"]))
    assert "Mark as received" in alice_client.get(wanted_conversation.get_absolute_url()).content.decode()
    assert "The poster accepted your offer" in in_english(bob_client).get(wanted_conversation.get_absolute_url()).content.decode()
    reservation_hand_over(listing=Listing.objects.get(pk=listing.pk), actor=alice)
    reservation = Reservation.objects.get()
    assert reservation.receipt_confirmed_at is not None  # the poster received it: that is the receipt
    page = bob_client.get(wanted_conversation.get_absolute_url()).content.decode()
    assert "I received it" not in page  # the giver is not asked to confirm receipt
    assert "The poster marked the item as received" in page
    with pytest.raises(PermissionDenied):
        reservation_confirm_receipt(reservation=reservation, actor=bob)


@pytest.mark.django_db
def test_a_wanted_listing_offers_no_lottery(alice, alice_client, wanted_conversation):
    listing = wanted_conversation.listing
    with pytest.raises(ValidationError):
        lottery_start(listing=listing, actor=alice, closes_at=timezone.now() + timedelta(days=1))
    page = in_english(alice_client).get(reverse("messaging:requests", args=[listing.pk])).content.decode()
    assert "Hold a lottery" not in page and "whose offer to accept" in page


# --- Event lines say who is meant ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_reservation_line_speaks_to_each_side(alice, bob, alice_client, bob_client, conversation):
    reservation_create(conversation=conversation, actor=alice)
    assert "The item is reserved for you." in in_english(bob_client).get(conversation.get_absolute_url()).content.decode()
    assert "You reserved the item for ぼぶ." in in_english(alice_client).get(conversation.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_chosen_requester_is_emailed(alice, bob, conversation, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reservation_create(conversation=conversation, actor=alice)
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert "本棚" in mail.outbox[0].subject and conversation.get_absolute_url() in mail.outbox[0].body


@pytest.mark.django_db
def test_pickup_steps_show_a_confirmation(alice, bob, alice_client, bob_client, conversation):
    reservation_create(conversation=conversation, actor=alice)
    when = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = in_english(bob_client).post(reverse("messaging:act", args=[conversation.pk, "pickup_propose"]), {"when": when}, follow=True)
    assert "Your proposed time has been sent" in response.content.decode()
    response = in_english(alice_client).post(reverse("messaging:act", args=[conversation.pk, "pickup_accept"]), follow=True)
    assert "The pickup time is agreed" in response.content.decode()
