"""A stand-in for a service outside (LINE's Messaging API, a ward's webhook receiver): a real HTTP
server on 127.0.0.1 that records every POST and answers from a script."""

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class StandIn:
    """An HTTP server on 127.0.0.1 (port 0: the OS picks one) that records every POST in `received`
    and answers from `script`: an int is a status code (a redirect points at /elsewhere), a float is
    seconds to sleep before answering 200. When the script runs out it answers 200 with `answer`.
    Use it as a context manager: it serves inside the block."""

    def __init__(self, *, answer: bytes = b"ok", content_type: str = "") -> None:
        self.received: list[Received] = []
        self.script: list[int | float] = []
        lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with lock:
                    stand_in.received.append(Received(self.path, dict(self.headers), body))
                    step = stand_in.script.pop(0) if stand_in.script else 200
                if isinstance(step, float):
                    time.sleep(step)
                    step = 200
                try:
                    self.send_response(step)
                    if step in (301, 302, 307, 308):
                        self.send_header("Location", "/elsewhere")
                    if content_type:
                        self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the client gave up waiting (timeout tests)

            def log_message(self, format, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False  # a handler still sleeping must not hold up the test's end

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> "StandIn":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()


def refusing_url() -> str:
    """The URL (no path) of a port on 127.0.0.1 that nothing listens on: connecting is refused."""
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{closed.server_address[1]}"
    closed.server_close()  # nothing listens on that port any more
    return url
