"""The dispatcher of webhook events (run by lineoa.tasks.handle_event): follow, unfollow, the
account link, 「連携」/「連携解除」, and everything a linked resident says, which goes to
lineoa.inbound. Someone not linked (or whose account is not a verified resident) is told how to
link and nothing of what they sent is kept or downloaded. Replies use the event's reply token."""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from linebot.v3.messaging import ButtonsTemplate, ReplyMessageRequest, TemplateMessage, TextMessage, URIAction
from linebot.v3.messaging.exceptions import ApiException
from urllib3.exceptions import HTTPError

from accounts.selectors import is_verified_resident
from lineoa import inbound, services
from lineoa.models import WebhookEvent
from notifications.line import messaging_api, quick_reply
from notifications.models import LineLink

logger = logging.getLogger(__name__)

LINK_WORD = "連携"
UNLINK_WORD = "連携解除"


def event_handle(*, event_id: int) -> str:
    """Handle one kept event once; returns what was done (for logs and tests)."""
    row = WebhookEvent.objects.filter(pk=event_id, handled_at__isnull=True).first()
    if row is None:
        return "done already"
    event = row.payload
    with translation.override(settings.LANGUAGE_CODE):
        outcome, messages = _dispatch(event)
        if messages and event.get("replyToken"):
            _reply(event["replyToken"], messages)
    services.event_handled(row)
    return outcome


def _dispatch(event: dict) -> tuple[str, list]:
    kind = event.get("type")
    line_user_id = (event.get("source") or {}).get("userId") or ""
    if not line_user_id or (event.get("source") or {}).get("type") != "user":
        return "ignored", []  # groups and rooms: the account talks to residents one to one
    if kind == "follow":
        return "greeted", _greeting(line_user_id)
    if kind == "unfollow":
        link = LineLink.objects.filter(line_user_id=line_user_id).select_related("user").first()
        if link:
            services.line_unlink(user=link.user, how="unfollow")
        return "unfollowed", []
    if kind == "accountLink":
        return _account_link(line_user_id, event.get("link") or {})
    if kind not in ("message", "postback"):
        return "ignored", []
    message = event.get("message") or {}
    text = message.get("text", "").strip() if message.get("type") == "text" else ""
    if text == LINK_WORD:
        return "link offered", _link_offer(line_user_id)
    link = LineLink.objects.filter(line_user_id=line_user_id).select_related("user").first()
    if text == UNLINK_WORD:
        if link:
            services.line_unlink(user=link.user, how="line")
            return "unlinked", [TextMessage(text=_("Your account is no longer linked. You will not get notices on LINE any more."))]
        return "not linked", [TextMessage(text=_("This LINE account is not linked to an account of the site."))]
    if link is None or not is_verified_resident(link.user):
        return "explained", _how_to_link()
    if kind == "postback":
        return "postback", inbound.postback_received(link.user, str((event.get("postback") or {}).get("data", "")))
    if message.get("type") == "image":
        return "image", inbound.image_received(link.user, str(message.get("id", "")))
    if message.get("type") == "text":
        return "text", inbound.text_received(link.user, text)
    return "ignored", []


def _greeting(line_user_id: str) -> list:
    if LineLink.objects.filter(line_user_id=line_user_id).exists():
        return [TextMessage(text=_("Welcome back! Your account is linked: notices come here."))]
    greeting = _("Thank you for adding the ward’s item exchange. Link your account of the site to get notices here, search and post listings from LINE. Until then this account shows nothing of yours.")
    return [TextMessage(text=greeting), *_link_offer(line_user_id)]


def _how_to_link() -> list:
    return [TextMessage(text=_("To use the ward’s item exchange on LINE, link your account first: send “連携” and follow the button. You need a verified account of a resident of the ward. Nothing you sent was kept."))]


def _link_offer(line_user_id: str) -> list:
    """LINE's account link: a link token for this LINE user, and a button to the site's link page."""
    try:
        with messaging_api() as api:
            token = api.issue_link_token(line_user_id).link_token
    except (ApiException, HTTPError, OSError) as error:
        logger.warning("LINE link token refused", extra={"error": type(error).__name__})
        return [TextMessage(text=_("Linking is not possible right now. Please try again later."))]
    url = f"{settings.SITE_URL}{reverse('lineoa:link')}?linkToken={token}"
    text = _("Sign in to the site to link this LINE account with your account.")
    return [TemplateMessage(
        alt_text=text,
        template=ButtonsTemplate(text=text, actions=[URIAction(label=_("Link my account"), uri=url)]),
    )]


def _account_link(line_user_id: str, link: dict) -> tuple[str, list]:
    if link.get("result") != "ok":
        return "link failed", [TextMessage(text=_("Linking failed. Send “連携” to try again."))]
    user = services.link_with_nonce(line_user_id=line_user_id, nonce=str(link.get("nonce", "")))
    if user is None:
        return "link refused", [TextMessage(text=_("This link has expired or was used already. Send “連携” to try again."))]
    actions = [
        {"label": _("How to use"), "data": inbound.HELP_DATA},
        {"label": _("Notification settings"), "uri": f"{settings.SITE_URL}{reverse('notifications:settings')}"},
    ]
    return "linked", [TextMessage(text=_("Linked. Notices of the site now come here."), quick_reply=quick_reply(actions))]


def _reply(reply_token: str, messages: list) -> None:
    try:
        with messaging_api() as api:
            api.reply_message(ReplyMessageRequest(reply_token=reply_token, messages=messages[:5]))
    except (ApiException, HTTPError, OSError) as error:
        # A reply token is single-use and short-lived: a failed reply is not retried.
        logger.warning("LINE reply failed", extra={"error": type(error).__name__, "status": getattr(error, "status", None)})
