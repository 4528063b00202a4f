"""The handover workflow: reserve (取り置き), release, hand over, receipt, thanks and no-shows.
Listing status changes go through listings.services.listing_transition; pickup times live in
`pickup`, lotteries in `lottery`, which share this module's poster and block checks."""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.dates import format_when
from core.mail import email_send
from listings.lifecycle import Action
from listings.models import Listing
from listings.services import listing_transition
from messaging import selectors
from messaging.models import Conversation, Reservation, Thanks
from messaging.notices import reserved_notify
from messaging.services.conversations import event_add
from messaging.tasks import email_chosen
from notifications.models import Channel


def require_poster(listing: Listing, actor: User) -> None:
    """Only the listing's poster may take this step (PermissionDenied for anyone else)."""
    if listing.owner_id != actor.pk:
        raise PermissionDenied


def refuse_if_blocked(conversation: Conversation) -> None:
    """No handover step between two people when either has blocked the other."""
    if selectors.is_blocked_between(conversation.requester_id, conversation.listing.owner_id):
        raise ValidationError(
            _("This is not possible because one of you has blocked the other."), code="blocked"
        )


def announce_to_others(listing: Listing, *, except_conversation_ids: tuple[int, ...] = (), event: str) -> None:
    """A line in every other conversation about the listing, from the poster. It does not mark
    them read for the poster: the poster did not open those conversations."""
    for other in listing.conversations.exclude(pk__in=except_conversation_ids).select_related("listing", "listing__owner"):
        event_add(conversation=other, actor=other.listing.owner, event=event)


def reservation_create(*, conversation: Conversation, actor: User) -> Reservation:
    """The poster keeps the item for this conversation's requester; the others are told politely.

    Refused while a lottery is open: the draw decides then, unless the poster cancels it first.
    """
    listing = conversation.listing
    require_poster(listing, actor)
    lottery = selectors.lottery_open(listing)
    if lottery is not None:
        raise ValidationError(
            _("A lottery decides who gets this item (requests close at %(when)s). Cancel the lottery on the requests page first if you want to choose yourself.")
            % {"when": format_when(lottery.closes_at)},
            code="lottery",
        )
    return reserve_for_requester(conversation, actor, acted_here=True)


def reserve_for_requester(conversation: Conversation, actor: User, *, acted_here: bool, event: str = "reserved", tell_others: bool = True) -> Reservation:
    """Reserve for this conversation's requester (the poster's choice, or the lottery's draw);
    the caller has checked who acts and that no lottery stands in the way.

    One active reservation per listing is enforced by a row lock on the listing (through
    listing_transition) and, underneath, by a partial unique constraint.
    """
    listing = conversation.listing
    if selectors.is_blocked_between(conversation.requester_id, listing.owner_id):
        raise ValidationError(_("You cannot reserve for a person you have blocked or who blocked you."), code="blocked")
    requester = User.objects.get(pk=conversation.requester_id)
    if requester.deleted_at or not requester.is_active:
        raise ValidationError(_("This account has been deleted."), code="deleted")
    active = Reservation.objects.filter(requester_id=conversation.requester_id, status=Reservation.Status.ACTIVE).count()
    if active >= settings.MESSAGING_MAX_ACTIVE_RESERVATIONS:
        raise ValidationError(
            _("This person already holds %(n)s reservations, the most allowed at once. Please choose someone else or wait.")
            % {"n": settings.MESSAGING_MAX_ACTIVE_RESERVATIONS},
            code="cap",
        )
    try:
        with transaction.atomic():
            conversation.listing = listing_transition(listing=listing, action=Action.RESERVE, actor=actor)
            reservation = Reservation.objects.create(
                listing=listing, conversation=conversation, requester_id=conversation.requester_id
            )
            event_add(conversation=conversation, actor=actor, event=event, acted_here=acted_here)
            if tell_others:
                announce_to_others(listing, except_conversation_ids=(conversation.pk,), event="reserved_for_other")
    except IntegrityError:
        raise ValidationError(_("This item is already reserved."), code="reserved") from None
    # A lottery's winner hears of the draw on the other channels (its LOTTERY notice); the
    # "chosen" email is theirs all the same.
    only = {Channel.EMAIL} if event == "lottery_won" else None
    reserved_notify(reservation, requester, email=partial(_email_chosen, reservation), only=only)
    return reservation


