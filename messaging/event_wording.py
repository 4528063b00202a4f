"""An event line of a conversation worded for nobody in it: the neutral, third-person sentence
staff read (「よしこさんが抽選に当選しました。」), naming the participants.

Residents read the same events worded for them ("You won the lottery"), in the partial
messaging/_event.html; the two cover the same events. On a wanted listing the requester is the
one who gives.
"""

from django.utils.translation import pgettext_lazy

from core.dates import format_when
from messaging.models import Conversation, Message

POSTER, REQUESTER, SENDER = "poster", "requester", "sender"

# event -> (sentence on an offered item, sentence on a wanted one or None for the same, who %(name)s is)
SENTENCES = {
    "reserved": (
        pgettext_lazy("event line for staff", "%(poster)s reserved the item for %(requester)s."),
        pgettext_lazy("event line for staff", "%(poster)s accepted %(requester)s's offer."),
        None,
    ),
    "lottery_won": (pgettext_lazy("event line for staff", "%(name)s won the lottery; the item is reserved for them."), None, REQUESTER),
    "lottery_lost": (pgettext_lazy("event line for staff", "%(name)s was not drawn in the lottery."), None, REQUESTER),
    "lottery_cancelled": (
        pgettext_lazy("event line for staff", "%(name)s cancelled the lottery and will choose whom to give the item to."), None, POSTER,
    ),
    "reserved_for_other": (
        pgettext_lazy("event line for staff", "%(poster)s reserved the item for someone else; %(requester)s was told."),
        pgettext_lazy("event line for staff", "%(poster)s accepted another offer; %(requester)s was told."),
        None,
    ),
    "released": (pgettext_lazy("event line for staff", "%(name)s cancelled the reservation."), None, SENDER),
    "released_by_block": (pgettext_lazy("event line for staff", "The reservation ended because one of the two blocked the other."), None, None),
    "available_again": (
        pgettext_lazy("event line for staff", "The item is available again."),
        pgettext_lazy("event line for staff", "%(name)s is looking for this again."),
        POSTER,
    ),
    "handed_over": (
        pgettext_lazy("event line for staff", "%(name)s marked the item as handed over."),
        pgettext_lazy("event line for staff", "%(name)s marked the item as received."),
        SENDER,
    ),
    "closed_for_other": (
        pgettext_lazy("event line for staff", "%(poster)s handed this item over to someone else; %(requester)s was told."),
        pgettext_lazy("event line for staff", "%(poster)s received this item from someone else; %(requester)s was told."),
        None,
    ),
    "received": (pgettext_lazy("event line for staff", "%(name)s confirmed receiving the item."), None, SENDER),
    "thanked": (pgettext_lazy("event line for staff", "%(name)s said thank you."), None, SENDER),
    "pickup_proposed": (pgettext_lazy("event line for staff", "%(name)s proposed a pickup time: %(when)s"), None, SENDER),
    "pickup_accepted": (pgettext_lazy("event line for staff", "%(name)s agreed to the pickup time: %(when)s"), None, SENDER),
    "listing_closed": (pgettext_lazy("event line for staff", "The listing was closed (withdrawn, expired or taken down)."), None, None),
    "no_show": (
        pgettext_lazy("event line for staff", "%(name)s recorded that the pickup did not happen, and the reservation ended."), None, SENDER,
    ),
}
THANKED_WITH_TEXT = pgettext_lazy("event line for staff", "%(name)s said thank you: “%(text)s”")


def event_line_neutral(message: Message, conversation: Conversation) -> str:
    """The event `message` of `conversation` as a sentence in the third person; the text of an
    unknown event as it is. `conversation` needs its listing with its owner, and its requester."""
    if message.event not in SENTENCES:
        return message.body
    offered, wanted, role = SENTENCES[message.event]
    listing = conversation.listing
    sentence = wanted if wanted is not None and listing.kind == listing.Kind.WANTED else offered
    names = {
        POSTER: listing.owner.addressed_name,
        REQUESTER: conversation.requester.addressed_name,
        SENDER: message.sender.addressed_name,
    }
    values = {**names, "name": names.get(role, "")}
    if message.event.startswith("pickup_"):
        values["when"] = format_when(message.body)
    if message.event == "thanked" and message.body and message.body != "thanked":
        sentence, values["text"] = THANKED_WITH_TEXT, message.body
    return str(sentence) % values
