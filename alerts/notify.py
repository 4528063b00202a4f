"""Deliver one alert notice to one resident: by email, or by LINE when the resident chose it.

LINE goes through the ward's LINE Official Account (Messaging API push, through LINE's SDK,
notifications.line), to the LINE user the resident linked (notifications.models.LineLink) or else
the one of their LINE login. An instant alert shows its listings as a carousel. Email is the
channel every resident has, so any LINE problem (not configured, not linked, error, timeout) ends
in an email instead of a lost alert. Both make network calls: call `notify` from the task worker,
after the transaction has committed, never inside a request.

The few words added around the notice ("Stop these alerts: ...") are translated in the active
language, so callers build the Notice and call `notify` inside the same `translation.override`.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.utils.translation import gettext as _
from linebot.v3.messaging import PushMessageRequest, TextMessage
from linebot.v3.messaging.exceptions import ApiException
from urllib3.exceptions import HTTPError

from core.mail import email_send_text
from notifications.line import messaging_api
from notifications.line_carousel import BUBBLES_MAX, listings_carousel
from notifications.models import LineLink

logger = logging.getLogger(__name__)

# Seconds to wait for LINE (connecting, then reading the answer) before sending email instead.
# A module constant so that the timeout test need not wait ten seconds.
LINE_TIMEOUT_SECONDS: float = 10

# LINE counts text length in UTF-16 code units (an emoji such as 🍎 counts as 2).
LINE_TEXT_LIMIT = 5000
# A push carries at most five message objects.
LINE_MESSAGES_MAX = 5
ELLIPSIS = "…"


@dataclass(frozen=True)
class Section:
    """A part of a notice that LINE keeps whole (a digest's saved search, with its own stop link).
    `render(n)` is its text showing its first n of `count` items, with an "and N more" line when n
    is smaller, and always its links."""

    count: int
    render: Callable[[int], str]


@dataclass(frozen=True)
class Notice:
    subject: str  # one line (email subject; first line on LINE)
    body: str  # plain text, no personal data of other residents
    url: str  # absolute link to open
    unsubscribe_url: str  # absolute link that stops this alert without logging in
    # When given, LINE sends these instead of `body`, split over up to five messages, each whole.
    sections: tuple[Section, ...] = ()
    # When given, LINE shows these listings as a carousel (notifications.line_carousel's dicts)
    # after a short text (subject and links) instead of `body`.
    cards: tuple[dict, ...] = ()


def _line_uid(user) -> str | None:
    """The user's LINE user id when the ward has a Messaging API token, else None."""
    if not getattr(settings, "LINE_MESSAGING_CHANNEL_TOKEN", ""):
        return None
    linked = LineLink.objects.filter(user=user).values_list("line_user_id", flat=True).first()
    if linked:
        return linked
    # The id from LINE Login equals the Messaging API id only when both channels belong to the
    # same LINE provider (docs/CONFIGURATION.md, "Alerts on LINE").
    return SocialAccount.objects.filter(user=user, provider="line").order_by("pk").values_list("uid", flat=True).first()


def line_configured() -> bool:
    """Can residents get alerts on LINE here: the ward has a Messaging API token and LINE login?"""
    return bool(getattr(settings, "LINE_MESSAGING_CHANNEL_TOKEN", "")) and "line" in getattr(settings, "SOCIALACCOUNT_PROVIDERS", {})


def line_available(user) -> bool:
    """Is LINE configured for the ward and does this user have a LINE login?"""
    return _line_uid(user) is not None


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _utf16_cut(text: str, units: int) -> str:
    # errors="ignore" drops half of a surrogate pair cut in two instead of sending a broken character.
    return text.encode("utf-16-le")[: max(units, 0) * 2].decode("utf-16-le", errors="ignore")


def _stop_line(notice: Notice) -> str:
    # gettext outside an f-string: makemessages cannot find a msgid inside one.
    stop = _("Stop these alerts:")
    return f"{stop} {notice.unsubscribe_url}"


def _line_text(notice: Notice) -> str:
    """Subject, body and both links, shortening the body (never the links) to fit LINE's limit."""
    head = notice.subject.strip()
    tail = f"{notice.url}\n\n{_stop_line(notice)}"
    body = notice.body.strip()
    room = LINE_TEXT_LIMIT - _utf16_len(f"{head}\n\n\n\n{tail}")
    if _utf16_len(body) > room:
        body = _utf16_cut(body, room - 1).rstrip() + ELLIPSIS
    # The final cut only matters for absurdly long subjects or links; LINE would refuse the push.
    return _utf16_cut(f"{head}\n\n{body}\n\n{tail}", LINE_TEXT_LIMIT)


def _pack(head: str, blocks: list[str], tail: str) -> list[str] | None:
    """The blocks in order, as few messages as LINE's limit allows (the head opens the first, the
    tail closes the last, no block split); None when they need more than LINE_MESSAGES_MAX."""
    messages: list[str] = []
    current = head
    for block in [*blocks, tail]:
        joined = f"{current}\n\n{block}"
        if _utf16_len(joined) <= LINE_TEXT_LIMIT:
            current = joined
        elif _utf16_len(block) > LINE_TEXT_LIMIT:
            return None
        else:
            messages.append(current)
            current = block
    messages.append(current)
    return messages if len(messages) <= LINE_MESSAGES_MAX else None


def _line_section_texts(notice: Notice) -> list[str] | None:
    """Every section whole, in up to five messages. When they do not fit, the section showing the
    most items shows one fewer (and "and N more"), until they do: its links always stay. None when
    even the links alone do not fit (the caller sends email instead)."""
    shown = [section.count for section in notice.sections]
    tail = f"{notice.url}\n\n{_stop_line(notice)}"
    rendered: dict[tuple[int, int], str] = {}  # (section, items shown) → text: each is rendered once

    def text(i: int) -> str:
        if (i, shown[i]) not in rendered:
            rendered[i, shown[i]] = notice.sections[i].render(shown[i]).strip()
        return rendered[i, shown[i]]

    while True:
        texts = _pack(notice.subject.strip(), [text(i) for i in range(len(shown))], tail)
        if texts is not None or not any(shown):
            return texts
        largest = max(range(len(shown)), key=lambda i: (shown[i], i))
        shown[largest] -= 1


def _line_messages(notice: Notice) -> list | None:
    if notice.cards:
        head = _utf16_cut(f"{notice.subject.strip()}\n\n{notice.url}\n\n{_stop_line(notice)}", LINE_TEXT_LIMIT)
        return [TextMessage(text=head), listings_carousel(list(notice.cards[:BUBBLES_MAX]), alt_text=notice.subject.strip())]
    texts = _line_section_texts(notice) if notice.sections else [_line_text(notice)]
    return None if texts is None else [TextMessage(text=text) for text in texts]


def _send_line(*, uid: str, notice: Notice) -> bool:
    """Push the notice to one LINE user; False (and a log line) when LINE did not accept it."""
    messages = _line_messages(notice)
    if messages is None:
        logger.warning("Alert too long for one LINE push even with its sections shortened; sending email instead")
        return False
    try:
        with messaging_api() as api:
            api.push_message(PushMessageRequest(to=uid, messages=messages), _request_timeout=LINE_TIMEOUT_SECONDS)
    except ApiException as error:
        # 429 also means the Official Account's monthly message quota is used up.
        logger.warning("LINE push refused with %s %s; sending email instead", error.status, str(error.body or "")[:200])
        return False
    except (HTTPError, OSError) as error:
        # After a read timeout LINE may still have delivered: a duplicate email beats a lost alert.
        logger.warning("LINE push failed (%s); sending email instead", type(error).__name__)
        return False
    return True


def _send_email(*, user, notice: Notice) -> None:
    """Email the notice (by the mail task, after commit) with RFC 8058 one-click unsubscribe headers."""
    body = "\n\n".join([
        notice.body.strip(),
        notice.url,
        _stop_line(notice),
    ])
    email_send_text(
        to=user.email,
        subject=notice.subject,  # made one line there: a stray newline in a title must not lose the alert
        body=body + "\n",
        headers={
            "List-Unsubscribe": f"<{notice.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        kind="alerts/notice",
    )


def notify(*, user, notice: Notice, channel: str = "email") -> str:
    """Deliver one notice by `channel` ("email" or "line"); returns the channel used ("email",
    "line"), or "none" when inactive, deleted or email-less users were told nothing.

    "line" falls back to email when LINE is not available for the user or the push fails.
    """
    if channel not in ("email", "line"):
        raise ValueError(f"Unknown notification channel: {channel!r}")
    if not user.is_active or user.deleted_at is not None:
        return "none"  # a deleted account keeps its row but must hear nothing more from us
    if channel == "line":
        uid = _line_uid(user)
        if uid is not None and _send_line(uid=uid, notice=notice):
            return "line"
    if not user.email:
        return "none"
    _send_email(user=user, notice=notice)
    return "email"