def _email_chosen(reservation: Reservation) -> None:
    """Tell the chosen requester by email (a task after commit: they may be offline, and a mail
    server that fails must not undo or fail the reservation). Whether they want it is their
    choice for reservations (notifications.selectors.chosen_channels), checked by notice_send."""
    transaction.on_commit(lambda: email_chosen.enqueue(reservation_id=reservation.pk), robust=True)


def chosen_email_send(*, reservation_id: int) -> bool:
    """Send the "it is kept for you" email, unless the reservation has ended meanwhile."""
    reservation = (
        Reservation.objects.select_related("listing", "requester", "conversation")
        .filter(pk=reservation_id, status=Reservation.Status.ACTIVE)
        .first()
    )
    if reservation is None or reservation.requester.deleted_at:
        return False
    listing = reservation.listing
    context = {
        "listing_title": listing.title,
        "wanted": listing.kind == Listing.Kind.WANTED,
        "url": settings.SITE_URL + reservation.conversation.get_absolute_url(),
        "settings_url": settings.SITE_URL + reverse("accounts:profile"),
    }
    email_send(to=reservation.requester.email, template="messaging/email/chosen", context=context)
    return True


def _end_active_reservation(listing: Listing, status: str) -> Reservation:
    """Lock the listing's active reservation and close it with `status` (inside a transaction)."""
    reservation = Reservation.objects.select_for_update().filter(listing=listing, status=Reservation.Status.ACTIVE).first()
    if reservation is None:
        raise ValidationError(_("This item is not reserved."), code="not_reserved")
    reservation.status = status
    reservation.ended_at = timezone.now()
    reservation.save(update_fields=["status", "ended_at"])
    return reservation


def reservation_release(*, listing: Listing, actor: User) -> None:
    """The poster cancels the reservation; the item is available again."""
    require_poster(listing, actor)
    with transaction.atomic():
        reservation = _end_active_reservation(listing, Reservation.Status.RELEASED)
        listing_transition(listing=listing, action=Action.RELEASE, actor=actor)
        event_add(conversation=reservation.conversation, actor=actor, event="released", acted_here=True)
        announce_to_others(listing, except_conversation_ids=(reservation.conversation_id,), event="available_again")


def reservations_end_for_block(*, blocker: User, blocked: User) -> list[Reservation]:
    """A block ends any reservation between the two (either one's listing): the listing is
    available again and everyone else who asked is told, as when the poster cancels."""
    ended = []
    between = Q(requester=blocked, listing__owner=blocker) | Q(requester=blocker, listing__owner=blocked)
    with transaction.atomic():
        for reservation in Reservation.objects.filter(between, status=Reservation.Status.ACTIVE).select_related("listing", "conversation"):
            listing = reservation.listing
            reservation = _end_active_reservation(listing, Reservation.Status.RELEASED)
            # Reserved: available again. Hidden or in review: it will come back unreserved.
            listing = listing_transition(listing=listing, action=Action.RELEASE, actor=blocker)
            reservation.conversation.listing = listing
            event_add(conversation=reservation.conversation, actor=blocker, event="released_by_block", acted_here=True)
            announce_to_others(listing, except_conversation_ids=(reservation.conversation_id,), event="available_again")
            ended.append(reservation)
    return ended


def reservation_hand_over(*, listing: Listing, actor: User) -> Reservation:
    """The poster marks the reserved item handed over: the listing closes and everyone waiting is told.

    On a wanted listing the poster is the one who receives, so this also confirms receipt.
    """
    require_poster(listing, actor)
    with transaction.atomic():
        current = Reservation.objects.select_related("conversation", "conversation__listing").filter(listing=listing, status=Reservation.Status.ACTIVE).first()
        if current is not None:
            refuse_if_blocked(current.conversation)
        reservation = _end_active_reservation(listing, Reservation.Status.HANDED_OVER)
        listing_transition(listing=listing, action=Action.HAND_OVER, actor=actor)
        if listing.kind == Listing.Kind.WANTED:
            reservation.receipt_confirmed_at = reservation.ended_at
            reservation.save(update_fields=["receipt_confirmed_at"])
        event_add(conversation=reservation.conversation, actor=actor, event="handed_over", acted_here=True)
        announce_to_others(listing, except_conversation_ids=(reservation.conversation_id,), event="closed_for_other")
    return reservation


