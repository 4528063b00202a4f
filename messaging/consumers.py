"""WebSocket consumers: one per conversation, one per user for unread counts. Thin: every message
sent reads again whether its writer may write, and goes through the same services as the HTTP views.
Messages reach the page as the HTML the page itself renders (messaging/rendering.py), worded for
the consumer's own user in their language."""

import asyncio
from urllib.parse import urlsplit

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.metrics import websocket_closed, websocket_opened
from core.ratelimit import RateLimited
from messaging import rendering, selectors
from messaging.services import conversations as services

# Close codes the client script understands (4000-4999 are for applications).
CLOSE_FORBIDDEN = 4403
# The badge counts again this long after the first of a run of changes.
BADGE_DELAY_SECONDS = 0.2
DEFAULT_PORTS = {"http": 80, "https": 443}
# Errors the page shows as they are; each connection words them in its user's language.
NOT_AN_OBJECT = _("Expected a JSON object.")
UNKNOWN_TYPE = _("Unknown type of request. Please reload the page.")
NOT_TEXT = _("The message must be text.")
NOT_ALLOWED = _("You may not send messages in this conversation.")


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin, the port filled in; None when it is not a web origin."""
    try:
        parts = urlsplit(url.strip().lower())
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port


def same_origin(scope: dict) -> bool:
    """Does the Origin header name this very site, scheme, host and port alike? Channels' own
    validator compares the host name only, so a page on http://site:8080 could still open a
    socket on https://site. The site's own origins: where the socket was opened (the proxy tells
    the scheme), SITE_URL and the trusted origins of CSRF."""
    headers = dict(scope.get("headers") or [])
    origin = _origin(headers.get(b"origin", b"").decode("latin1"))
    if origin is None:
        return False
    scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
    host = headers.get(b"host", b"").decode("latin1")
    own = {_origin(f"{scheme}://{host}"), _origin(settings.SITE_URL)}
    own.update(_origin(trusted) for trusted in settings.CSRF_TRUSTED_ORIGINS if "*" not in trusted)
    return origin in own


def scope_language(scope: dict) -> str:
    """The language the site's pages use for this connection: the language cookie, then
    Accept-Language, then the default (Japanese), exactly as LocaleMiddleware decides."""
    request = HttpRequest()
    request.COOKIES = scope.get("cookies") or {}
    headers = dict(scope.get("headers") or [])
    request.META["HTTP_ACCEPT_LANGUAGE"] = headers.get(b"accept-language", b"").decode("latin1")
    return translation.get_language_from_request(request)


class Consumer(AsyncJsonWebsocketConsumer):
    """What both consumers share: events are handled without a trip to the database thread.

    Channels' dispatch first closes stale database connections in the database thread, for every
    event a consumer gets (each frame received, each message and seen mark delivered, each badge
    change): several trips per chat message through the one thread that also stores them. Every
    database call here goes through database_sync_to_async, which closes stale connections itself.
    """

    async def dispatch(self, message: dict) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class ConversationConsumer(Consumer):
    """ws/conversations/<id>/: receive new messages and seen marks; send, resume and mark read."""

    # The newest message id this socket has delivered or stored: a read mark up to it needs no
    # query for the conversation's last message.
    newest = 0

    async def connect(self) -> None:
        self.conversation_id = int(self.scope["url_route"]["kwargs"]["pk"])
        self.user = self.scope["user"]
        if not same_origin(self.scope) or not await self._allowed():
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.language = scope_language(self.scope)
        self.writer_state = selectors.WriterState(self.user, self.conversation_id)
        self.group = services.conversation_group(self.conversation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await websocket_opened()
        await database_sync_to_async(services.presence_touch)(user=self.user)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await websocket_closed()
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await database_sync_to_async(services.presence_touch)(user=self.user)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        try:
            content = await self.decode_json(text_data) if text_data is not None else None
        except ValueError:  # not JSON: say so instead of closing with a server error
            content = None
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs) -> None:
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "message": self._text(NOT_AN_OBJECT)})
            return
        kind = content.get("type")
        try:
            # Each handler re-checks access first: it may have changed since connect.
            if kind == "resume":
                for payload in await self._missed(content.get("after")):
                    await self.send_json({"type": "message", "message": payload})
            elif kind == "send":
                result, events = await self._send(content.get("body"), content.get("client_id"), content.get("confirmed") is True)
                for group, event in events:  # stored and committed: now announce it
                    await self.channel_layer.group_send(group, event)
                await self.send_json(result)
            elif kind == "read":
                for group, event in await self._read(content.get("upto")):
                    await self.channel_layer.group_send(group, event)
            else:
                await self.send_json({"type": "error", "message": self._text(UNKNOWN_TYPE)})
        except Http404:
            await self.close(code=CLOSE_FORBIDDEN)

    async def chat_message(self, event: dict) -> None:
        # Rendered here, for this user, from what the event carries: no query per delivered message.
        message = rendering.message_from_data(event["message"])
        self.newest = max(self.newest, message.pk)
        await self.send_json({"type": "message", "message": self._rendered(message)})

    async def chat_seen(self, event: dict) -> None:
        if event["user"] != self.user.pk:  # so that messages rendered later show "Seen" as a reload would
            self.viewer["other_read_upto"] = max(self.viewer["other_read_upto"], event["upto"])
        await self.send_json({"type": "seen", "user": event["user"], "upto": event["upto"]})

    def _rendered(self, message) -> dict:
        """What the page receives for a message: its HTML for this user, and what the script decides on."""
        with translation.override(self.language):
            html = rendering.render_message(message, self.viewer)
        return {"id": message.pk, "kind": message.kind, "sender": message.sender_id, "html": html}

    def _text(self, text) -> str:
        with translation.override(self.language):
            return str(text)

    # --- database work, in a thread ---

    @database_sync_to_async
    def _allowed(self) -> bool:
        try:
            # Kept for sending: who takes part never changes, the rest is read again per message.
            self.conversation = selectors.conversation_for_user(self.user, self.conversation_id)
        except Http404:
            return False
        self.viewer = rendering.viewer_context(self.conversation, self.user)
        return True

    @database_sync_to_async
    def _missed(self, after) -> list[dict]:
        conversation = selectors.conversation_for_user(self.user, self.conversation_id)
        try:
            after = max(int(after or 0), 0)
        except (TypeError, ValueError):
            after = 0
        messages = selectors.messages_of(conversation, after=after, limit=500)
        self.newest = max([self.newest, *(m.pk for m in messages)])
        other_read_upto = conversation.read_upto_for(self.viewer["other"].pk)
        self.viewer["other_read_upto"] = max(self.viewer["other_read_upto"], other_read_upto)
        return [self._rendered(m) for m in messages]

    @database_sync_to_async
    def _send(self, body, client_id, confirmed: bool) -> tuple[dict, list]:
        conversation = self.conversation
        self.writer_state.refresh(conversation)  # 404 when the conversation is gone
        if not isinstance(body, str):
            return {"type": "error", "client_id": client_id, "message": self._text(NOT_TEXT)}, []
        with translation.override(self.language):  # the services word their refusals in the active language
            details = [] if confirmed else selectors.contact_details_to_confirm(conversation, body)
            if details:  # nothing stored: the page asks, and sends again with "confirmed" if the sender agrees
                return {"type": "confirm", "client_id": client_id, "message": selectors.contact_details_question(details)}, []
            try:
                message = services.message_send(
                    conversation=conversation, sender=self.user, body=body, broadcast=False, client_id=client_id
                )
            except RateLimited as exc:  # a page would get core.ratelimit's 429; the socket says it here
                return {"type": "error", "client_id": client_id, "message": str(exc.message)}, []
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(NOT_ALLOWED)
                return {"type": "error", "client_id": client_id, "message": text}, []
        recipient_id = conversation.other_participant_id(self.user.pk)
        self.newest = max(self.newest, message.pk)
        return {"type": "sent", "client_id": client_id, "id": message.pk}, services.message_events(message, recipient_id)

    @database_sync_to_async
    def _read(self, upto) -> list:
        # Reading needs no more than taking part (a suspended participant still reads).
        try:
            upto = int(upto)
        except (TypeError, ValueError):
            return []
        return services.conversation_mark_read(
            conversation=self.conversation, user=self.user, upto=upto, broadcast=False, newest=self.newest
        )


class NotificationConsumer(Consumer):
    """ws/notifications/: the unread total for the badge on every page.

    Changes that come close together (a message, then its read mark a moment later when the
    conversation is open) make one count and one update, not one each.
    """

    refresh: asyncio.Task | None = None
    stale = False

    async def connect(self) -> None:
        self.user = self.scope["user"]
        if not self.user.is_authenticated or not same_origin(self.scope):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = services.user_group(self.user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await websocket_opened()
        await self._send_total()

    async def disconnect(self, code: int) -> None:
        if self.refresh is not None:
            self.refresh.cancel()
        if hasattr(self, "group"):
            await websocket_closed()
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        return  # nothing to receive; the badge is server-driven

    async def unread_changed(self, event: dict) -> None:
        self.stale = True
        if self.refresh is None or self.refresh.done():
            self.refresh = asyncio.create_task(self._refresh())

    async def _refresh(self) -> None:
        while self.stale:  # changes that arrive while counting make one more count
            await asyncio.sleep(BADGE_DELAY_SECONDS)
            self.stale = False
            await self._send_total()

    async def _send_total(self) -> None:
        total = await database_sync_to_async(self._count)()
        await self.send_json({"type": "unread", "total": total})

    def _count(self) -> int:
        return selectors.unread_total(self.user)
