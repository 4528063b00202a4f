"""The LINE Official Account in tests: `line` serves the Messaging API stand-in (lineoa.standin)
and points the settings at it; `deliver(events)` posts signed webhook events and runs their tasks;
`line_content` is a minimal stand-in for the data host alone (the photos residents send); and the
messaging personas of the quick-reply tests."""

import base64
import hashlib
import hmac
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from lineoa.standin import serve
from tests.factories import make_listing, make_user


class ContentStandIn:
    """GET /v2/bot/message/<id>/content answers `contents[id]` (bytes) or 404; `status` forces one."""

    def __init__(self) -> None:
        self.contents: dict[str, bytes] = {}
        self.status: int | None = None
        self.paths: list[str] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                stand_in.paths.append(self.path)
                message_id = self.path.removeprefix("/v2/bot/message/").removesuffix("/content")
                body = stand_in.contents.get(message_id)
                status = stand_in.status or (200 if body is not None else 404)
                body = body if status == 200 else b'{"message":"Not found"}'
                self.send_response(status)
                self.send_header("Content-Type", "image/jpeg" if status == 200 else "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)


@pytest.fixture
def line_content(settings):
    stand_in = ContentStandIn()
    stand_in.thread.start()
    settings.LINE_MESSAGING_CHANNEL_TOKEN = "token"
    settings.NOTICES = {**settings.NOTICES, "LINE_DATA_API_URL": stand_in.url}
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


@pytest.fixture
def offer(alice):
    """Alice gives away a bookshelf."""
    return make_listing(alice, title="本棚")


@pytest.fixture
def conversation(offer, bob):
    """Bob asked Alice for the bookshelf."""
    from messaging.services.conversations import conversation_start

    return conversation_start(listing=offer, requester=bob, body="ぜひ譲ってください")


@pytest.fixture
def carl(db):
    return make_user(email="carl@example.com", name="かーる", postal_code="1030013")


SECRET = "test-channel-secret"
_ids = itertools.count(1)


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def event(kind: str, user_id: str, *, redelivery: bool = False, event_id: str | None = None, **fields) -> dict:
    """One webhook event as LINE sends it (webhook.yml)."""
    return {
        "type": kind, "mode": "active", "timestamp": 1_900_000_000_000,
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": event_id or f"01HTEST{next(_ids):019d}",
        "deliveryContext": {"isRedelivery": redelivery},
        "replyToken": f"reply-{next(_ids)}",
        **fields,
    }


def text(user_id: str, words: str, **kwargs) -> dict:
    return event("message", user_id, message={"type": "text", "id": str(next(_ids)), "quoteToken": "q", "text": words}, **kwargs)


@pytest.fixture
def line(settings):
    with serve() as (stand_in, url):
        settings.LINE_MESSAGING_CHANNEL_TOKEN = "test-token"
        settings.LINE_MESSAGING_CHANNEL_SECRET = SECRET
        settings.LINE_MESSAGING_API_URL = url
        settings.NOTICES = {**settings.NOTICES, "LINE_DATA_API_URL": url}
        yield stand_in


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    def deliver(*events: dict, signature: str | None = None):
        body = json.dumps({"destination": "Uxxxxxxxx", "events": list(events)}).encode()
        headers = {"HTTP_X_LINE_SIGNATURE": sign(body) if signature is None else signature}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/line/webhook/", body, content_type="application/json", **headers)

    return deliver


def replies(stand_in) -> list[str]:
    """The texts (and template texts) of every reply the bot made, in order."""
    found = []
    for body in stand_in.requests_to("/v2/bot/message/reply"):
        for message in body["messages"]:
            found.append(message.get("text") or message.get("template", {}).get("text", ""))
    return found


@pytest.fixture(autouse=True)
def _daytime(clock):
    """Notices pushed to LINE go at once in the daytime; .ci/run also runs the suite at 00:30 and
    23:59, inside the default quiet hours that hold them (tests/notifications/conftest.py)."""
    if clock is not None:
        clock.move_to(timezone.localtime().replace(hour=12, minute=0))
