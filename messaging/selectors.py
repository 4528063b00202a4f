"""Reads and access rules for conversations, shared by views and consumers."""

from allauth.account.models import EmailAddress
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.contacts import ContactDetail, contact_details_in
from core.counts import UserCount
from listings.models import Listing
from listings.selectors import listings_public
from messaging.models import Block, Conversation, Lottery, Message, Reservation, Thanks

# Listing states in which a conversation takes new messages (others keep it readable only).
# PENDING: a public listing edited back into review keeps its conversations going meanwhile.
OPEN_LISTING_STATUSES = {Listing.Status.PUBLISHED, Listing.Status.RESERVED, Listing.Status.PENDING}
# States in which a resident may start a conversation about a listing.
REQUESTABLE_STATUSES = {Listing.Status.PUBLISHED, Listing.Status.RESERVED}


def conversation_for_user(user: User, pk: int) -> Conversation:
    """A conversation this user takes part in; 404 for everyone else (staff included, until a report)."""
    if not user.is_authenticated:
        raise Http404  # visitors do not learn that it exists
    conversations = Conversation.objects.select_related("listing", "listing__owner", "listing__town", "requester")
    conversation = conversations.filter(pk=pk).first()
    if conversation is None:
        raise Http404
    if user.pk not in (conversation.requester_id, conversation.listing.owner_id):
        raise Http404  # outsiders, and staff without a report
    return conversation


def person_for_viewer(viewer: User, public_id: str) -> User:
    """The account behind a people page, for a signed-in verified resident (the view checks
    that); 404 for what the viewer has no reason to know: people pages are not a directory."""
    person = User.objects.filter(public_id=public_id, is_active=True, deleted_at__isnull=True).first()
    if person is None:
        raise Http404  # unknown id, deactivated and deleted accounts
    if person.is_office:
        raise Http404  # staff act as the office, never as a person with a page
    if not EmailAddress.objects.filter(user=person, verified=True).exists():
        raise Http404  # a sign-up that never confirmed its email is nobody yet
    if person.pk == viewer.pk:
        return person  # one's own page
    if listings_public().filter(owner=person).exists():
        return person  # someone with a public listing: their listing already links here
    if Conversation.objects.filter(Q(listing__owner=person, requester=viewer) | Q(listing__owner=viewer, requester=person)).exists():
        return person  # someone the viewer has talked with
    raise Http404


class WriterState:
    """What can change while a participant's websocket stays open and decides whether they may
    write: the listing's status, their account, blocks. The consumer reads it again for every
    message it receives, so its SQL is compiled once per connection, not once per message
    (compiling cost more than running it, bench/ws_delivery.py)."""

    def __init__(self, user: User, pk: int):
        query = Conversation.objects.filter(pk=pk).annotate(**_writer_state(user))
        self.sql, self.params = query.values_list("listing__status", *WRITER_STATE).query.sql_with_params()

    def refresh(self, conversation: Conversation) -> None:
        """Read the current state into `conversation` (as write_refusal expects it); 404 when it is gone."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            row = cursor.fetchone()
        if row is None:
            raise Http404
        conversation.listing.status = row[0]
        conversation.__dict__.update(zip(WRITER_STATE, row[1:]))


WRITER_STATE = ("writer_active", "writer_suspended", "writer_verified", "writer_blocked", "other_deleted")


def _writer_state(user: User) -> dict:
    """Annotations on a Conversation: may `user` write (active resident, verified, not suspended),
    is there a block, has the other participant deleted their account? One query in all."""
    return {
        "writer_active": Exists(User.objects.filter(pk=user.pk, is_active=True, deleted_at__isnull=True, town__isnull=False)),
        "writer_suspended": Exists(User.objects.filter(pk=user.pk, suspended_at__isnull=False)),
        "writer_verified": Exists(EmailAddress.objects.filter(user_id=user.pk, verified=True)),
        "writer_blocked": Exists(
            Block.objects.filter(
                Q(blocker_id=OuterRef("requester_id"), blocked_id=OuterRef("listing__owner_id"))
                | Q(blocker_id=OuterRef("listing__owner_id"), blocked_id=OuterRef("requester_id"))
            )
        ),
        "other_deleted": Exists(
            User.objects.filter(Q(pk=OuterRef("requester_id")) | Q(pk=OuterRef("listing__owner_id")))
            .exclude(pk=user.pk)
            .filter(deleted_at__isnull=False)
        ),
    }


def is_blocked_between(a_id: int, b_id: int) -> bool:
    """Has either of the two blocked the other?"""
    return Block.objects.filter(Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)).exists()


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    return Block.objects.filter(blocker_id=blocker_id, blocked_id=blocked_id).exists()


def write_refusal(conversation: Conversation, user: User) -> str | None:
    """Why this participant may not write now (a sentence to show), or None when they may."""
    if not hasattr(conversation, "writer_active"):
        state = Conversation.objects.filter(pk=conversation.pk).annotate(**_writer_state(user))
        conversation.__dict__.update(state.values(*WRITER_STATE).get())
    if conversation.writer_active and conversation.writer_suspended:
        return _("Your account is suspended, so you cannot send messages. You can still read this conversation.")
    if not (conversation.writer_active and conversation.writer_verified):
        return _("Only verified residents can send messages.")  # deleted or unverified accounts
    if conversation.other_deleted:
        return _("This account has been deleted. The conversation can still be read but takes no new messages.")
    listing = conversation.listing
    if listing.status not in OPEN_LISTING_STATUSES and not _is_recipient_after_handover(conversation):
        return _("This listing is closed. The conversation can still be read but takes no new messages.")
    if conversation.writer_blocked:
        return _("Messages between you and this person are blocked.")
    return None


def _is_recipient_after_handover(conversation: Conversation) -> bool:
    # The two who completed a handover may still write (to confirm receipt and say thanks).
    return (
        conversation.listing.status == Listing.Status.HANDED_OVER
        and Reservation.objects.filter(conversation=conversation, status=Reservation.Status.HANDED_OVER).exists()
    )


def messages_of(conversation: Conversation, *, after: int = 0, before: int | None = None, limit: int = 100) -> list[Message]:
    """Messages in order: those after `after`, or the `limit` newest before `before`."""
    qs = conversation.messages.select_related("sender")
    if before is not None:
        return list(reversed(qs.filter(id__lt=before).order_by("-id")[:limit]))
    if after:
        return list(qs.filter(id__gt=after).order_by("id")[:limit])
    return list(reversed(qs.order_by("-id")[:limit]))


def conversations_of(user: User) -> QuerySet[Conversation]:
    """Everything the user takes part in, newest activity first, with the unread count for them."""
    unread_as_requester = Count("messages", filter=Q(messages__id__gt=F("requester_read_upto")) & ~Q(messages__sender=user))
    unread_as_poster = Count("messages", filter=Q(messages__id__gt=F("poster_read_upto")) & ~Q(messages__sender=user))
    return (
        Conversation.objects.filter(Q(requester=user) | Q(listing__owner=user))
        .select_related("listing", "listing__owner", "requester")
        .annotate(unread_requester=unread_as_requester, unread_poster=unread_as_poster)
        .order_by("-last_message_at", "-id")
    )


def _unread(user: User | int) -> QuerySet[Message]:
    """Unread messages in all of the user's conversations. The two sides are counted apart and
    added, so that each follows an index from the user to their conversations' newest messages;
    one filter with OR across the joins reads every message there is."""
    unread = Message.objects.exclude(sender=user).order_by().values("id")
    as_requester = unread.filter(conversation__requester=user, id__gt=F("conversation__requester_read_upto"))
    as_poster = unread.filter(conversation__listing__owner=user, id__gt=F("conversation__poster_read_upto"))
    return as_requester.union(as_poster, all=True).order_by()


# Compiled once: every signed-in page and the badge's socket after every change count again, and
# building the query cost more CPU than running it (bench/ws_cpu.py).
unread_count = UserCount(_unread)


def unread_total(user: User) -> int:
    """Unread messages in all of the user's conversations (one query)."""
    if not user.is_authenticated:
        return 0
    return unread_count(user.pk)


