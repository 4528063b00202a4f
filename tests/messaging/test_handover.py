import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

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
    assert _events(Conversation.objects.get(pk=second_conversation.pk))[-1] == "available_again"
    assert _events(Conversation.objects.get(pk=conversation.pk))[-1] == "no_show"


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
    response = alice_client.post(reverse("messaging:act", args=[conversation.pk, "no_show"]), follow=True)
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


# --- Lotteries, seen by those who ask ------------------------------------------------------------


def _en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_an_open_lottery_shows_on_the_request_and_listing_pages_instead_of_the_poster_deciding(alice, bob_client, client, offer):
    lottery_start(listing=offer, actor=alice, closes_at=timezone.now() + timedelta(days=1))
    page = _en(bob_client).get(reverse("messaging:start", args=[offer.pk])).content.decode()
    assert "A lottery (抽選) decides who gets this item" in page
    assert "The poster chooses" not in page
    listing_page = _en(client).get(offer.get_absolute_url()).content.decode()  # visitors see it too
    assert "A lottery (抽選) decides who gets this item" in listing_page


@pytest.mark.django_db
def test_an_open_lottery_shows_in_the_conversation_and_refuses_reserving_by_hand(alice, alice_client, bob_client, offer, conversation):
    lottery_start(listing=offer, actor=alice, closes_at=timezone.now() + timedelta(days=1))
    assert "A lottery (抽選) decides" in _en(bob_client).get(conversation.get_absolute_url()).content.decode()
    page = _en(alice_client).get(conversation.get_absolute_url()).content.decode()
    assert "Reserve for this person" not in page
    with translation.override("en"), pytest.raises(ValidationError, match="Cancel the lottery"):
        reservation_create(conversation=conversation, actor=alice)
    response = alice_client.post(reverse("messaging:act", args=[conversation.pk, "reserve"]), follow=True)
    assert "A lottery decides who gets this item" in response.content.decode()
    assert not Reservation.objects.exists()


@pytest.mark.django_db
def test_a_cancelled_lottery_lets_the_poster_choose_and_tells_those_who_asked(alice, alice_client, offer, conversation):
    lottery_start(listing=offer, actor=alice, closes_at=timezone.now() + timedelta(days=1))
    response = alice_client.post(reverse("messaging:lottery_cancel", args=[offer.pk]))
    assert response.status_code == 302 and not Lottery.objects.exists()
    assert _events(conversation)[-1] == "lottery_cancelled"
    reservation_create(conversation=conversation, actor=alice)
    assert lottery_draw(listing_id=offer.pk, now=timezone.now() + timedelta(days=2)) is None  # the queued draw does nothing


@pytest.mark.django_db
def test_after_the_draw_each_side_is_told_the_lottery_result(alice, bob, carl, offer, conversation, second_conversation, client, django_capture_on_commit_callbacks):
    closes = timezone.now() + timedelta(hours=1)
    lottery_start(listing=offer, actor=alice, closes_at=closes)
    latecomer = make_user(email="dave@example.com", name="でいぶ")
    late = conversation_start(listing=offer, requester=latecomer, body="まだありますか")
    Conversation.objects.filter(pk=late.pk).update(created_at=closes + timedelta(minutes=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        won = lottery_draw(listing_id=offer.pk, now=closes + timedelta(seconds=1))
    winner, loser = (conversation, second_conversation) if won.conversation_id == conversation.pk else (second_conversation, conversation)
    assert _events(winner) == ["lottery_won"]
    assert _events(loser) == ["lottery_lost"]
    assert _events(late) == ["reserved_for_other"]  # asked after it closed: not part of it
    # The winner may be offline: an email says the item is reserved for them.
    assert [m.to for m in mail.outbox] == [[won.requester.email]] and "本棚" in mail.outbox[0].subject
    for conv, who, text in [
        (winner, won.requester, "You won the lottery: the item is reserved for you."),
        (loser, loser.requester, "You were not drawn in the lottery for this item."),
    ]:
        client.force_login(who)
        page = _en(client).get(conv.get_absolute_url()).content.decode()
        assert text in page and "chosen someone else" not in page
    client.force_login(alice)
    page = client.get(reverse("messaging:requests", args=[offer.pk])).content.decode()
    assert f"{won.requester.public_name} won, and the item is reserved for them" in page


# --- Wanted listings: the requester gives, the poster receives -----------------------------------


@pytest.fixture
def wanted_conversation(alice, bob):
    """Alice wants a bicycle; Bob has one to give."""
    wanted = make_listing(alice, title="自転車", kind="wanted")
    return conversation_start(listing=wanted, requester=bob, body="うちにあります")


@pytest.mark.django_db
def test_a_wanted_listing_speaks_of_offers_and_the_poster_confirms_receipt(alice, bob, alice_client, bob_client, wanted_conversation):
    listing = wanted_conversation.listing
    page = _en(alice_client).get(wanted_conversation.get_absolute_url()).content.decode()
    assert "Accept this offer" in page and "Reserve for this person" not in page
    alice_client.post(reverse("messaging:act", args=[wanted_conversation.pk, "reserve"]))
    assert "Mark as received" in alice_client.get(wanted_conversation.get_absolute_url()).content.decode()
    assert "The poster accepted your offer" in _en(bob_client).get(wanted_conversation.get_absolute_url()).content.decode()
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
    page = _en(alice_client).get(reverse("messaging:requests", args=[listing.pk])).content.decode()
    assert "Hold a lottery" not in page and "whose offer to accept" in page


# --- Event lines say who is meant ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_reservation_line_speaks_to_each_side(alice, bob, alice_client, bob_client, conversation):
    reservation_create(conversation=conversation, actor=alice)
    assert "The item is reserved for you." in _en(bob_client).get(conversation.get_absolute_url()).content.decode()
    assert "You reserved the item for ぼぶ." in _en(alice_client).get(conversation.get_absolute_url()).content.decode()


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
    response = _en(bob_client).post(reverse("messaging:act", args=[conversation.pk, "pickup_propose"]), {"when": when}, follow=True)
    assert "Your proposed time has been sent" in response.content.decode()
    response = _en(alice_client).post(reverse("messaging:act", args=[conversation.pk, "pickup_accept"]), follow=True)
    assert "The pickup time is agreed" in response.content.decode()
