"""A stand-in for LINE's Messaging API (the endpoints the site uses, with the response shapes of
LINE's OpenAPI contract, github.com/line/line-openapi): a plain WSGI app that records what it
receives. The tests serve it on 127.0.0.1 (`serve()`); a development site (DEBUG) mounts one at
/dev/line-api/ (lineoa/standin_urls.py), where bin/dev points the LINE settings when nothing is
configured, and the staff's LINE simulator reads the conversations it recorded.

It serves the data host's content endpoint too: point both LINE_MESSAGING_API_URL and
LINE_MESSAGING_DATA_API_URL at it; photos for content downloads are registered with `photos`."""

import itertools
import json
import re
import secrets
import threading
from collections import defaultdict
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings

DEV_PATH = "/dev/line-api"
RUNNING: dict[str, "MessagingStandIn"] = {}  # base URL -> stand-in served by this process


class MessagingStandIn:
    """Records every request in `received` (method, path, JSON body) and each LINE user's
    conversation in `conversations` (("user", event) and ("bot", message) entries)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[str, str, dict]] = []
        self.photos: dict[str, bytes] = {}  # message id -> JPEG bytes
        self.profiles: dict[str, str] = {}  # LINE user id -> display name
        self.link_tokens: dict[str, str] = {}  # link token -> LINE user id
        self.reply_tokens: dict[str, str] = {}  # reply token -> LINE user id (the simulator's)
        self.conversations: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        self.ids = itertools.count(100000000000000)

    def requests_to(self, path: str) -> list[dict]:
        return [body for _, received_path, body in self.received if received_path == path]

    def said(self, line_user_id: str, event: dict) -> None:
        with self.lock:
            self.conversations[line_user_id].append(("user", event))

    # --- WSGI -------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return _answer(start_response, 400, {"message": "The request body has 1 error(s)"})
        with self.lock:
            self.received.append((method, path, body))
        if not environ.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
            return _answer(start_response, 401, {"message": "Authentication failed due to the following reason: no token."})
        status, answer = self._route(method, path, body)
        if isinstance(answer, bytes):
            start_response(f"{status} OK", [("Content-Type", "image/jpeg"), ("Content-Length", str(len(answer)))])
            return [answer]
        return _answer(start_response, status, answer)

    def _route(self, method: str, path: str, body: dict) -> tuple[int, dict | bytes]:
        if method == "POST" and path == "/v2/bot/message/reply":
            return self._deliver([self.reply_tokens.get(body.get("replyToken", ""), "")], body)
        if method == "POST" and path == "/v2/bot/message/push":
            return self._deliver([body.get("to", "")], body)
        if method == "POST" and path == "/v2/bot/message/multicast":
            self._deliver(body.get("to") or [], body)
            return 200, {}
        if match := re.fullmatch(r"/v2/bot/message/([^/]+)/content", path):
            photo = self.photos.get(match[1]) if method == "GET" else None
            return (200, photo) if photo else (404, {"message": "Not found"})
        if (match := re.fullmatch(r"/v2/bot/profile/([^/]+)", path)) and method == "GET":
            name = self.profiles.get(match[1])
            if name is None:
                return 404, {"message": "Not found"}
            return 200, {"userId": match[1], "displayName": name, "language": "ja"}
        if (match := re.fullmatch(r"/v2/bot/user/([^/]+)/linkToken", path)) and method == "POST":
            token = secrets.token_urlsafe(24)
            with self.lock:
                self.link_tokens[token] = match[1]
            return 200, {"linkToken": token}
        return 404, {"message": "Not found"}

    def _deliver(self, to: list[str], body: dict) -> tuple[int, dict]:
        messages = body.get("messages") or []
        if not messages or len(messages) > 5:
            return 400, {"message": "The request body has 1 error(s)", "details": [{"message": "size must be between 1 and 5", "property": "messages"}]}
        with self.lock:
            for user_id in filter(None, to):
                self.conversations[user_id] += [("bot", message) for message in messages]
            sent = [{"id": str(next(self.ids)), "quoteToken": secrets.token_urlsafe(16)} for _ in messages]
        return 200, {"sentMessages": sent}


def _answer(start_response, status: int, body: dict):
    data = json.dumps(body).encode()
    start_response(f"{status} {'OK' if status == 200 else 'Error'}", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


DEV = MessagingStandIn()  # the one a development site mounts


def active() -> MessagingStandIn | None:
    """The stand-in the LINE settings point at, when it runs in this process (else None: LINE
    itself, or nothing configured)."""
    url = settings.LINE_MESSAGING_API_URL
    if settings.DEBUG and url.endswith(DEV_PATH):
        return DEV
    return RUNNING.get(url)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


@contextmanager
def serve(stand_in: MessagingStandIn | None = None):
    """Serve a stand-in on 127.0.0.1 (a port the OS picks) in a thread; yields (stand-in, URL)."""
    stand_in = stand_in or MessagingStandIn()
    server = make_server("127.0.0.1", 0, stand_in, server_class=_Server, handler_class=_Quiet)
    url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    RUNNING[url] = stand_in
    try:
        yield stand_in, url
    finally:
        RUNNING.pop(url, None)
        server.shutdown()
        server.server_close()
