"""The ward's LINE Official Account through LINE's SDK (line-bot-sdk, Messaging API v3): the API
clients every part of the site uses, and pushing one notice to a linked resident.

LINE_MESSAGING_API_URL and NOTICES["LINE_DATA_API_URL"] point at LINE, or at the stand-in of the
tests and of the development simulator. A push carries an X-Line-Retry-Key derived from the
delivery, so that trying it again after a timeout cannot deliver it twice (LINE answers 409).
"""

import logging
import uuid
from contextlib import contextmanager

from django.conf import settings
from linebot.v3.messaging import (
    ApiClient, Configuration, Message, MessagingApi, MessagingApiBlob, PostbackAction, PushMessageRequest,
    QuickReply, QuickReplyItem, TextMessage, URIAction,
)
from linebot.v3.messaging.exceptions import ApiException
from urllib3.exceptions import HTTPError

from notifications.push import Result

logger = logging.getLogger(__name__)

TEXT_LIMIT = 5000  # characters of one text message (UTF-16 code units)
QUICK_REPLY_MAX = 13
LABEL_MAX = 20
TIMEOUT_SECONDS: float = 10  # connecting, then reading LINE's answer; a module constant for the tests
RETRY_NAMESPACE = uuid.UUID("6f1c2d0e-4d1e-4b7a-9a51-3f0c8f6e2b10")


def _configuration(host: str) -> Configuration:
    return Configuration(host=host, access_token=settings.LINE_MESSAGING_CHANNEL_TOKEN)


@contextmanager
def messaging_api():
    """MessagingApi on LINE_MESSAGING_API_URL (reply, push, multicast, profile, link token)."""
    with ApiClient(_configuration(settings.LINE_MESSAGING_API_URL)) as client:
        yield MessagingApi(client)


@contextmanager
def blob_api():
    """MessagingApiBlob on the data host (the content of photos residents send)."""
    with ApiClient(_configuration(settings.NOTICES["LINE_DATA_API_URL"])) as client:
        yield MessagingApiBlob(client)


def quick_reply(actions: list[dict]) -> QuickReply | None:
    """LINE quick-reply buttons from a notice's actions: {"label", "data"} is a postback (the bot
    acts on `data` through the site's services, lineoa; the chat shows the label as the
    resident's answer), {"label", "uri"} opens a page. At most 13, labels at most 20 characters."""
    items = []
    for action in actions[:QUICK_REPLY_MAX]:
        label = action["label"][:LABEL_MAX]
        if "uri" in action:
            items.append(QuickReplyItem(action=URIAction(label=label, uri=action["uri"])))
        else:
            items.append(QuickReplyItem(action=PostbackAction(label=label, data=action["data"][:300], display_text=label)))
    return QuickReply(items=items) if items else None


def notice_text(payload: dict) -> str:
    """The notice as one LINE text: title, body and the page's link."""
    text = f"{payload['title']}\n{payload['body']}\n{settings.SITE_URL}{payload['path']}"
    return text[:TEXT_LIMIT]


def notice_messages(payload: dict) -> list[Message]:
    """The notice's own LINE messages (a carousel, a long digest in parts), or its text; with the
    quick-reply buttons of its actions on the last one."""
    messages = [Message.from_dict(message) for message in payload.get("line_messages") or []]
    messages = messages or [TextMessage(text=notice_text(payload))]
    messages[-1].quick_reply = quick_reply(payload.get("actions") or [])
    return messages


def line_push(*, line_user_id: str, payload: dict, retry_key: str, attempt: int = 1) -> Result:
    """Push one notice; SENT, RETRY (429, 5xx, network: LINE may take it later, while attempts
    remain) or FAILED."""
    key = str(uuid.uuid5(RETRY_NAMESPACE, retry_key))
    try:
        with messaging_api() as api:
            api.push_message(
                PushMessageRequest(to=line_user_id, messages=notice_messages(payload)), x_line_retry_key=key,
                _request_timeout=TIMEOUT_SECONDS,
            )
    except ApiException as error:
        if error.status == 409:
            return Result.SENT  # accepted already with this retry key
        if error.status == 429 or (error.status or 0) >= 500:
            logger.warning("LINE busy or failing", extra={"status": error.status})
            return Result.RETRY if attempt < settings.NOTICES["PUSH_ATTEMPTS"] else Result.FAILED
        logger.warning("LINE refused a push", extra={"status": error.status})
        return Result.FAILED
    except (HTTPError, OSError) as error:  # connection refused, timed out
        logger.warning("LINE unreachable", extra={"error": type(error).__name__})
        return Result.RETRY if attempt < settings.NOTICES["PUSH_ATTEMPTS"] else Result.FAILED
    return Result.SENT
