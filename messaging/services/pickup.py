"""Pickup times during a reservation: one side proposes, the other accepts, both are reminded."""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.mail import email_send
from messaging.models import Reservation
from messaging.notices import pickup_notify, reminder_notify
from messaging.services.conversations import event_add
from messaging.services.handover import refuse_if_blocked
from messaging.tasks import remind_pickup


def pickup_propose(*, reservation: Reservation, actor: User, when: datetime) -> Reservation:
    """Either participant proposes a pickup time; the other accepts it."""
    conversation = reservation.conversation
    if actor.pk not in (conversation.listing.owner_id, reservation.requester_id):
        raise PermissionDenied
    if reservation.status != Reservation.Status.ACTIVE:
        raise ValidationError(_("The reservation has ended."))
    refuse_if_blocked(conversation)
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
        event_add(conversation=conversation, actor=actor, event="pickup_proposed", body=local, acted_here=True)
        other = conversation.requester if actor.pk == conversation.listing.owner_id else conversation.listing.owner
        pickup_notify(reservation, actor=actor, recipient=other, agreed=False)
    return reservation


def pickup_accept(*, reservation: Reservation, actor: User) -> Reservation:
    """The other participant accepts the proposed time; both get a reminder before it."""
    conversation = reservation.conversation
    if actor.pk not in (conversation.listing.owner_id, reservation.requester_id):
        raise PermissionDenied
    if reservation.status != Reservation.Status.ACTIVE or reservation.pickup_status != Reservation.Pickup.PROPOSED:
        raise ValidationError(_("There is no proposed time to accept."))
    if reservation.pickup_proposed_by_id == actor.pk:
        raise ValidationError(_("The other person has to accept the time you proposed."))
    refuse_if_blocked(conversation)
    with transaction.atomic():
        reservation.pickup_status = Reservation.Pickup.ACCEPTED
        reservation.save(update_fields=["pickup_status"])
        local = timezone.localtime(reservation.pickup_at).strftime("%Y-%m-%d %H:%M")
        event_add(conversation=conversation, actor=actor, event="pickup_accepted", body=local, acted_here=True)
        pickup_notify(reservation, actor=actor, recipient=reservation.pickup_proposed_by, agreed=True)
        _schedule_reminder(reservation)
    return reservation


def _schedule_reminder(reservation: Reservation) -> None:
    remind_at = reservation.pickup_at - timedelta(hours=settings.MESSAGING_PICKUP_REMINDER_HOURS)
    remind_at = max(remind_at, timezone.now())
    pickup_at = reservation.pickup_at.isoformat()

    def enqueue() -> None:
        task = remind_pickup
        if task.get_backend().supports_defer:
            task = task.using(run_after=remind_at)
        task.enqueue(reservation_id=reservation.pk, pickup_at=pickup_at)

    transaction.on_commit(enqueue, robust=True)  # a reminder that cannot be queued must not fail the agreement


def pickup_reminder_send(*, reservation_id: int, pickup_at: str) -> bool:
    """Remind both participants of an agreed pickup, unless it changed or the reservation ended."""
    reservation = (
        Reservation.objects.select_related("listing", "listing__owner", "requester", "conversation")
        .filter(pk=reservation_id, status=Reservation.Status.ACTIVE, pickup_status=Reservation.Pickup.ACCEPTED)
        .first()
    )
    if reservation is None or reservation.pickup_at != parse_datetime(pickup_at):
        return False
    context = {
        "listing_title": reservation.listing.title,
        "town": reservation.listing.town.name,
        "pickup_at": timezone.localtime(reservation.pickup_at),
        "url": settings.SITE_URL + reservation.conversation.get_absolute_url(),
    }
    with transaction.atomic():
        for user in (reservation.listing.owner, reservation.requester):
            email = partial(email_send, to=user.email, template="messaging/email/pickup", context=context)
            reminder_notify(reservation, user, email=email)  # nobody inactive or deleted; once per pickup time
    return True