def receiver_id(reservation: Reservation) -> int:
    """Who receives the item: the requester of an offer, the poster of a wanted listing."""
    listing = reservation.conversation.listing
    return listing.owner_id if listing.kind == Listing.Kind.WANTED else reservation.requester_id


def reservation_confirm_receipt(*, reservation: Reservation, actor: User) -> Reservation:
    """The one who received the item confirms it (on a wanted listing, marking it received did)."""
    if receiver_id(reservation) != actor.pk:
        raise PermissionDenied
    if reservation.status != Reservation.Status.HANDED_OVER:
        raise ValidationError(_("The poster has not marked this item as handed over yet."))
    refuse_if_blocked(reservation.conversation)
    if reservation.receipt_confirmed_at is None:
        with transaction.atomic():
            reservation.receipt_confirmed_at = timezone.now()
            reservation.save(update_fields=["receipt_confirmed_at"])
            event_add(conversation=reservation.conversation, actor=actor, event="received", acted_here=True)
    return reservation


def thanks_send(*, reservation: Reservation, sender: User, text: str = "") -> Thanks:
    """Either side thanks the other once after a handover; it counts on the receiver's profile."""
    conversation = reservation.conversation
    poster_id = conversation.listing.owner_id
    if sender.pk not in (poster_id, reservation.requester_id):
        raise PermissionDenied
    if reservation.status != Reservation.Status.HANDED_OVER:
        raise ValidationError(_("You can say thanks once the item has been handed over."))
    refuse_if_blocked(conversation)
    receiver_id = reservation.requester_id if sender.pk == poster_id else poster_id
    thanks = Thanks(reservation=reservation, sender=sender, receiver_id=receiver_id, text=(text or "").strip())
    thanks.full_clean(exclude=["reservation", "sender", "receiver"], validate_constraints=False)
    try:
        with transaction.atomic():
            thanks.save()
            event_add(conversation=conversation, actor=sender, event="thanked", body=thanks.text or "thanked", acted_here=True)
    except IntegrityError:
        raise ValidationError(_("You have already said thanks for this handover."), code="duplicate") from None
    return thanks



def reservation_no_show(*, listing: Listing, actor: User) -> Reservation:
    """The requester did not come at the agreed time: the poster releases the reservation, it
    counts on the requester's record, and the item is offered to the next requester: everyone
    else who asked is told it is available again, and the poster chooses (nobody is reserved for
    without being asked).

    Only after a pickup time both agreed on has passed: without an agreed time nobody missed it.
    """
    require_poster(listing, actor)
    with transaction.atomic():
        current = Reservation.objects.select_for_update().filter(listing=listing, status=Reservation.Status.ACTIVE).first()
        if current is None:
            raise ValidationError(_("This item is not reserved."), code="not_reserved")
        if current.pickup_status != Reservation.Pickup.ACCEPTED:
            raise ValidationError(
                _("You can record that someone did not come only after a pickup time you both agreed on has passed. Agree on a time first, or cancel the reservation."),
                code="no_agreed_time",
            )
        if current.pickup_at > timezone.now():
            raise ValidationError(
                _("The agreed pickup time (%(when)s) has not come yet.")
                % {"when": format_when(current.pickup_at)},
                code="too_early",
            )
        reservation = _end_active_reservation(listing, Reservation.Status.NO_SHOW)
        listing = listing_transition(listing=listing, action=Action.RELEASE, actor=actor)
        event_add(conversation=reservation.conversation, actor=actor, event="no_show", acted_here=True)
        announce_to_others(listing, except_conversation_ids=(reservation.conversation_id,), event="available_again")
    return reservation

