"""Deliver one alert notice to one resident: by email, or by LINE when the resident chose it.

LINE goes through the ward's LINE Official Account (Messaging API push). Email is the channel
every resident has, so any LINE problem (not configured, no LINE login, error, timeout) ends in
an email instead of a lost alert. Both make network calls: call `notify` from the task worker,
after the transaction has committed, never inside a request.

The few words added around the notice ("Stop these alerts: ...") are translated in the active
language, so callers build the Notice and call `notify` inside the same `translation.override`.
"""

import logging
from dataclasses import dataclass

import requests
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.utils.translation import gettext as _

from core.mail import email_send_text

logger = logging.getLogger(__name__)

# Seconds to wait for LINE (connecting, then reading the answer) before sending email instead.
# A module constant so that the timeout test need not wait ten seconds.
LINE_TIMEOUT_SECONDS: float = 10

# LINE counts text length in UTF-16 code units (an emoji such as 🍎 counts as 2).
LINE_TEXT_LIMIT = 5000
ELLIPSIS = "…"


@dataclass(frozen=True)
class Notice:
    subject: str  # one line (email subject; first line on LINE)
    body: str  # plain text, no personal data of other residents
    url: str  # absolute link to open
    unsubscribe_url: str  # absolute link that stops this alert without logging in


def _line_uid(user) -> str | None:
    """The user's LINE user id when the ward has a Messaging API token, else None."""
    if not getattr(settings, "LINE_MESSAGING_CHANNEL_TOKEN", ""):
        return None
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


def _send_line(*, uid: str, notice: Notice) -> bool:
    """Push the notice to one LINE user; False (and a log line) when LINE did not accept it."""
    token = getattr(settings, "LINE_MESSAGING_CHANNEL_TOKEN", "")
    api_url = getattr(settings, "LINE_MESSAGING_API_URL", "https://api.line.me").rstrip("/")
    try:
        response = requests.post(
            f"{api_url}/v2/bot/message/push",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            json={"to": uid, "messages": [{"type": "text", "text": _line_text(notice)}]},
            timeout=LINE_TIMEOUT_SECONDS,
            allow_redirects=False,  # the API never redirects; following one would replay the push elsewhere
        )
    except requests.RequestException as error:
        # After a read timeout LINE may still have delivered: a duplicate email beats a lost alert.
        logger.warning("LINE push failed (%s); sending email instead", type(error).__name__)
        return False
    if not 200 <= response.status_code < 300:
        # 429 also means the Official Account's monthly message quota is used up.
        logger.warning("LINE push refused with %s %s; sending email instead", response.status_code, response.text[:200])
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
