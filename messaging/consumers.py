"""WebSocket consumers: one per conversation, one per user for unread counts. Thin: every message
sent reads again whether its writer may write, and goes through the same services as the HTTP views."""

import asyncio
from urllib.parse import urlsplit

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from messaging import selectors
from messaging.services import conversations as services

# Close codes the client script understands (4000-4999 are for applications).
CLOSE_FORBIDDEN = 4403
# The badge counts again this long after the first of a run of changes.
BADGE_DELAY_SECONDS = 0.2
DEFAULT_PORTS = {"http": 80, "https": 443}


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


class ConversationConsumer(AsyncJsonWebsocketConsumer):
    """ws/conversations/<id>/: receive new messages and seen marks; send, resume and mark read."""

    async def connect(self) -> None:
        self.conversation_id = int(self.scope["url_route"]["kwargs"]["pk"])
        self.user = self.scope["user"]
        if not same_origin(self.scope) or not await self._allowed():
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.writer_state = selectors.WriterState(self.user, self.conversation_id)
        self.group = services.conversation_group(self.conversation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await database_sync_to_async(services.presence_touch)(user=self.user)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
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
            await self.send_json({"type": "error", "message": "Expected a JSON object."})
            return
        kind = content.get("type")
        try:
            # Each handler re-checks access first: it may have changed since connect.
            if kind == "resume":
                for payload in await self._missed(content.get("after")):
                    await self.send_json({"type": "message", "message": payload})
            elif kind == "send":
                result, events = await self._send(content.get("body"), content.get("client_id"))
                for group, event in events:  # stored and committed: now announce it
                    await self.channel_layer.group_send(group, event)
                await self.send_json(result)
            elif kind == "read":
                for group, event in await self._read(content.get("upto")):
                    await self.channel_layer.group_send(group, event)
            else:
                await self.send_json({"type": "error", "message": "Unknown type."})
        except Http404:
            await self.close(code=CLOSE_FORBIDDEN)

    async def chat_message(self, event: dict) -> None:
        await self.send_json({"type": "message", "message": event["message"]})

    async def chat_seen(self, event: dict) -> None:
        await self.send_json({"type": "seen", "user": event["user"], "upto": event["upto"]})

    # --- database work, in a thread ---

    @database_sync_to_async
    def _allowed(self) -> bool:
        try:
            # Kept for sending: who takes part never changes, the rest is read again per message.
            self.conversation = selectors.conversation_for_user(self.user, self.conversation_id)
        except Http404:
            return False
        return True

    @database_sync_to_async
    def _missed(self, after) -> list[dict]:
        conversation = selectors.conversation_for_user(self.user, self.conversation_id)
        try:
            after = max(int(after or 0), 0)
        except (TypeError, ValueError):
            after = 0
        messages = selectors.messages_of(conversation, after=after, limit=500)
        return [services.message_payload(m) for m in messages]

    @database_sync_to_async
    def _send(self, body, client_id) -> tuple[dict, list]:
        conversation = self.conversation
        self.writer_state.refresh(conversation)  # 404 when the conversation is gone
        if not isinstance(body, str):
            return {"type": "error", "client_id": client_id, "message": "body must be text"}, []
        try:
            message = services.message_send(
                conversation=conversation, sender=self.user, body=body, broadcast=False, client_id=client_id
            )
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else "Not allowed."
            return {"type": "error", "client_id": client_id, "message": text}, []
        recipient_id = conversation.other_participant_id(self.user.pk)
        return {"type": "sent", "client_id": client_id, "id": message.pk}, services.message_events(message, recipient_id)

    @database_sync_to_async
    def _read(self, upto) -> list:
        # Reading needs no more than taking part (a suspended participant still reads).
        try:
            upto = int(upto)
        except (TypeError, ValueError):
            return []
        return services.conversation_mark_read(conversation=self.conversation, user=self.user, upto=upto, broadcast=False)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
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
        await self._send_total()

    async def disconnect(self, code: int) -> None:
        if self.refresh is not None:
            self.refresh.cancel()
        if hasattr(self, "group"):
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
        total = await database_sync_to_async(selectors.unread_total)(self.user)
        await self.send_json({"type": "unread", "total": total})