def requests_for_listing(listing: Listing) -> QuerySet[Conversation]:
    """The poster's view: every conversation about the listing, oldest request first."""
    active = Reservation.objects.filter(conversation=OuterRef("pk"), status=Reservation.Status.ACTIVE)
    return (
        listing.conversations.select_related("requester")
        .annotate(is_reserved=Exists(active), message_count=Count("messages"))
        .order_by("created_at", "id")
    )


def active_reservation(listing: Listing) -> Reservation | None:
    return listing.reservations.filter(status=Reservation.Status.ACTIVE).select_related("requester").first()


def lottery_open(listing: Listing) -> Lottery | None:
    """The listing's lottery while it waits for its draw (requests still open or about to be drawn)."""
    return Lottery.objects.filter(listing=listing, drawn_at__isnull=True).first()


def dealt_before(a_id: int, b_id: int, *, excluding_listing_id: int | None = None) -> bool:
    """Have these two completed a handover before (either way round)?"""
    qs = Reservation.objects.filter(status=Reservation.Status.HANDED_OVER).filter(
        Q(requester_id=a_id, listing__owner_id=b_id) | Q(requester_id=b_id, listing__owner_id=a_id)
    )
    if excluding_listing_id:
        qs = qs.exclude(listing_id=excluding_listing_id)
    return qs.exists()


def thanks_count(user: User) -> int:
    return Thanks.objects.filter(receiver=user).count()


def no_show_count(user: User) -> int:
    """How often the user failed to come (visible to staff)."""
    return Reservation.objects.filter(requester=user, status=Reservation.Status.NO_SHOW).count()


def no_show_allowed(reservation: Reservation) -> bool:
    """May the poster record a no-show? Only once a pickup time both agreed on has passed."""
    return (
        reservation.status == Reservation.Status.ACTIVE
        and reservation.pickup_status == Reservation.Pickup.ACCEPTED
        and reservation.pickup_at <= timezone.now()
    )


def contact_details_to_confirm(conversation: Conversation | None, body: str) -> list[ContactDetail]:
    """The contact details in a message the sender should confirm before it goes: all of them
    until a handover is agreed in this conversation (a reservation, active or handed over), then
    none. `conversation` is None for a first message."""
    details = contact_details_in(body)
    if not details or conversation is None:
        return details  # most messages hold none: then there is nothing to ask about the conversation
    agreed = Reservation.objects.filter(
        conversation=conversation, status__in=[Reservation.Status.ACTIVE, Reservation.Status.HANDED_OVER]
    ).exists()
    return [] if agreed else details


def contact_details_question(details: list[ContactDetail]) -> str:
    """What the sender is asked before a message with contact details goes (in the active language)."""
    found = _("; ").join(_("“%(text)s” (%(reason)s)") % {"text": detail.text, "reason": detail.reason} for detail in details)
    return _(
        "Part of your message looks like a contact detail: %(found)s. Until you have agreed on a "
        "handover, it is safer to keep your phone number, address and IDs to yourself. Send it anyway?"
    ) % {"found": found}
