"""A lottery that closes while its listing is out of public view (an edit in review) waits, and is
drawn when the listing is public again, with everyone told."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from listings.lifecycle import Action
from listings.models import Listing
from listings.services import listing_transition
from messaging.models import Lottery
from messaging.services.lottery import lottery_start
from messaging.tasks import draw_lottery
from moderation.services import listing_approve
from tests.messaging.helpers import event_codes


@pytest.mark.django_db
def test_a_lottery_closing_during_review_is_drawn_when_the_listing_is_approved(
    alice, bob, carl, staff, offer, conversation, second_conversation, clock, django_capture_on_commit_callbacks
):
    closes = timezone.now() + timedelta(hours=1)
    lottery_start(listing=offer, actor=alice, closes_at=closes)
    in_review = listing_transition(listing=offer, action=Action.RESUBMIT, actor=alice)  # an edit waits for review
    assert in_review.status == Listing.Status.PENDING
    clock.move_to(closes + timedelta(minutes=5))
    assert draw_lottery.call(listing_id=offer.pk) is False  # the task at the closing time: nothing drawn
    lottery = Lottery.objects.get(listing=offer)
    assert lottery.drawn_at is None and lottery.winner is None
    assert event_codes(conversation) == [] and event_codes(second_conversation) == []  # nobody told anything

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        listing_approve(listing=Listing.objects.get(pk=offer.pk), actor=staff)

    lottery.refresh_from_db()
    assert lottery.drawn_at is not None and lottery.winner_id in (conversation.pk, second_conversation.pk)
    winner, loser = (
        (conversation, second_conversation) if lottery.winner_id == conversation.pk else (second_conversation, conversation)
    )
    assert event_codes(winner) == ["lottery_won"]
    assert event_codes(loser) == ["lottery_lost"]
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.RESERVED
    assert winner.requester.email in [m.to[0] for m in mail.outbox]


@pytest.mark.django_db
def test_approval_before_the_lottery_closes_does_not_draw_early(
    alice, staff, offer, conversation, django_capture_on_commit_callbacks
):
    lottery_start(listing=offer, actor=alice, closes_at=timezone.now() + timedelta(hours=1))
    listing_transition(listing=offer, action=Action.RESUBMIT, actor=alice)
    with django_capture_on_commit_callbacks(execute=True):
        listing_approve(listing=Listing.objects.get(pk=offer.pk), actor=staff)
    assert Lottery.objects.get(listing=offer).drawn_at is None
    assert Listing.objects.get(pk=offer.pk).status == Listing.Status.PUBLISHED
