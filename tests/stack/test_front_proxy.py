"""The nginx fronts in deploy/ (compose's and deploy/stack.py's) in front of a server that echoes
the headers it gets: what Django learns about the scheme and the client address."""

import json
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({key.lower(): value for key, value in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _compose_conf(run_dir: Path, front: str, upstream: str) -> str:
    # The compose file's hosts and port, pointed at loopback; temporary files under run_dir.
    text = (ROOT / "deploy" / "nginx.compose.conf").read_text()
    text = text.replace("server web:8000;", f"server {upstream};").replace("server sockets:8001;", f"server {upstream};")
    text = text.replace("listen 80;", f"listen {front};").replace("pid /tmp/nginx.pid;", f"pid {run_dir}/nginx.pid;")
    temp = "".join(f"    {kind}_temp_path {run_dir}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return text.replace("http {\n", "http {\n" + temp, 1)


def _template_conf(run_dir: Path, front: str, upstream: str) -> str:
    return Template((ROOT / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
        RUN_DIR=str(run_dir), FRONT_ADDRESS=front, WSGI_ADDRESS=upstream, ASGI_ADDRESS=upstream
    )


@pytest.fixture(params=[_compose_conf, _template_conf], ids=["compose", "stack"])
def front(request, tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light); .ci/run installs it")
    echo = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=echo.serve_forever, daemon=True).start()
    address = f"127.0.0.1:{_free_port()}"
    (tmp_path / "nginx.conf").write_text(request.param(tmp_path, address, f"127.0.0.1:{echo.server_port}"))
    nginx = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://{address}"
    for _ in range(100):
        try:
            requests.get(url, timeout=1)
            break
        except requests.ConnectionError:
            if nginx.poll() is not None:
                pytest.fail(nginx.stderr.read().decode())
            time.sleep(0.05)
    yield url
    nginx.terminate()
    nginx.wait(10)
    echo.shutdown()


def test_the_front_passes_on_the_scheme_the_tls_proxy_in_front_reports(front):
    # Behind the ward's load balancer, which ended TLS: https, or Django redirects forever.
    assert requests.get(front, headers={"X-Forwarded-Proto": "https"}, timeout=5).json()["x-forwarded-proto"] == "https"


def test_the_front_reports_its_own_scheme_when_nothing_stands_in_front(front):
    assert requests.get(front, timeout=5).json()["x-forwarded-proto"] == "http"


def test_the_front_appends_the_address_it_sees_to_x_forwarded_for(front):
    # Load balancer + nginx: the client is second from the end, so TRUSTED_PROXY_COUNT=2.
    seen = requests.get(front, headers={"X-Forwarded-For": "203.0.113.9"}, timeout=5).json()["x-forwarded-for"]
    assert seen == "203.0.113.9, 127.0.0.1"
