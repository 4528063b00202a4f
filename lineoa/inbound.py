"""What the ward's LINE account answers a linked, verified resident (the webhook's dispatcher calls
these three and replies with what they return: LINE SDK message objects, at most five).

- a text: a search (「さがす ベビーカー」, lineoa.search), else the description of the listing
  they are posting by LINE (lineoa.post), else a short help;
- a photo: kept for the listing they are posting (lineoa.post);
- a postback: the 「使い方」 button of the link's answer (the help), else a notice's quick-reply
  button (lineoa.actions).
"""

from django.utils.translation import gettext as _
from linebot.v3.messaging import TextMessage

from accounts.models import User
from lineoa.actions import postback_act
from lineoa.post import description_received, form_url, photo_received
from lineoa.search import search_query, search_reply

REPLY_MAX = 5  # messages in one reply
HELP_DATA = "help"  # the postback of the 「使い方」 button (lineoa.handlers, once linked)


def _help() -> list:
    text = _(
        "To find items, send 「さがす」 and what you are looking for, e.g. 「さがす ベビーカー」.\n"
        "To give something away, send its photos here, then a text describing it. Or post on the site: %(url)s"
    ) % {"url": form_url()}
    return [TextMessage(text=text)]


def _refusal(user: User) -> list | None:
    if user.suspended_at:
        return [TextMessage(text=_("Your account is suspended, so this is not available."))]
    return None


def text_received(user: User, text: str) -> list:
    """A text from the resident."""
    query = search_query(text or "")
    if query is not None:
        return search_reply(user, query)[:REPLY_MAX]
    refusal = _refusal(user)
    if refusal:
        return refusal
    return (description_received(user, text) if (text or "").strip() else None) or _help()


def image_received(user: User, message_id: str) -> list:
    """One photo (LINE sends each photo of a batch as its own event)."""
    return _refusal(user) or photo_received(user, message_id)


def postback_received(user: User, data: str) -> list:
    """A quick-reply button pressed."""
    if data == HELP_DATA:
        return _help()
    return _refusal(user) or postback_act(user, data)
