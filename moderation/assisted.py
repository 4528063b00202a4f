"""Assisted registration: staff register a listing for a resident who sent a postcard, answer
requests on it for them through the postcard desk account, and record what they relayed by phone.
Every step is audited; the resident's details stay staff-only."""

import re

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import OFFICE_DESK_EMAIL, Town, User
from accounts.selectors import check_staff_member
from accounts.services import postal_code_normalise, town_for_postal_code
from core.audit import audit_record
from core.municipality import office_desk_name
from core.models import AuditRecord
from core.text import DASHES, text_normalise
from listings.lifecycle import Action
from listings.photos import ProcessedPhoto
from listings.models import Listing
from listings.services import ListingData, listing_create, listing_transition, listing_update
from messaging.models import Conversation, Message, Reservation
from messaging.services.conversations import message_send
from messaging.services.handover import (
    reservation_create,
    reservation_hand_over,
    reservation_release,
)
from moderation.models import AssistedNote, AssistedRegistration
from moderation.services import listing_approve

DESK_EMAIL = OFFICE_DESK_EMAIL


def desk_account() -> User:
    """The account that owns assisted listings: residents who ask see the office's postcard desk.
    It cannot log in; staff act for it from the staff console."""
    user = User.objects.filter(email=DESK_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=DESK_EMAIL, password=None, display_name=office_desk_name()[:30],
            notify_messages=False, notify_listings=False,
        )
        user.town = Town.objects.order_by("pk").first()  # messaging requires a home town to write
        user.save(update_fields=["town"])
        EmailAddress.objects.create(user=user, email=DESK_EMAIL, verified=True, primary=True)
    return user


def _clean_phone(phone: str) -> str:
    phone = text_normalise(phone).strip()
    phone = re.sub(f"[{DASHES}]", "-", phone)  # dashes as typed on Japanese keyboards (ー, ‐, −, ―…)
    if not re.fullmatch(r"[0-9][0-9\-() ]{8,18}", phone):
        raise ValidationError({"phone": _("Enter a phone number, for example 03-1234-5678.")})
    return phone


def assisted_register(
    *, actor: User, resident_name: str, phone: str, postal_code: str, note: str, data: ListingData,
    photos: list[ProcessedPhoto] = (),
) -> AssistedRegistration:
    """Create and publish a listing for a postcard resident; returns the registration (the
    listing number goes on the receipt)."""
    check_staff_member(actor)
    resident_name = (resident_name or "").strip()
    if not resident_name:
        raise ValidationError({"resident_name": _("Enter the resident's name.")})
    phone = _clean_phone(phone)
    try:
        town_for_postal_code(postal_code)  # the resident must live in the municipality
    except ValidationError as exc:
        raise ValidationError({"postal_code": exc.messages}) from None
    with transaction.atomic():
        listing = listing_create(owner=desk_account(), data=data, photos=photos, publish=False, check_rate=False)
        listing = listing_transition(listing=listing, action=Action.PUBLISH, actor=actor)  # staff checked it
        registration = AssistedRegistration.objects.create(
            listing=listing, resident_name=resident_name[:60], phone=phone, postal_code=postal_code_normalise(postal_code),
            note=(note or "").strip(), created_by=actor,
        )
        audit_record(actor=actor, action=AuditRecord.Action.ASSISTED_REGISTER, target=listing, after={"listing": listing.number})
    return registration


def _desk_conversation(registration: AssistedRegistration, conversation: Conversation) -> None:
    if conversation.listing_id != registration.listing_id:
        raise PermissionDenied


def assisted_message(*, actor: User, registration: AssistedRegistration, conversation: Conversation, body: str) -> None:
    """Write to a requester for the resident."""
    check_staff_member(actor)
    _desk_conversation(registration, conversation)
    with transaction.atomic():
        message = message_send(conversation=conversation, sender=registration.listing.owner, body=body)
        audit_record(actor=actor, action=AuditRecord.Action.ASSISTED_MESSAGE, target=message, after={"conversation": conversation.pk})


def assisted_reserve(*, actor: User, registration: AssistedRegistration, conversation: Conversation) -> None:
    """Keep the item for this requester (after agreeing with the resident by phone)."""
    check_staff_member(actor)
    _desk_conversation(registration, conversation)
    with transaction.atomic():
        reservation_create(conversation=conversation, actor=registration.listing.owner)
        audit_record(actor=actor, action=AuditRecord.Action.ASSISTED_RESERVE, target=registration.listing, after={"conversation": conversation.pk})


def assisted_release(*, actor: User, registration: AssistedRegistration) -> None:
    check_staff_member(actor)
    with transaction.atomic():
        reservation_release(listing=registration.listing, actor=registration.listing.owner)
        audit_record(actor=actor, action=AuditRecord.Action.ASSISTED_RELEASE, target=registration.listing)


