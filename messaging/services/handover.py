"""The handover workflow: reserve (取り置き), pickup time, release, hand over, receipt, thanks,
no-shows and lotteries. Listing status changes go through listings.services.listing_transition."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from listings.lifecycle import Action
from listings.models import Listing
from listings.services import listing_transition
from messaging import selectors
from messaging.models import Conversation, Lottery, Reservation, Thanks
from messaging.services.conversations import event_add

R = Reservation.Status


def _require_poster(listing: Listing, actor: User) -> None:
    if listing.owner_id != actor.pk:
        raise PermissionDenied


def _tell_others(listing: Listing, actor: User, *, except_conversation_id: int | None, event: str) -> None:
    for other in listing.conversations.exclude(pk=except_conversation_id or 0).select_related("listing"):
        event_add(conversation=other, actor=actor, event=event)


def reservation_create(*, conversation: Conversation, actor: User) -> Reservation:
    """The poster keeps the item for this conversation's requester; the others are told politely.

    One active reservation per listing is enforced by a row lock on the listing (through
    listing_transition) and, underneath, by a partial unique constraint.
    """
    listing = conversation.listing
    _require_poster(listing, actor)
    if selectors.is_blocked_between(conversation.requester_id, listing.owner_id):
        raise ValidationError(_("You cannot reserve for a person you have blocked or who blocked you."))
    active = Reservation.objects.filter(requester_id=conversation.requester_id, status=R.ACTIVE).count()
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
            event_add(conversation=conversation, actor=actor, event="reserved")
            _tell_others(listing, actor, except_conversation_id=conversation.pk, event="reserved_for_other")
    except IntegrityError:
        raise ValidationError(_("This item is already reserved."), code="reserved") from None
    return reservation


def _end_active_reservation(listing: Listing, status: str) -> Reservation:
    """Lock the listing's active reservation and close it with `status` (inside a transaction)."""
    reservation = Reservation.objects.select_for_update().filter(listing=listing, status=R.ACTIVE).first()
    if reservation is None:
        raise ValidationError(_("This item is not reserved."), code="not_reserved")
    reservation.status = status
    reservation.ended_at = timezone.now()
    reservation.save(update_fields=["status", "ended_at"])
    return reservation


def reservation_release(*, listing: Listing, actor: User) -> None:
    """The poster cancels the reservation; the item is available again."""
    _require_poster(listing, actor)
    with transaction.atomic():
        reservation = _end_active_reservation(listing, R.RELEASED)
        listing_transition(listing=listing, action=Action.RELEASE, actor=actor)
        event_add(conversation=reservation.conversation, actor=actor, event="released")
        _tell_others(listing, actor, except_conversation_id=reservation.conversation_id, event="available_again")


def reservation_hand_over(*, listing: Listing, actor: User) -> Reservation:
    """The poster marks the reserved item handed over: the listing closes and everyone waiting is told."""
    _require_poster(listing, actor)
    with transaction.atomic():
        reservation = _end_active_reservation(listing, R.HANDED_OVER)
        listing_transition(listing=listing, action=Action.HAND_OVER, actor=actor)
        event_add(conversation=reservation.conversation, actor=actor, event="handed_over")
        _tell_others(listing, actor, except_conversation_id=reservation.conversation_id, event="closed_for_other")
    return reservation


def reservation_confirm_receipt(*, reservation: Reservation, actor: User) -> Reservation:
    """The requester confirms they received the item."""
    if reservation.requester_id != actor.pk:
        raise PermissionDenied
    if reservation.status != R.HANDED_OVER:
        raise ValidationError(_("The poster has not marked this item as handed over yet."))
    if reservation.receipt_confirmed_at is None:
        with transaction.atomic():
            reservation.receipt_confirmed_at = timezone.now()
            reservation.save(update_fields=["receipt_confirmed_at"])
            event_add(conversation=reservation.conversation, actor=actor, event="received")
    return reservation


