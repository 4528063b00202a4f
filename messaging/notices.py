"""What the messaging events tell residents on the channels they chose (notifications.services):
the wording of each notice, in the site's language as the emails are (accounts store no language).

A notice never carries a message's text (lock screens show it); it names the listing and the
other resident at most. Each key is one occurrence, so a retried task or a repeated call notifies
nobody twice.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _, pgettext

from accounts.models import User
from core.dates import format_when
from listings.models import Listing
from messaging.models import Conversation, Lottery, Message, Reservation
from notifications.models import Event
from notifications.services import Notice, notice_send


def _send(user: User, email: Callable[[], None] | None = None, only: set[str] | None = None, **notice) -> set[str]:
    return notice_send(user=user, notice=Notice(**notice), email=email, only=only)


def _reply(conversation: Conversation) -> dict:
    """The LINE button that opens the conversation."""
    return {"label": pgettext("LINE button", "Reply"), "uri": settings.SITE_URL + conversation.get_absolute_url()}


def message_notice(conversation: Conversation, message: Message) -> Notice:
    """A new message: who wrote about which listing, never the text."""
    with translation.override(settings.LANGUAGE_CODE):
        return Notice(
            event=Event.MESSAGE,
            key=f"message:{conversation.pk}:{message.pk}",
            title=message.sender.public_name,
            body=_("A new message about “%(title)s”") % {"title": conversation.listing.title},
            path=conversation.get_absolute_url(),
            actions=[_reply(conversation)],
        )


def request_notify(conversation: Conversation, requester: User) -> None:
    """A new conversation about the poster's listing (an offer, on a wanted listing)."""
    listing = conversation.listing
    with translation.override(settings.LANGUAGE_CODE):
        title = _("New offer for “%(title)s”") if listing.kind == Listing.Kind.WANTED else _("New request for “%(title)s”")
        _send(
            listing.owner,
            event=Event.REQUEST,
            key=f"request:{conversation.pk}",
            title=title % {"title": listing.title},
            body=_("From %(name)s. Reply in the conversation.") % {"name": requester.addressed_name},
            path=conversation.get_absolute_url(),
            actions=[
                # The buttons act through lineoa.actions: the same services as the conversation page.
                {"label": _("Accept this offer") if listing.kind == Listing.Kind.WANTED else pgettext("LINE button", "Reserve"),
                 "data": f"reserve:{conversation.pk}"},
                {"label": pgettext("LINE button", "Decline"), "data": f"decline:{conversation.pk}"},
                _reply(conversation),
            ],
        )


def reserved_notify(reservation: Reservation, requester: User, *, email: Callable[[], None], only: set[str] | None = None) -> None:
    """The item is kept for the requester (their offer accepted, on a wanted listing); `email` is
    the "chosen" email the site always sent."""
    listing = reservation.listing
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Your offer for “%(title)s” was accepted") if listing.kind == Listing.Kind.WANTED else _("“%(title)s” is reserved for you")
        _send(
            requester,
            email=email,
            only=only,
            event=Event.RESERVED,
            key=f"reserved:{reservation.pk}",
            title=title % {"title": listing.title},
            body=_("Agree on a pickup time in the conversation."),
            path=reservation.conversation.get_absolute_url(),
        )


def pickup_notify(reservation: Reservation, *, actor: User, recipient: User, agreed: bool) -> None:
    """A pickup time proposed (to the other participant) or agreed (to the one who proposed it)."""
    when = reservation.pickup_at
    with translation.override(settings.LANGUAGE_CODE):
        if agreed:
            body = _("Pickup time agreed: %(when)s. You will both get a reminder.") % {"when": format_when(when)}
        else:
            body = _("%(name)s proposed a pickup time: %(when)s") % {"name": actor.addressed_name, "when": format_when(when)}
        _send(
            recipient,
            event=Event.PICKUP,
            key=f"pickup:{reservation.pk}:{'agreed' if agreed else 'proposed'}:{when.isoformat()}",
            title=_("Pickup of “%(title)s”") % {"title": reservation.listing.title},
            body=body,
            path=reservation.conversation.get_absolute_url(),
            actions=[] if agreed else [
                {"label": pgettext("LINE button", "Accept"), "data": f"pickup_accept:{reservation.pk}:{int(when.timestamp())}"},
                _reply(reservation.conversation),
            ],
        )


def reminder_notify(reservation: Reservation, user: User, *, email: Callable[[], None]) -> None:
    """The reminder before an agreed pickup; `email` is the reminder email the site always sent."""
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            user,
            email=email,
            event=Event.REMINDER,
            key=f"reminder:{reservation.pk}:{reservation.pickup_at.isoformat()}:{user.pk}",
            title=_("Reminder: pickup of “%(title)s”") % {"title": reservation.listing.title},
            body=_("The pickup is at %(when)s.") % {"when": format_when(reservation.pickup_at)},
            path=reservation.conversation.get_absolute_url(),
        )


def lottery_notify(lottery: Lottery, conversation: Conversation, *, won: bool) -> None:
    """The draw's result to one entrant."""
    with translation.override(settings.LANGUAGE_CODE):
        if won:
            body = _("You won the lottery: the item is reserved for you.")
        else:
            body = _(
                "You were not drawn in the lottery for this item. Thank you for taking part; you will be told if it becomes available again."
            )
        _send(
            conversation.requester,
            event=Event.LOTTERY,
            key=f"lottery:{lottery.pk}",
            title=_("Lottery result for “%(title)s”") % {"title": lottery.listing.title},
            body=body,
            path=conversation.get_absolute_url(),
        )