def assisted_hand_over(*, actor: User, registration: AssistedRegistration) -> None:
    """Record that the resident handed the item over (as they told staff)."""
    check_staff_member(actor)
    listing = registration.listing
    with transaction.atomic():
        if Reservation.objects.filter(listing=listing, status=Reservation.Status.ACTIVE).exists():
            reservation_hand_over(listing=listing, actor=listing.owner)
        else:
            listing_transition(listing=listing, action=Action.HAND_OVER, actor=listing.owner)
        audit_record(actor=actor, action=AuditRecord.Action.ASSISTED_HAND_OVER, target=listing)


def assisted_note(*, actor: User, registration: AssistedRegistration, text: str) -> AssistedNote:
    check_staff_member(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note first."))
    with transaction.atomic():
        note = AssistedNote.objects.create(registration=registration, text=text[:1000], created_by=actor)
        audit_record(actor=actor, action=AuditRecord.Action.ASSISTED_NOTE, target=registration.listing)
    return note


def _content(listing: Listing) -> dict:
    """What staff may correct, as the audit log shows it."""
    return {
        "kind": listing.get_kind_display(), "title": listing.title, "description": listing.description, "category": str(listing.category),
        "condition": listing.get_condition_display(), "price": listing.price, "town": str(listing.town),
        "photos": listing.photo_count,
    }


def assisted_update(
    *, actor: User, registration: AssistedRegistration, data: ListingData, new_photos: list[ProcessedPhoto] = (),
    remove_photo_ids: set[int] = frozenset(), order: list[int] | None = None, cover_id: int | None = None,
) -> Listing:
    """Correct a postcard resident's listing (what they asked for by phone or post); audited with
    the before and after. Goes through listings' own edit, acting as the desk that owns it."""
    check_staff_member(actor)
    listing = Listing.objects.select_related("owner", "category", "town").get(pk=registration.listing_id)
    before = _content(listing)
    with transaction.atomic():
        listing = listing_update(
            listing=listing, actor=listing.owner, data=data, new_photos=new_photos,
            remove_photo_ids=remove_photo_ids, order=order, cover_id=cover_id,
        )
        if listing.status == Listing.Status.PENDING:
            # A review rule sent it back to the queue; staff wrote this text themselves (as when
            # registering), so it is approved at once, with its own audit record.
            listing = listing_approve(listing=listing, actor=actor)
        listing = Listing.objects.select_related("category", "town").get(pk=listing.pk)
        after = _content(listing)
        changed = [key for key in before if before[key] != after[key]]
        audit_record(
            actor=actor, action=AuditRecord.Action.ASSISTED_EDIT, target=listing,
            before={key: before[key] for key in changed}, after={key: after[key] for key in changed},
        )
    return listing


def assisted_withdraw(*, actor: User, registration: AssistedRegistration, reason: str = "") -> Listing:
    """Take a postcard resident's listing down at their request (a reservation on it ends and
    requesters are told, as when a resident withdraws their own)."""
    check_staff_member(actor)
    listing = registration.listing
    with transaction.atomic():
        before = listing.status
        listing = listing_transition(listing=listing, action=Action.WITHDRAW, actor=listing.owner)
        audit_record(
            actor=actor, action=AuditRecord.Action.ASSISTED_WITHDRAW, target=listing, reason=reason,
            before={"status": before}, after={"status": listing.status},
        )
    return listing


def registrations() -> list[AssistedRegistration]:
    """The staff inbox: every assisted listing, newest first, with its number of requests and
    unread messages (`requests`, `unread`). A fixed number of queries."""
    rows = list(
        AssistedRegistration.objects.select_related("listing").annotate(
            requests=Count("listing__conversations", distinct=True),
            unread=Count("listing__conversations__messages", filter=Q(
                listing__conversations__messages__id__gt=F("listing__conversations__poster_read_upto"),
            ) & ~Q(listing__conversations__messages__sender_id=F("listing__owner_id")), distinct=True),
        ).order_by("-created_at")[:200]
    )
    return rows


def unread_requests_count() -> int:
    """Requests (conversations) on assisted listings with a message the desk has not read yet,
    counted as the inbox counts unread messages. One query."""
    return (
        Message.objects.filter(conversation__listing__assisted__isnull=False, id__gt=F("conversation__poster_read_upto"))
        .exclude(sender_id=F("conversation__listing__owner_id"))
        .values("conversation_id").distinct().count()
    )


def desk_mark_read(registration: AssistedRegistration) -> None:
    """Staff opened the requests: every message so far counts as read by the desk (one query)."""
    newest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-id").values("id")[:1]
    Conversation.objects.filter(listing=registration.listing).update(poster_read_upto=Coalesce(Subquery(newest), 0))
