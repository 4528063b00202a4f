"""Lotteries (offers only): drawn fairly among those who asked in time, shown to those who ask,
cancelled, and the result told to each side."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from listings.models import Listing
from messaging.models import Conversation, Lottery, Reservation
from messaging.services.conversations import conversation_start
from messaging.services.handover import reservation_create, reservation_hand_over
from messaging.services.lottery import lottery_draw, lottery_start
from tests.factories import make_listing, make_user
from tests.messaging.helpers import event_codes, in_english


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


@pytest.mark.django_db
def test_an_open_lottery_shows_on_the_request_and_listing_pages_instead_of_the_poster_deciding(alice, bob_client, client, offer):
    lottery_start(listing=offer, actor=alice, closes_at=timezone.now() + timedelta(days=1))
    page = in_english(bob_client).get(reverse("messaging:start", args=[offer.pk])).content.decode()
    assert "A lottery (抽選) decides who gets this item" in page
    assert "The poster chooses" not in page
    listing_page = in_english(client).get(offer.get_absolute_url()).content.decode()  # visitors see it too
    assert "A lottery (抽選) decides who gets this item" in listing_page


@pytest.mark.django_db
def test_an_open_lottery_shows_in_the_conversation_and_refuses_reserving_by_hand(alice, alice_client, bob_client, offer, conversation):
    lottery_start(listing=offer, actor=alice, closes_at=timezone.now() + timedelta(days=1))
    assert "A lottery (抽選) decides" in in_english(bob_client).get(conversation.get_absolute_url()).content.decode()
    page = in_english(alice_client).get(conversation.get_absolute_url()).content.decode()
    assert "Reserve for this person" not in page
    with translation.override("en"), pytest.raises(ValidationError, match="Cancel the lottery"):
        reservation_create(conversation=conversation, actor=alice)
    response = alice_client.post(reverse("messaging:act", args=[conversation.pk, "reserve"]), follow=True)
    assert "A lottery decides who gets this item" in response.content.decode()
    assert not Reservation.objects.exists()


@pytest.mark.django_db
def test_a_cancelled_lottery_lets_the_poster_choose_and_tells_those_who_asked(alice, alice_client, offer, conversation):
    lottery_start(listing=offer, actor=alice, closes_at=timezone.now() + timedelta(days=1))
    response = alice_client.post(reverse("messaging:lottery_cancel", args=[offer.pk]), {"confirm": "1"})
    assert response.status_code == 302 and not Lottery.objects.exists()
    assert event_codes(conversation)[-1] == "lottery_cancelled"
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
    assert event_codes(winner) == ["lottery_won"]
    assert event_codes(loser) == ["lottery_lost"]
    assert event_codes(late) == ["reserved_for_other"]  # asked after it closed: not part of it
    # The winner may be offline: an email says the item is reserved for them.
    assert [m.to for m in mail.outbox] == [[won.requester.email]] and "本棚" in mail.outbox[0].subject
    for conv, who, text in [
        (winner, won.requester, "You won the lottery: the item is reserved for you."),
        (loser, loser.requester, "You were not drawn in the lottery for this item."),
    ]:
        client.force_login(who)
        page = in_english(client).get(conv.get_absolute_url()).content.decode()
        assert text in page and "chosen someone else" not in page
    client.force_login(alice)
    page = client.get(reverse("messaging:requests", args=[offer.pk])).content.decode()
    assert f"{won.requester.public_name} won, and the item is reserved for them" in page
