"""Deliver one alert notice to one resident, on the channels they chose for saved searches on
their notification settings page (notifications): the alert email, LINE and push.

It goes through notifications.services.notice_send, so quiet hours hold LINE and push, a retried
task reaches nobody twice, and LINE or push that cannot be delivered ends in an email. On LINE an
instant alert shows its listings as a carousel and a digest keeps each saved search's section
whole over up to five messages. Email is sent on commit, by the mail task.

The few words added around the notice ("Stop these alerts: ...") are translated in the active
language, so callers build the Notice and call `notify` inside the same `translation.override`.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.utils.translation import gettext as _
from linebot.v3.messaging import TextMessage

from core.mail import email_send_text
from notifications.line_carousel import BUBBLES_MAX, listings_carousel
from notifications.models import Event
from notifications.services import Notice as ChannelNotice, notice_send

logger = logging.getLogger(__name__)

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


def notify(*, user, notice: Notice, key: str, summary: str, path: str) -> set[str]:
    """Send one alert on the resident's channels for saved-search alerts; returns those it went to
    or was held for (none for an inactive or deleted resident). `key` names this alert once and
    for all (a task run twice sends it once); `summary` is the short line a push shows; `path`
    the page a push or a plain LINE text opens."""
    messages = _line_messages(notice)
    if messages is None:
        logger.warning("Alert too long for one LINE push even with its sections shortened; LINE gets its summary")
    channel_notice = ChannelNotice(
        event=Event.ALERT, key=key, title=notice.subject.strip(), body=summary, path=path,
        line_messages=[message.to_dict() for message in messages or []],
    )
    return notice_send(user=user, notice=channel_notice, email=partial(_send_email, user=user, notice=notice))
