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
from messaging.models import Conversation, Lottery, Reservation
from messaging.services.conversations import conversation_start
from messaging.services.handover import (
    lottery_draw,
    lottery_start,
    pickup_accept,
    pickup_propose,
    pickup_reminder_send,
    reservation_confirm_receipt,
    reservation_create,
    reservation_hand_over,
    reservation_no_show,
    reservation_release,
    thanks_send,
)
from tests.factories import make_listing, make_user


@pytest.fixture
def carl(db):
    return make_user(email="carl@example.com", name="かーる", postal_code="1030013")


@pytest.fixture
def second_conversation(offer, carl):
    """Carl asked for the same bookshelf, after Bob."""
    return conversation_start(listing=offer, requester=carl, body="私も欲しいです")


def _events(conversation) -> list[str]:
    return list(conversation.messages.filter(kind="event").values_list("event", flat=True))


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
    assert _events(conversation) == ["reserved"]
    assert _events(second_conversation) == ["reserved_for_other"]


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
    assert _events(second_conversation) == ["reserved_for_other", "available_again"]


@pytest.mark.django_db
def test_handover_closes_the_listing_tells_everyone_then_receipt_and_thanks(alice, bob, offer, conversation, second_conversation):
    reservation_create(conversation=conversation, actor=alice)
    reservation = reservation_hand_over(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    offer.refresh_from_db()
    assert offer.status == Listing.Status.HANDED_OVER
    assert _events(second_conversation)[-1] == "closed_for_other"
    reservation_confirm_receipt(reservation=reservation, actor=bob)
    assert Reservation.objects.get().receipt_confirmed_at is not None
    thanks_send(reservation=reservation, sender=bob, text="ありがとうございました")
    thanks_send(reservation=reservation, sender=alice)
    assert selectors.thanks_count(alice) == 1 and selectors.thanks_count(bob) == 1
    with pytest.raises(ValidationError):
        thanks_send(reservation=reservation, sender=bob)
    assert selectors.thanks_count(alice) == 1


@pytest.mark.django_db
def test_the_thanks_count_shows_on_the_public_profile(client, alice, bob, offer, conversation):
    reservation_create(conversation=conversation, actor=alice)
    reservation = reservation_hand_over(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    thanks_send(reservation=reservation, sender=bob, text="助かりました")
    page = client.get(reverse("messaging:profile", args=[alice.pk])).content.decode()
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
def test_pickup_time_is_proposed_accepted_and_reminded(alice, bob, conversation):
    reservation = reservation_create(conversation=conversation, actor=alice)
    when = timezone.now() + timedelta(days=1)
    pickup_propose(reservation=reservation, actor=alice, when=when)
    with pytest.raises(ValidationError):
        pickup_accept(reservation=reservation, actor=alice)  # the other side accepts
    pickup_accept(reservation=reservation, actor=bob)
    reservation.refresh_from_db()
    assert reservation.pickup_status == "accepted" and reservation.pickup_at == when
    mail.outbox.clear()
    assert pickup_reminder_send(reservation_id=reservation.pk, pickup_at=when.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == [alice.email, bob.email]
    assert "本棚" in mail.outbox[0].subject
    assert not pickup_reminder_send(reservation_id=reservation.pk, pickup_at=(when + timedelta(hours=1)).isoformat())


@pytest.mark.django_db
def test_a_pickup_time_in_the_past_is_refused(alice, conversation):
    reservation = reservation_create(conversation=conversation, actor=alice)
    with pytest.raises(ValidationError):
        pickup_propose(reservation=reservation, actor=alice, when=timezone.now() - timedelta(hours=1))


@pytest.mark.django_db
def test_a_no_show_is_recorded_and_the_item_goes_to_the_next_requester(alice, bob, carl, offer, conversation, second_conversation):
    reservation_create(conversation=conversation, actor=alice)
    following = reservation_no_show(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    assert following.requester == carl
    assert selectors.no_show_count(bob) == 1
    assert Reservation.objects.get(requester=bob).status == "no_show"
    offer.refresh_from_db()
    assert offer.status == Listing.Status.RESERVED
    assert _events(Conversation.objects.get(pk=second_conversation.pk))[-1] == "reserved"


@pytest.mark.django_db
def test_a_no_show_cannot_be_recorded_before_the_agreed_time(alice, bob, offer, conversation):
    reservation = reservation_create(conversation=conversation, actor=alice)
    pickup_propose(reservation=reservation, actor=bob, when=timezone.now() + timedelta(hours=5))
    pickup_accept(reservation=reservation, actor=alice)
    with pytest.raises(ValidationError):
        reservation_no_show(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    assert Reservation.objects.get().status == "active"


@pytest.mark.django_db
def test_each_side_sees_they_have_dealt_before(alice, bob, alice_client):
    first = make_listing(alice, title="一つ目")
    conversation = conversation_start(listing=first, requester=bob, body="ください")
    reservation_create(conversation=conversation, actor=alice)
    reservation_hand_over(listing=Listing.objects.get(pk=first.pk), actor=alice)
    second = conversation_start(listing=make_listing(alice, title="二つ目"), requester=bob, body="また")
    page = alice_client.get(second.get_absolute_url()).content.decode()
    assert "以前にやり取りしたことがあります" in page


@pytest.mark.django_db
def test_a_lottery_draws_one_of_those_who_asked_in_time(alice, bob, carl, offer, conversation, second_conversation):
    closes = timezone.now() + timedelta(hours=1)
    lottery_start(listing=offer, actor=alice, closes_at=closes)
    assert lottery_draw(listing_id=offer.pk) is None  # not closed yet
    winner = lottery_draw(listing_id=offer.pk, now=closes + timedelta(seconds=1))
    assert winner.requester in (bob, carl)
    assert Lottery.objects.get().winner_id == winner.conversation_id
    assert lottery_draw(listing_id=offer.pk, now=closes + timedelta(minutes=5)) is None  # drawn once


@pytest.mark.django_db
def test_the_lottery_is_fair_among_entrants(alice, settings):
    settings.MESSAGING_NEW_CONVERSATIONS_PER_DAY = 1000
    settings.MESSAGING_RATE_PER_MINUTE = 1000
    people = [make_user(email=f"p{i}@example.com") for i in range(3)]
    wins = {p.pk: 0 for p in people}
    for round_ in range(60):
        listing = make_listing(alice, title=f"抽選{round_}")
        for person in people:
            conversation_start(listing=listing, requester=person, body="参加")
        closes = timezone.now() + timedelta(minutes=1)
        lottery_start(listing=listing, actor=alice, closes_at=closes)
        winner = lottery_draw(listing_id=listing.pk, now=closes)
        wins[winner.requester_id] += 1
        reservation_hand_over(listing=Listing.objects.get(pk=listing.pk), actor=alice)
    assert all(count >= 5 for count in wins.values()), wins  # each of 3 wins about 20 of 60


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
    assert bob_client.post(reverse("messaging:act", args=[conversation.pk, "hand_over"])).status_code == 403
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.RESERVED  # refused for the requester
    alice_client.post(reverse("messaging:act", args=[conversation.pk, "hand_over"]))
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.HANDED_OVER
    bob_client.post(reverse("messaging:act", args=[conversation.pk, "receipt"]))
    bob_client.post(reverse("messaging:act", args=[conversation.pk, "thanks"]), {"text": "感謝"})
    assert Reservation.objects.get().thanks.get().text == "感謝"


@pytest.mark.django_db
def test_handing_over_from_my_listings_ends_the_reservation_and_tells_the_others(alice_client, alice, offer, conversation, second_conversation):
    reservation_create(conversation=conversation, actor=alice)
    alice_client.post(reverse("listings:act", args=[offer.pk, "hand_over"]))
    assert Reservation.objects.get().status == "handed_over"
    assert _events(conversation)[-1] == "handed_over"
    assert _events(second_conversation)[-1] == "closed_for_other"


@pytest.mark.django_db
def test_withdrawing_a_reserved_listing_releases_it_and_closes_every_conversation(alice_client, bob, offer, conversation, second_conversation):
    reservation_create(conversation=conversation, actor=offer.owner)
    alice_client.post(reverse("listings:act", args=[offer.pk, "withdraw"]))
    assert Reservation.objects.get().status == "released"
    assert not Reservation.objects.filter(requester=bob, status="active").exists()  # frees Bob's cap
    assert _events(conversation)[-1] == _events(second_conversation)[-1] == "listing_closed"


@pytest.mark.django_db
def test_a_handover_in_the_conversation_tells_the_others_once(alice, offer, conversation, second_conversation):
    reservation_create(conversation=conversation, actor=alice)
    reservation_hand_over(listing=Listing.objects.get(pk=offer.pk), actor=alice)
    assert _events(second_conversation).count("closed_for_other") == 1
    assert _events(conversation).count("handed_over") == 1
