"""Run the production stack on this machine, on loopback, for the smoke test, load and fault tests.

    python deploy/stack.py up        # start everything, print the address, wait for Ctrl-C
    python deploy/stack.py check     # start, check /healthz through the front, stop

Processes (all real servers, as in production): nginx in front (pages to the WSGI server, `/ws/`
to the ASGI server), granian serving `config.wsgi`, uvicorn serving `config.asgi` for websockets,
the task worker, and moto's S3 server as the object store. PostgreSQL and Redis are the
machine's own server (127.0.0.1:5432) with a database of the stack's own; Redis is a private
redis-server on a free port, so that the fault tests can restart it without touching anything else.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    # Per process, so that two runs on one machine (a developer's and CI's) never share a database.
    name: str = field(default_factory=lambda: f"mottainai_stack_{os.getpid()}")
    redis_port: int = field(default_factory=free_port)
    run_dir: Path = field(default_factory=lambda: Path(f"/tmp/mottainai-stack-{os.getpid()}"))
    front_port: int = field(default_factory=free_port)
    wsgi_port: int = field(default_factory=free_port)
    asgi_port: int = field(default_factory=free_port)
    s3_port: int = field(default_factory=free_port)
    wsgi_workers: int = 1
    asgi_workers: int = 1
    processes: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.front_port}"

    @property
    def env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.url,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.name}?sslmode=disable",
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CACHE_KEY_PREFIX": self.name,
            "S3_BUCKET": "mottainai-media",
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{self.s3_port}",
            "S3_REGION": "ap-northeast-1",
            "S3_ACCESS_KEY_ID": "stack",
            "S3_SECRET_ACCESS_KEY": "stack-secret",
            "STATIC_ROOT": str(self.run_dir / "static"),
            "MOTTAINAI_VAR_DIR": str(self.run_dir / "var"),
            "TRUSTED_PROXY_COUNT": "1",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }

    def _start(self, name: str, command: list[str]) -> None:
        log = open(self.run_dir / f"{name}.log", "ab")  # noqa: SIM115 - kept open for the process
        env = self.env
        if name == "wsgi":
            env = {**env, "DATABASE_CONN_MAX_AGE": "60"}  # WSGI threads keep their connection; ASGI must not
        self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def _manage(self, *args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def up(self) -> "Stack":
        """Fresh database, Redis db and bucket; then every process; returns when /healthz answers."""
        import psycopg

        shutil.rmtree(self.run_dir, ignore_errors=True)
        (self.run_dir / "var").mkdir(parents=True)
        self.secret_key = secrets.token_urlsafe(50)
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self._start("redis", self._redis_command())
        self._wait_redis()
        self._start("s3", [str(Path(PYTHON).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(self.s3_port)])
        self._wait(f"http://127.0.0.1:{self.s3_port}/moto-api/", "the S3 store")
        import boto3

        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{self.s3_port}", region_name="ap-northeast-1",
                          aws_access_key_id="stack", aws_secret_access_key="stack-secret")
        s3.create_bucket(Bucket="mottainai-media", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
        # Photos are public (random names, metadata stripped): anyone may read objects, as in production.
        s3.put_bucket_policy(Bucket="mottainai-media", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::mottainai-media/*"}]}))
        self._manage("migrate", "--no-input")
        self._manage("collectstatic", "--no-input")
        self._start("wsgi", [PYTHON, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(self.wsgi_port),
                             "--workers", str(self.wsgi_workers), "--blocking-threads", "4", "config.wsgi:application"])
        self._start("asgi", [PYTHON, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(self.asgi_port),
                             "--workers", str(self.asgi_workers), "--loop", "uvloop", "--http", "httptools", "--ws", "websockets",
                             "--no-access-log", "--proxy-headers"])
        self._start("worker", [PYTHON, "manage.py", "db_worker"])
        conf = Template((ROOT / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
            RUN_DIR=str(self.run_dir), FRONT_ADDRESS=f"127.0.0.1:{self.front_port}",
            WSGI_ADDRESS=f"127.0.0.1:{self.wsgi_port}", ASGI_ADDRESS=f"127.0.0.1:{self.asgi_port}",
        )
        (self.run_dir / "nginx.conf").write_text(conf)
        self._start("nginx", [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(self.run_dir / "nginx.conf"),
                              "-p", str(self.run_dir), "-g", "daemon off;"])
        self._wait(f"{self.url}/healthz", "the site")
        return self

    def _redis_command(self) -> list[str]:
        # Its own Redis (nothing kept on disk, as in production): the fault tests restart it.
        return [shutil.which("redis-server") or "/usr/bin/redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port),
                "--save", "", "--appendonly", "no", "--dir", str(self.run_dir)]

    def _wait_redis(self, seconds: float = 20) -> None:
        import redis

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                redis.Redis(host="127.0.0.1", port=self.redis_port).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("the stack's Redis did not start")

    def _wait(self, url: str, what: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited: see {self.run_dir / (name + '.log')}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{what} did not answer at {url} within {seconds:.0f} s")

    def restart(self, name: str) -> None:
        """Kill one process (as a crash would) and start it again with the same command."""
        process = self.processes[name]
        command = process.args
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        self._start(name, command)
        if name == "redis":
            self._wait_redis()

    def drop_database_connections(self) -> int:
        """What a PostgreSQL restart does to the application: every connection of the stack's
        database is cut. Returns how many were cut."""
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            return len(conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.name]
            ).fetchall())

    def down(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    stack = Stack()
    try:
        stack.up()
        print(f"Production stack at {stack.url} (logs in {stack.run_dir})", flush=True)
        if command == "up":
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        stack.down()


if __name__ == "__main__":
    main()
