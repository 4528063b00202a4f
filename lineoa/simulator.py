"""The staff's LINE simulator (moderation's view, development only): it plays a resident's LINE app
against the Messaging API stand-in. Each step is a webhook event signed with the channel secret and
posted through the site's real webhook, so the signature check, idempotency and tasks all run;
the conversation is what the stand-in recorded."""

import base64
import hashlib
import hmac
import json
import secrets
import urllib.request

from django.conf import settings

from accounts.models import User
from lineoa import services
from lineoa.standin import MessagingStandIn
from notifications.models import LineLink

STRANGER = "U" + "0" * 32  # "not linked": a LINE user no account knows


def sender_id(user: User | None) -> str:
    """The LINE user id the simulator speaks as: the resident's linked id, or one made for them."""
    if user is None:
        return STRANGER
    link = LineLink.objects.filter(user=user).first()
    return link.line_user_id if link else "U" + hashlib.sha256(f"simulator:{user.pk}".encode()).hexdigest()[:32]


def event_for(stand_in: MessagingStandIn, line_user_id: str, kind: str, **fields) -> dict:
    reply_token = secrets.token_hex(16)
    stand_in.reply_tokens[reply_token] = line_user_id
    return {
        "type": kind, "mode": "active", "timestamp": 0, "replyToken": reply_token,
        "source": {"type": "user", "userId": line_user_id},
        "webhookEventId": secrets.token_hex(13).upper(), "deliveryContext": {"isRedelivery": False}, **fields,
    }


def step(stand_in: MessagingStandIn, *, user: User | None, action: str, value: str = "", label: str = "", photo: bytes = b"") -> dict | None:
    """The event of one thing the resident does on LINE (what they see in the chat is recorded
    as theirs), or None for an unknown action."""
    line_user_id = sender_id(user)
    if action == "text" and value.strip():
        stand_in.said(line_user_id, {"text": value})
        return event_for(stand_in, line_user_id, "message", message={"type": "text", "id": secrets.token_hex(8), "quoteToken": "q", "text": value})
    if action == "photo" and photo:
        message_id = str(secrets.randbelow(10**15))
        stand_in.photos[message_id] = photo
        stand_in.said(line_user_id, {"photo": True})
        return event_for(stand_in, line_user_id, "message", message={"type": "image", "id": message_id, "quoteToken": "q", "contentProvider": {"type": "line"}})
    if action == "postback" and value:
        stand_in.said(line_user_id, {"text": label or value})
        return event_for(stand_in, line_user_id, "postback", postback={"data": value})
    if action == "follow":
        stand_in.said(line_user_id, {"note": "follow"})
        return event_for(stand_in, line_user_id, "follow", follow={"isUnblocked": False})
    if action == "link" and user is not None:
        # What the resident's sign-in on the link page and LINE's dialog would do: a nonce for the
        # resident, then LINE's accountLink event carrying it.
        stand_in.said(line_user_id, {"note": "link"})
        return event_for(stand_in, line_user_id, "accountLink", link={"result": "ok", "nonce": services.nonce_create(user=user)})
    return None


def post_to_webhook(url: str, event: dict) -> int:
    """Post one event to the site's webhook as LINE does (signed body); the status answered."""
    body = json.dumps({"destination": "Usimulator", "events": [event]}).encode()
    signature = base64.b64encode(hmac.new(settings.LINE_MESSAGING_CHANNEL_SECRET.encode(), body, hashlib.sha256).digest()).decode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", "X-Line-Signature": signature})
    with urllib.request.urlopen(request, timeout=30) as response:  # the site itself (development)
        return response.status


def bubbles(stand_in: MessagingStandIn, line_user_id: str) -> list[dict]:
    """The conversation as the page draws it: the resident's bubbles and the bot's, with quick
    replies, template buttons and Flex carousels turned into cards."""
    shown = []
    for who, message in list(stand_in.conversations.get(line_user_id, [])):
        if who == "user":
            shown.append({"who": "user", **message})
            continue
        template = message.get("template") or {}
        shown.append({
            "who": "bot",
            "text": message.get("text") or template.get("text") or "",
            "actions": template.get("actions") or [],
            "cards": _cards(message.get("contents")) if message.get("type") == "flex" else [],
            "quick_replies": [item["action"] for item in (message.get("quickReply") or {}).get("items", [])],
        })
    return shown


def _cards(contents: dict | None) -> list[dict]:
    if not contents:
        return []
    found = contents.get("contents", []) if contents.get("type") == "carousel" else [contents]
    return [_card(bubble) for bubble in found]


def _card(bubble: dict) -> dict:
    card = {"image": "", "texts": [], "buttons": []}

    def walk(box: dict | None) -> None:
        if not box:
            return
        if box.get("type") == "image" and not card["image"]:
            card["image"] = box.get("url", "")
        elif box.get("type") == "text":
            card["texts"].append(box.get("text", ""))
        elif box.get("type") == "button":
            card["buttons"].append(box.get("action") or {})
        for child in box.get("contents", []) if isinstance(box.get("contents"), list) else []:
            walk(child)

    for part in ("hero", "header", "body", "footer"):
        walk(bubble.get(part))
    return card
