"""Websocket clients of the real ASGI application (origin check, session auth, routing), and the
conversation page's markup of one message, to compare what arrives live with what a reload shows."""

import asyncio
import re

from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application


def cookie_for(user, **cookies: str) -> bytes:
    """The Cookie header of a signed-in browser (made before the event loop runs), with extra cookies."""
    client = Client()
    client.force_login(user)
    pairs = {"sessionid": client.cookies["sessionid"].value, **cookies}
    return "; ".join(f"{name}={value}" for name, value in pairs.items()).encode()


def socket(path: str, cookie: bytes | None = None, origin: bytes = b"http://127.0.0.1:8000", headers=()) -> WebsocketCommunicator:
    """A client of the real ASGI app; `cookie` comes from cookie_for."""
    all_headers = [(b"origin", origin), (b"host", b"127.0.0.1:8000"), *headers]
    if cookie is not None:
        all_headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, path, headers=all_headers)


def run(coro):
    return asyncio.run(coro)


async def next_of_type(ws: WebsocketCommunicator, kind: str) -> dict:
    """The next frame of this type, skipping others (seen marks, the sender's own copy...)."""
    while True:
        frame = await ws.receive_json_from(timeout=5)
        if frame["type"] == kind:
            return frame


def page_item(client: Client, conversation, message_id: int) -> str:
    """The message's <li> as the conversation page renders it for the client's user."""
    html = client.get(conversation.get_absolute_url()).content.decode()
    found = re.search(rf'<li class="msg[^"]*" data-id="{message_id}" id="m{message_id}">.*?</li>', html, re.S)
    assert found, f"message {message_id} is not on the page"
    return found.group(0)
