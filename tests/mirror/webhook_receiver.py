"""A real webhook receiver for the tests: an HTTP server on 127.0.0.1, and the verification
recipe of docs/WEBHOOKS.md run as written."""

import json
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings as django_settings
from django.utils import timezone

from mirror.models import WebhookDelivery


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """An HTTP server on 127.0.0.1 (port 0: the OS picks one) that records every request and
    answers from a script: an int is a status code, a float is seconds to sleep before answering
    200. When the script runs out it answers 200."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: list[int | float] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.received.append(Received(self.path, dict(self.headers), body))
                    step = receiver.script.pop(0) if receiver.script else 200
                if isinstance(step, float):
                    time.sleep(step)
                    step = 200
                try:
                    self.send_response(step)
                    if step in (301, 302, 307, 308):
                        self.send_header("Location", "/elsewhere")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the sender gave up waiting (timeout test)

            def log_message(self, format, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False  # a handler still sleeping must not hold up the test's end

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/mottainai"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def events(self) -> list[dict]:
        return [request.json() for request in self.received]


def _documented_verifier():
    """The Python verification example of docs/WEBHOOKS.md, run as written: the tests check
    every signature with it, so the ward's recipe cannot drift from what we send."""
    text = (Path(django_settings.BASE_DIR) / "docs" / "WEBHOOKS.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(code, namespace)
    return namespace["verify_mottainai_signature"]


_verify = _documented_verifier()


def verify(*, header: str, body: bytes, secret: str) -> bool:
    return _verify(header, body, secret)


def make_due(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
