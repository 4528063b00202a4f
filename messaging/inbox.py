"""The inbox: every conversation of a resident with what tells them apart at a glance (the item's
thumbnail and title, the other person, where the handover stands, the last message), in a
constant number of queries however many conversations there are."""

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from listings.models import Listing, Photo
from messaging import selectors
from messaging.models import Conversation, Message, Reservation

INBOX_SIZE = 200

# Where the handover stands, seen from one conversation (the reservation there, then the listing).
STATES = {
    "handed_over": _("Handed over"),
    "reserved": _("Reserved"),
    "no_show": _("No-show"),
    "reserved_for_other": _("Reserved for someone else"),
    "handed_over_to_other": _("Handed over to someone else"),
    "requested": _("Requested"),
}


def _state(conversation: Conversation) -> str:
    listing = conversation.listing
    match conversation.reservation_status:
        case Reservation.Status.HANDED_OVER:
            return STATES["handed_over"]
        case Reservation.Status.ACTIVE:
            return STATES["reserved"]
        case Reservation.Status.NO_SHOW if listing.status != Listing.Status.PUBLISHED:
            return STATES["no_show"]
    if listing.status == Listing.Status.RESERVED:
        return STATES["reserved_for_other"]
    if listing.status == Listing.Status.HANDED_OVER:
        return STATES["handed_over_to_other"]
    if listing.status == Listing.Status.PUBLISHED:
        return STATES["requested"]
    return listing.get_status_display()  # withdrawn, expired, in review...


def inbox_of(user: User) -> list[Conversation]:
    """The user's conversations, newest activity first, each with `unread`, `other`, `is_poster`,
    `wanted`, `state` (words), `cover` (the thumbnail's photo when the user may see it, else None)
    and `last_message` (a Message with its sender, or None)."""
    last = Message.objects.filter(conversation=OuterRef("pk")).order_by("-id")
    reservation = Reservation.objects.filter(conversation=OuterRef("pk")).exclude(status=Reservation.Status.RELEASED).order_by("-id")
    conversations = list(
        selectors.conversations_of(user)
        .prefetch_related(Prefetch("listing__photos", queryset=Photo.objects.filter(position=0), to_attr="covers"))
        .annotate(
            reservation_status=Subquery(reservation.values("status")[:1]),
            last_id=Subquery(last.values("id")[:1]),
            last_sender_id=Subquery(last.values("sender_id")[:1]),
            last_kind=Subquery(last.values("kind")[:1]),
            last_event=Subquery(last.values("event")[:1]),
            last_body=Subquery(last.values("body")[:1]),
            last_hidden=Subquery(last.values("hidden_by_staff")[:1]),
            last_created_at=Subquery(last.values("created_at")[:1]),
        )[:INBOX_SIZE]
    )
    people = {}
    for conversation in conversations:
        people[conversation.requester_id] = conversation.requester
        people[conversation.listing.owner_id] = conversation.listing.owner
    strangers = {c.last_sender_id for c in conversations if c.last_sender_id and c.last_sender_id not in people}
    if strangers:  # a message from neither side (staff acting for the office): one query for all
        people.update(User.objects.in_bulk(strangers))
    for conversation in conversations:
        listing = conversation.listing
        conversation.is_poster = listing.owner_id == user.pk
        conversation.unread = conversation.unread_poster if conversation.is_poster else conversation.unread_requester
        conversation.other = conversation.requester if conversation.is_poster else listing.owner
        conversation.wanted = listing.kind == Listing.Kind.WANTED
        conversation.state = _state(conversation)
        may_see = listing.is_public or conversation.is_poster or conversation.reservation_status == Reservation.Status.HANDED_OVER
        conversation.cover = listing.covers[0] if may_see and listing.covers else None
        conversation.last_message = None
        if conversation.last_id:
            conversation.last_message = Message(
                pk=conversation.last_id, conversation=conversation, sender=people.get(conversation.last_sender_id),
                kind=conversation.last_kind, event=conversation.last_event, body=conversation.last_body,
                hidden_by_staff=conversation.last_hidden, created_at=conversation.last_created_at,
            )
    return conversations