def thanks_send(*, reservation: Reservation, sender: User, text: str = "") -> Thanks:
    """Either side thanks the other once after a handover; it counts on the receiver's profile."""
    conversation = reservation.conversation
    poster_id = conversation.listing.owner_id
    if sender.pk not in (poster_id, reservation.requester_id):
        raise PermissionDenied
    if reservation.status != R.HANDED_OVER:
        raise ValidationError(_("You can say thanks once the item has been handed over."))
    receiver_id = reservation.requester_id if sender.pk == poster_id else poster_id
    thanks = Thanks(reservation=reservation, sender=sender, receiver_id=receiver_id, text=(text or "").strip())
    thanks.full_clean(exclude=["reservation", "sender", "receiver"], validate_constraints=False)
    try:
        with transaction.atomic():
            thanks.save()
            event_add(conversation=conversation, actor=sender, event="thanked", body=thanks.text or "thanked")
    except IntegrityError:
        raise ValidationError(_("You have already said thanks for this handover."), code="duplicate") from None
    return thanks


def pickup_propose(*, reservation: Reservation, actor: User, when: datetime) -> Reservation:
    """Either participant proposes a pickup time; the other accepts it."""
    conversation = reservation.conversation
    if actor.pk not in (conversation.listing.owner_id, reservation.requester_id):
        raise PermissionDenied
    if reservation.status != R.ACTIVE:
        raise ValidationError(_("The reservation has ended."))
    if when <= timezone.now():
        raise ValidationError(_("Choose a time in the future."), code="past")
    if when > timezone.now() + timedelta(days=60):
        raise ValidationError(_("Choose a time within the next 60 days."), code="far")
    with transaction.atomic():
        reservation.pickup_at = when
        reservation.pickup_status = Reservation.Pickup.PROPOSED
        reservation.pickup_proposed_by = actor
        reservation.save(update_fields=["pickup_at", "pickup_status", "pickup_proposed_by"])
        local = timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
        event_add(conversation=conversation, actor=actor, event="pickup_proposed", body=local)
    return reservation


def pickup_accept(*, reservation: Reservation, actor: User) -> Reservation:
    """The other participant accepts the proposed time; both get a reminder before it."""
    conversation = reservation.conversation
    if actor.pk not in (conversation.listing.owner_id, reservation.requester_id):
        raise PermissionDenied
    if reservation.status != R.ACTIVE or reservation.pickup_status != Reservation.Pickup.PROPOSED:
        raise ValidationError(_("There is no proposed time to accept."))
    if reservation.pickup_proposed_by_id == actor.pk:
        raise ValidationError(_("The other person has to accept the time you proposed."))
    with transaction.atomic():
        reservation.pickup_status = Reservation.Pickup.ACCEPTED
        reservation.save(update_fields=["pickup_status"])
        local = timezone.localtime(reservation.pickup_at).strftime("%Y-%m-%d %H:%M")
        event_add(conversation=conversation, actor=actor, event="pickup_accepted", body=local)
        _schedule_reminder(reservation)
    return reservation


def _schedule_reminder(reservation: Reservation) -> None:
    from messaging.tasks import remind_pickup

    remind_at = reservation.pickup_at - timedelta(hours=settings.MESSAGING_PICKUP_REMINDER_HOURS)
    remind_at = max(remind_at, timezone.now())
    pickup_at = reservation.pickup_at.isoformat()

    def enqueue() -> None:
        task = remind_pickup
        if task.get_backend().supports_defer:
            task = task.using(run_after=remind_at)
        task.enqueue(reservation_id=reservation.pk, pickup_at=pickup_at)

    transaction.on_commit(enqueue)


