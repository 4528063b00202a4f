"""Messaging's answers to listing events (connected in MessagingConfig.ready)."""

from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from listings.lifecycle import Action
from listings.models import Listing
from messaging.models import Block, Conversation, Lottery, MessageReport, Reservation
from messaging.services.conversations import event_add
from messaging.tasks import draw_lottery

CLOSING = {Action.WITHDRAW, Action.EXPIRE, Action.REJECT}


def close_handover_on_listing_change(sender, *, listing: Listing, action: Action, actor, **kwargs) -> None:
    """Keep reservations and conversations in step when a listing changes outside the conversation
    (my-listings buttons, expiry, staff): end the reservation and tell everyone waiting.

    Hiding a listing or sending its edit to review keeps the reservation: the listing remembers
    that it was reserved and comes back reserved (listings.lifecycle), with nothing to do here."""
    if action not in CLOSING and action != Action.HAND_OVER:
        return
    reservation = Reservation.objects.select_for_update().filter(listing=listing, status=Reservation.Status.ACTIVE).first()
    if action == Action.HAND_OVER:
        if reservation is None:
            if Reservation.objects.filter(listing=listing, status=Reservation.Status.HANDED_OVER).exists():
                return  # handed over from the conversation: the handover service told everyone
            _tell_all(listing, actor, event="closed_for_other")
            return
        reservation.status = Reservation.Status.HANDED_OVER
        reservation.ended_at = timezone.now()
        reservation.save(update_fields=["status", "ended_at"])
        _tell_all(listing, actor, event="closed_for_other", except_id=reservation.conversation_id)
        event_add(conversation=reservation.conversation, actor=actor or listing.owner, event="handed_over")
        return
    if reservation is not None:
        reservation.status = Reservation.Status.RELEASED
        reservation.ended_at = timezone.now()
        reservation.save(update_fields=["status", "ended_at"])
    _tell_all(listing, actor, event="listing_closed")


def draw_due_lottery(sender, *, listing: Listing, action: Action, **kwargs) -> None:
    """A lottery that closed while its listing was out of public view (an edit in review, hidden)
    waited for it: draw it once the listing is public again, after the change commits."""
    if action not in (Action.APPROVE, Action.UNHIDE) or listing.status != Listing.Status.PUBLISHED:
        return
    if Lottery.objects.filter(listing=listing, drawn_at__isnull=True, closes_at__lte=timezone.now()).exists():
        transaction.on_commit(partial(draw_lottery.enqueue, listing_id=listing.pk), robust=True)


def _tell_all(listing: Listing, actor, *, event: str, except_id: int | None = None) -> None:
    for conversation in listing.conversations.exclude(pk=except_id or 0).select_related("listing"):
        conversation.listing = listing
        event_add(conversation=conversation, actor=actor or listing.owner, event=event)


def export_messaging(sender, *, user: User, **kwargs) -> tuple[str, dict]:
    """The resident's part of messaging for "download my data": their conversations with every
    message in them as they see it (staff-hidden text stays hidden), the blocks they made and the
    reports they sent. Nothing about the other person beyond the name shown to them."""
    conversations = (
        Conversation.objects.filter(Q(requester=user) | Q(listing__owner=user))
        .select_related("listing", "listing__owner", "requester")
        .prefetch_related("messages__sender")
        .order_by("id")
    )
    return (
        "messaging",
        {
            "conversations": [
                {
                    "id": conversation.pk,
                    "listing": conversation.listing.title,
                    "role": "poster" if conversation.listing.owner_id == user.pk else "requester",
                    "with": (conversation.requester if conversation.listing.owner_id == user.pk else conversation.listing.owner).public_name,
                    "started_at": conversation.created_at.isoformat(),
                    "messages": [
                        {
                            "from_me": message.sender_id == user.pk,
                            "kind": message.kind,
                            "event": message.event,
                            "body": None if message.hidden_by_staff else message.body,
                            "hidden_by_staff": message.hidden_by_staff,
                            "sent_at": message.created_at.isoformat(),
                        }
                        for message in conversation.messages.all()
                    ],
                }
                for conversation in conversations
            ],
            "blocks": [
                {"blocked": block.blocked.public_name, "since": block.created_at.isoformat()}
                for block in Block.objects.filter(blocker=user).select_related("blocked").order_by("id")
            ],
            "reports": [
                {
                    "message_id": report.message_id,
                    "reason": report.reason,
                    "note": report.note,
                    "status": report.status,
                    "reported_at": report.created_at.isoformat(),
                }
                for report in MessageReport.objects.filter(reporter=user).order_by("id")
            ],
        },
    )
