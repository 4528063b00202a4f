"""The handover, step by step: reserving, releasing, handing over, receipt and thanks, pickup
times, no-shows, and what the others who asked are told. Lotteries are in test_lottery.py,
the wording each side reads in test_handover_wording.py."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from listings.models import Listing
from messaging import selectors
from messaging.models import Conversation, Reservation
from messaging.services.conversations import conversation_start
from messaging.services.handover import (
    reservation_confirm_receipt,
    reservation_create,
    reservation_hand_over,
    reservation_no_show,
    reservation_release,
    thanks_send,
)
from messaging.services.pickup import pickup_accept, pickup_propose, pickup_reminder_send
from tests.factories import make_listing
from tests.messaging.helpers import event_codes


@pytest.mark.django_db
def test_the_poster_sees_every_request_in_one_place(alice_client, offer, conversation, second_conversation):
    response = alice_client.get(reverse("messaging:requests", args=[offer.pk]))
    page = response.content.decode()
    assert "ぼぶ" in page and "かーる" in page
    assert [c.pk for c in response.context["requests"]] == [conversation.pk, second_conversation.pk]


@pytest.mark.django_db
def test_reserving_marks_the_listing_and_tells_the_others_politely(alice, offer, conversation, second_conversation):
    reservation = reservation_create(conversation=conversation, actor=alice)
    offer.refresh_from_db()
    assert offer.status == Listing.Status.RESERVED and reservation.requester_id == conversation.requester_id
    assert event_codes(conversation) == ["reserved"]
    assert event_codes(second_conversation) == ["reserved_for_other"]


@pytest.mark.django_db
def test_only_the_poster_reserves(bob, conversation):
    with pytest.raises(PermissionDenied):
        reservation_create(conversation=conversation, actor=bob)
    assert not Reservation.objects.exists()


@pytest.mark.django_db
def test_a_second_reservation_is_refused(alice, conversation, second_conversation):
    reservation_create(conversation=conversation, actor=alice)
    with pytest.raises(ValidationError):
        reservation_create(conversation=Conversation.objects.get(pk=second_conversation.pk), actor=alice)
    assert Reservation.objects.filter(status="active").count() == 1


@pytest.mark.django_db
def test_a_resident_can_hold_only_so_many_reservations(alice, bob, settings):
    settings.MESSAGING_MAX_ACTIVE_RESERVATIONS = 2
    conversations = [
        conversation_start(listing=make_listing(alice, title=f"品{i}"), requester=bob, body="ください") for i in range(3)
    ]
    reservation_create(conversation=conversations[0], actor=alice)
    reservation_create(conversation=conversations[1], actor=alice)
    with pytest.raises(ValidationError) as exc:
        reservation_create(conversation=conversations[2], actor=alice)
    assert exc.value.code == "cap"
    assert conversations[2].listing.status == Listing.Status.PUBLISHED


@pytest.mark.django_db
def test_release_makes_the_item_available_again(alice, offer, conversation, second_conversation):
    reservation_create(conversation=conversation, actor=alice)
    reservation_release(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    offer.refresh_from_db()
    assert offer.status == Listing.Status.PUBLISHED
    assert Reservation.objects.get().status == "released"
    assert event_codes(second_conversation) == ["reserved_for_other", "available_again"]


@pytest.mark.django_db
def test_handover_closes_the_listing_tells_everyone_then_receipt_and_thanks(alice, bob, offer, conversation, second_conversation):
    reservation_create(conversation=conversation, actor=alice)
    reservation = reservation_hand_over(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    offer.refresh_from_db()
    assert offer.status == Listing.Status.HANDED_OVER
    assert event_codes(second_conversation)[-1] == "closed_for_other"
    reservation_confirm_receipt(reservation=reservation, actor=bob)
    assert Reservation.objects.get().receipt_confirmed_at is not None
    thanks_send(reservation=reservation, sender=bob, text="ありがとうございました")
    thanks_send(reservation=reservation, sender=alice)
    assert selectors.thanks_count(alice) == 1 and selectors.thanks_count(bob) == 1
    with pytest.raises(ValidationError):
        thanks_send(reservation=reservation, sender=bob)
    assert selectors.thanks_count(alice) == 1


@pytest.mark.django_db
def test_the_thanks_count_shows_on_the_public_profile(bob_client, alice, bob, offer, conversation):
    reservation_create(conversation=conversation, actor=alice)
    reservation = reservation_hand_over(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    thanks_send(reservation=reservation, sender=bob, text="助かりました")
    page = bob_client.get(reverse("messaging:profile", args=[alice.public_id])).content.decode()
    assert "1回" in page and alice.email not in page


@pytest.mark.django_db
def test_the_handover_pair_may_still_write_but_others_may_not(alice, bob, carl, offer, conversation, second_conversation):
    from messaging.services.conversations import message_send

    reservation_create(conversation=conversation, actor=alice)
    reservation_hand_over(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    message_send(conversation=Conversation.objects.get(pk=conversation.pk), sender=bob, body="受け取りました")
    with pytest.raises(ValidationError):
        message_send(conversation=Conversation.objects.get(pk=second_conversation.pk), sender=carl, body="残念")


@pytest.mark.django_db
def test_pickup_time_is_proposed_accepted_and_reminded(alice, bob, conversation, django_capture_on_commit_callbacks):
    reservation = reservation_create(conversation=conversation, actor=alice)
    when = timezone.now() + timedelta(days=1)
    pickup_propose(reservation=reservation, actor=alice, when=when)
    with pytest.raises(ValidationError):
        pickup_accept(reservation=reservation, actor=alice)  # the other side accepts
    pickup_accept(reservation=reservation, actor=bob)
    reservation.refresh_from_db()
    assert reservation.pickup_status == "accepted" and reservation.pickup_at == when
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert pickup_reminder_send(reservation_id=reservation.pk, pickup_at=when.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == [alice.email, bob.email]
    assert "本棚" in mail.outbox[0].subject
    assert not pickup_reminder_send(reservation_id=reservation.pk, pickup_at=(when + timedelta(hours=1)).isoformat())


@pytest.mark.django_db
def test_a_pickup_time_in_the_past_is_refused(alice, conversation):
    reservation = reservation_create(conversation=conversation, actor=alice)
    with pytest.raises(ValidationError):
        pickup_propose(reservation=reservation, actor=alice, when=timezone.now() - timedelta(hours=1))


def _agree_pickup(reservation, proposer, accepter, *, hours_ago: float = 1):
    """A pickup time both agreed on, `hours_ago` hours in the past (agreed while it was future)."""
    pickup_propose(reservation=reservation, actor=proposer, when=timezone.now() + timedelta(hours=1))
    pickup_accept(reservation=reservation, actor=accepter)
    Reservation.objects.filter(pk=reservation.pk).update(pickup_at=timezone.now() - timedelta(hours=hours_ago))
    reservation.refresh_from_db()


@pytest.mark.django_db
def test_a_no_show_after_the_agreed_time_releases_and_offers_the_item_to_the_others(alice, bob, carl, offer, conversation, second_conversation):
    reservation = reservation_create(conversation=conversation, actor=alice)
    _agree_pickup(reservation, bob, alice)
    reservation_no_show(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    assert selectors.no_show_count(bob) == 1
    assert Reservation.objects.get(requester=bob).status == "no_show"
    offer.refresh_from_db()
    # Nobody is reserved for without being asked: the item is open again and the next requester told.
    assert offer.status == Listing.Status.PUBLISHED
    assert not Reservation.objects.filter(requester=carl).exists()
    assert event_codes(Conversation.objects.get(pk=second_conversation.pk))[-1] == "available_again"
    assert event_codes(Conversation.objects.get(pk=conversation.pk))[-1] == "no_show"


@pytest.mark.django_db
def test_a_no_show_cannot_be_recorded_before_the_agreed_time(alice, bob, offer, conversation):
    reservation = reservation_create(conversation=conversation, actor=alice)
    pickup_propose(reservation=reservation, actor=bob, when=timezone.now() + timedelta(hours=5))
    pickup_accept(reservation=reservation, actor=alice)
    with pytest.raises(ValidationError) as refused:
        reservation_no_show(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    assert refused.value.code == "too_early"
    assert Reservation.objects.get().status == "active"


@pytest.mark.django_db
def test_a_no_show_needs_an_agreed_pickup_time_and_the_refusal_says_so(alice, bob, alice_client, offer, conversation):
    reservation = reservation_create(conversation=conversation, actor=alice)
    with pytest.raises(ValidationError) as refused:
        reservation_no_show(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    assert refused.value.code == "no_agreed_time"
    pickup_propose(reservation=reservation, actor=bob, when=timezone.now() + timedelta(hours=5))
    with pytest.raises(ValidationError) as refused:
        reservation_no_show(listing=Listing.objects.get(pk=offer.pk), actor=alice)  # proposed, not agreed
    assert refused.value.code == "no_agreed_time"
    alice_client.cookies["django_language"] = "en"
    page = alice_client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert "They did not come" not in page  # no button that can only be refused
    response = alice_client.post(reverse("messaging:act", args=[conversation.pk, "no_show"]), {"confirm": "1"}, follow=True)
    assert "only after a pickup time you both agreed on" in response.content.decode()
    assert Reservation.objects.get().status == "active" and selectors.no_show_count(bob) == 0


@pytest.mark.django_db
def test_the_no_show_button_appears_once_the_agreed_time_has_passed(alice, bob, alice_client, conversation):
    reservation = reservation_create(conversation=conversation, actor=alice)
    _agree_pickup(reservation, bob, alice)
    alice_client.cookies["django_language"] = "en"
    page = alice_client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert "They did not come" in page


@pytest.mark.django_db
def test_staff_see_no_shows_on_the_account_page(alice, bob, staff_client, offer, conversation):
    reservation = reservation_create(conversation=conversation, actor=alice)
    _agree_pickup(reservation, bob, alice)
    reservation_no_show(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    staff_client.cookies["django_language"] = "en"
    page = staff_client.get(reverse("moderation:account", args=[bob.pk])).content.decode()
    assert "<dt>No-shows</dt><dd>1</dd>" in page.replace("\n", "")


@pytest.mark.django_db
def test_each_side_sees_they_have_dealt_before(alice, bob, alice_client):
    first = make_listing(alice, title="一つ目")
    conversation = conversation_start(listing=first, requester=bob, body="ください")
    reservation_create(conversation=conversation, actor=alice)
    reservation_hand_over(listing=Listing.objects.get(pk=first.pk), actor=alice)
    second = conversation_start(listing=make_listing(alice, title="二つ目"), requester=bob, body="また")
    page = alice_client.get(second.get_absolute_url()).content.decode()
    assert "以前にやり取りしたことがあります" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_reservations_leave_exactly_one(alice, offer, conversation, second_conversation):
    """Two requests race to reserve the same item (on PostgreSQL in CI: real row locks)."""
    barrier = threading.Barrier(2)
    results: list[str] = []

    def reserve(conversation_pk: int) -> None:
        try:
            barrier.wait()
            reservation_create(conversation=Conversation.objects.select_related("listing").get(pk=conversation_pk), actor=alice)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve, args=(pk,)) for pk in (conversation.pk, second_conversation.pk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert Reservation.objects.filter(status="active").count() == 1
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.RESERVED


@pytest.mark.django_db
def test_handover_buttons_work_as_plain_forms(alice_client, bob_client, offer, conversation):
    assert alice_client.post(reverse("messaging:act", args=[conversation.pk, "reserve"])).status_code == 302
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.RESERVED
    assert bob_client.post(reverse("messaging:act", args=[conversation.pk, "hand_over"]), {"confirm": "1"}).status_code == 403
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.RESERVED  # refused for the requester
    alice_client.post(reverse("messaging:act", args=[conversation.pk, "hand_over"]), {"confirm": "1"})
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.HANDED_OVER
    bob_client.post(reverse("messaging:act", args=[conversation.pk, "receipt"]))
    bob_client.post(reverse("messaging:act", args=[conversation.pk, "thanks"]), {"text": "感謝"})
    assert Reservation.objects.get().thanks.get().text == "感謝"


@pytest.mark.django_db
def test_handing_over_from_my_listings_ends_the_reservation_and_tells_the_others(alice_client, alice, offer, conversation, second_conversation):
    reservation_create(conversation=conversation, actor=alice)
    alice_client.post(reverse("listings:act", args=[offer.pk, "hand_over"]), {"confirm": "1"})
    assert Reservation.objects.get().status == "handed_over"
    assert event_codes(conversation)[-1] == "handed_over"
    assert event_codes(second_conversation)[-1] == "closed_for_other"


@pytest.mark.django_db
def test_withdrawing_a_reserved_listing_releases_it_and_closes_every_conversation(alice_client, bob, offer, conversation, second_conversation):
    reservation_create(conversation=conversation, actor=offer.owner)
    alice_client.post(reverse("listings:act", args=[offer.pk, "withdraw"]), {"confirm": "1"})
    assert Reservation.objects.get().status == "released"
    assert not Reservation.objects.filter(requester=bob, status="active").exists()  # frees Bob's cap
    assert event_codes(conversation)[-1] == event_codes(second_conversation)[-1] == "listing_closed"


@pytest.mark.django_db
def test_a_handover_in_the_conversation_tells_the_others_once(alice, offer, conversation, second_conversation):
    reservation_create(conversation=conversation, actor=alice)
    reservation_hand_over(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    assert event_codes(second_conversation).count("closed_for_other") == 1
    assert event_codes(conversation).count("handed_over") == 1