def pickup_reminder_send(*, reservation_id: int, pickup_at: str) -> bool:
    """Remind both participants of an agreed pickup, unless it changed or the reservation ended."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    reservation = (
        Reservation.objects.select_related("listing", "listing__owner", "requester", "conversation")
        .filter(pk=reservation_id, status=R.ACTIVE, pickup_status=Reservation.Pickup.ACCEPTED)
        .first()
    )
    if reservation is None or reservation.pickup_at != parse_datetime(pickup_at):
        return False
    for user in (reservation.listing.owner, reservation.requester):
        if not user.is_active or user.deleted_at:
            continue
        context = {
            "listing_title": reservation.listing.title,
            "town": reservation.listing.town.name,
            "pickup_at": timezone.localtime(reservation.pickup_at),
            "url": settings.SITE_URL + reservation.conversation.get_absolute_url(),
        }
        with translation.override("ja"):
            subject = render_to_string("messaging/email/pickup_subject.txt", context).strip()
            body = render_to_string("messaging/email/pickup_body.txt", context)
        send_mail(subject, body, None, [user.email])
    return True


def reservation_no_show(*, listing: Listing, actor: User) -> Reservation | None:
    """The requester did not come: release, count it on their record, offer the item to the next in line.

    Returns the new reservation for the next requester, or None when nobody else asked.
    """
    _require_poster(listing, actor)
    with transaction.atomic():
        current = Reservation.objects.filter(listing=listing, status=R.ACTIVE).first()
        if current and current.pickup_status == Reservation.Pickup.ACCEPTED and current.pickup_at > timezone.now():
            raise ValidationError(_("The agreed pickup time has not come yet."), code="too_early")
        reservation = _end_active_reservation(listing, R.NO_SHOW)
        listing = listing_transition(listing=listing, action=Action.RELEASE, actor=actor)
        event_add(conversation=reservation.conversation, actor=actor, event="no_show")
        already = Reservation.objects.filter(listing=listing).values_list("conversation_id", flat=True)
        for candidate in listing.conversations.exclude(pk__in=already).select_related("listing").order_by("created_at", "id"):
            try:
                with transaction.atomic():
                    candidate.listing = listing
                    return reservation_create(conversation=candidate, actor=actor)
            except ValidationError:
                continue  # blocked or at the reservation cap: offer to the next one
        _tell_others(listing, actor, except_conversation_id=reservation.conversation_id, event="available_again")
    return None


def lottery_start(*, listing: Listing, actor: User, closes_at: datetime) -> Lottery:
    """Let chance choose among everyone who asks before `closes_at`, instead of the poster choosing."""
    _require_poster(listing, actor)
    if listing.status != Listing.Status.PUBLISHED:
        raise ValidationError(_("A lottery can only be held for a published, unreserved item."))
    if closes_at <= timezone.now() or closes_at > timezone.now() + timedelta(days=14):
        raise ValidationError(_("Choose a closing time within the next 14 days."), code="closes_at")
    with transaction.atomic():
        lottery, _created = Lottery.objects.update_or_create(
            listing=listing, defaults={"closes_at": closes_at, "drawn_at": None, "winner": None}
        )

        def enqueue() -> None:
            from messaging.tasks import draw_lottery

            task = draw_lottery
            if task.get_backend().supports_defer:
                task = task.using(run_after=closes_at)
            task.enqueue(listing_id=listing.pk)

        transaction.on_commit(enqueue)
    return lottery


def lottery_draw(*, listing_id: int, now: datetime | None = None) -> Reservation | None:
    """Draw the lottery once it has closed: a fair random pick among eligible requesters."""
    now = now or timezone.now()
    with transaction.atomic():
        lottery = Lottery.objects.select_for_update().select_related("listing").filter(listing_id=listing_id).first()
        if lottery is None or lottery.drawn_at is not None or lottery.closes_at > now:
            return None
        listing = lottery.listing
        lottery.drawn_at = now
        lottery.save(update_fields=["drawn_at"])
        if listing.status != Listing.Status.PUBLISHED:
            return None
        entrants = list(listing.conversations.filter(created_at__lte=lottery.closes_at).select_related("listing"))
        random = secrets.SystemRandom()
        random.shuffle(entrants)
        for conversation in entrants:
            try:
                with transaction.atomic():
                    reservation = reservation_create(conversation=conversation, actor=listing.owner)
            except ValidationError:
                continue  # blocked or at the cap: the next drawn entrant wins
            lottery.winner = conversation
            lottery.save(update_fields=["winner"])
            return reservation
    return None
