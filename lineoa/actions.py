"""The quick-reply buttons of the notices on LINE (messaging.notices): each postback's data names
an action and its object, and the action goes through the same services, with the same checks,
as the buttons of the conversation page (messaging.views.act). A stale button (the item reserved
meanwhile, a time proposed again, a block) answers with the service's reason, never an error.

Data formats (written by messaging.notices, which may not import this app):
    reserve:<conversation id>                        the poster reserves for the requester
    decline:<conversation id>                        the poster declines the request, politely
    pickup_accept:<reservation id>:<pickup at, unix seconds>   accept the time proposed
"""

import logging

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from linebot.v3.messaging import TextMessage

from accounts.models import User
from core.ratelimit import RateLimited
from listings.models import Listing
from messaging import selectors
from messaging.models import Conversation, Reservation
from messaging.services import conversations as conversation_services
from messaging.services import handover
from messaging.services import pickup as pickup_services

logger = logging.getLogger(__name__)

DECLINE_CLIENT_ID = "line-decline"  # one decline per conversation, however often it is tapped


def _text(text: str, conversation: Conversation | None = None) -> list:
    if conversation is not None:
        text = f"{text}\n{settings.SITE_URL}{conversation.get_absolute_url()}"
    return [TextMessage(text=text)]


def _reserve(user: User, conversation: Conversation) -> list:
    handover.reservation_create(conversation=conversation, actor=user)
    if conversation.listing.kind == Listing.Kind.WANTED:
        return _text(_("You accepted this person's offer."), conversation)
    return _text(_("The item is reserved for this person."), conversation)


def _decline(user: User, conversation: Conversation) -> list:
    """The site has no "decline" step: a poster who does not give to someone says so in the
    conversation. This sends that message for them, once, through message_send (its checks: a
    participant, not blocked, the listing open, the rate limit)."""
    handover.require_poster(conversation.listing, user)
    if Reservation.objects.filter(conversation=conversation, status=Reservation.Status.ACTIVE).exists():
        raise ValidationError(_("The item is reserved for this person. To cancel the reservation, open the conversation."))
    with translation.override(settings.LANGUAGE_CODE):  # read by the other resident, in the site's language
        body = _("Thank you for asking. I am sorry, but this time I will pass.")
    conversation_services.message_send(conversation=conversation, sender=user, body=body, client_id=DECLINE_CLIENT_ID)
    return _text(_("The person was told that you pass this time."), conversation)


def _pickup_accept(user: User, reservation: Reservation, proposed_at: str) -> list:
    conversation = reservation.conversation
    if reservation.pickup_at is None or str(int(reservation.pickup_at.timestamp())) != proposed_at:
        raise ValidationError(_("The proposed time has changed. Check it in the conversation."))
    pickup_services.pickup_accept(reservation=reservation, actor=user)
    return _text(_("The pickup time is agreed. You will both get a reminder."), conversation)


def _parse(data: str) -> tuple[str, int, str]:
    """(action, object id, the rest) of a button's data; ValueError when it is not one of ours."""
    name, _sep, rest = (data or "").partition(":")
    pk, _sep, extra = rest.partition(":")
    return name, int(pk), extra


def postback_act(user: User, data: str) -> list:
    """Do what the button says, as the resident; the reply says what happened or why not."""
    try:
        name, pk, extra = _parse(data)
    except ValueError:
        name = ""
    conversation = None
    try:
        if name in ("reserve", "decline"):
            conversation = selectors.conversation_for_user(user, pk)
            return (_reserve if name == "reserve" else _decline)(user, conversation)
        if name == "pickup_accept":
            reservation = Reservation.objects.get(pk=pk)
            conversation = reservation.conversation = selectors.conversation_for_user(user, reservation.conversation_id)
            return _pickup_accept(user, reservation, extra)
    except (ObjectDoesNotExist, Http404, PermissionDenied):
        return _text(_("This button is not for you, or what it was about no longer exists."))
    except ValidationError as exc:
        return _text(" ".join(exc.messages), conversation)
    except RateLimited as exc:
        return _text(exc.message, conversation)
    logger.info("Unknown LINE postback", extra={"action": (data or "")[:30]})
    return _text(_("This button no longer works. Please use the site."))
