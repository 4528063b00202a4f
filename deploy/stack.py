"""Run the production stack on this machine, on loopback, for the smoke test, load and fault tests.

    python deploy/stack.py up        # start everything, print the address, wait for Ctrl-C
    python deploy/stack.py check     # start, check /healthz through the front, stop

Processes (all real servers, as in production): nginx in front (pages to the WSGI server, `/ws/`
to the ASGI server), granian serving `config.wsgi`, uvicorn serving `config.asgi` for websockets,
the task worker, the scheduler (`manage.py run_schedule`), and moto's S3 server as the object store. PostgreSQL (a cluster of its own,
made by the machine's `initdb`) and Redis (a private redis-server) listen on free ports, so that the
fault tests can crash and restart them without touching anything else on the machine.

SIGTERM and SIGINT (Ctrl-C) stop it cleanly, also while it starts: every process group it started
ends (politely, then SIGKILL after 10 s) and its run folder is removed. Only a failed start keeps
the logs there, for a look.
"""

import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

import boto3
import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _postgres_binary(name: str) -> str:
    """A PostgreSQL server program (Debian keeps them out of PATH, under /usr/lib/postgresql/<v>/bin)."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} was not found: apt-get install postgresql")
    return found


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the postgres system user."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", *command]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    # Per process, so that two runs on one machine (a developer's and CI's) never share a database.
    name: str = field(default_factory=lambda: f"mottainai_stack_{os.getpid()}")
    redis_port: int = field(default_factory=free_port)
    postgres_port: int = field(default_factory=free_port)
    run_dir: Path = field(default_factory=lambda: Path(f"/tmp/mottainai-stack-{os.getpid()}"))
    front_port: int = field(default_factory=free_port)
    wsgi_port: int = field(default_factory=free_port)
    asgi_port: int = field(default_factory=free_port)
    s3_port: int = field(default_factory=free_port)
    wsgi_workers: int = 1
    asgi_workers: int = 1
    processes: dict = field(default_factory=dict)
    _logs: list = field(default_factory=list, init=False, repr=False)
    _handlers: dict = field(default_factory=dict, init=False, repr=False)  # the signal handlers ours replaced
    _starting: bool = field(default=False, init=False, repr=False)
    _stop_requested: bool = field(default=False, init=False, repr=False)
    _running: bool = field(default=False, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.front_port}"

    @property
    def admin_database_url(self) -> str:
        """The stack's PostgreSQL server, as its superuser (to create and drop databases)."""
        return f"postgres://postgres@127.0.0.1:{self.postgres_port}/postgres"

    def database_url(self, name: str | None = None) -> str:
        return f"postgres://postgres@127.0.0.1:{self.postgres_port}/{name or self.name}?sslmode=disable"

    @property
    def env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.url,
            "DATABASE_URL": self.database_url(),
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
        self._logs.append(log)
        self._starting = True  # a stop signal now waits until the process is recorded, so that down() ends it
        try:
            self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                                    start_new_session=True)
        finally:
            self._starting = False
        if self._stop_requested:
            raise KeyboardInterrupt

    def _catch_stop_signals(self) -> None:
        """SIGTERM then stops the stack as Ctrl-C does: a KeyboardInterrupt, so that the `finally` of
        `main()` or pytest's teardown calls down(). Only from the main thread, and only where the
        signals have their default handlers (someone else's handler stays)."""
        self._stop_requested = False
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in STOP_SIGNALS:
            handler = signal.getsignal(signum)
            if handler in (signal.SIG_DFL, signal.default_int_handler):
                self._handlers[signum] = handler
                signal.signal(signum, self._on_stop_signal)

    def _on_stop_signal(self, signum, frame) -> None:
        if self._stop_requested:  # already stopping: a second signal must not interrupt down()
            return
        self._stop_requested = True
        if not self._starting:
            raise KeyboardInterrupt

    def _manage(self, *args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def up(self) -> "Stack":
        """Fresh database, Redis and bucket; then every process; returns when /healthz answers.
        Stopped (KeyboardInterrupt, SIGTERM) or failed on the way, it ends what it started first."""
        self._running = True
        self._catch_stop_signals()
        try:
            self._up()
        except KeyboardInterrupt:
            self.down()
            raise
        except BaseException:
            self.down(keep_logs=True)
            raise
        return self

    def _up(self) -> None:
        shutil.rmtree(self.run_dir, ignore_errors=True)
        (self.run_dir / "var").mkdir(parents=True)
        self.secret_key = secrets.token_urlsafe(50)
        self._init_postgres()
        self._start("postgres", self._postgres_command())
        self._wait_postgres()
        with psycopg.connect(self.admin_database_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self._start("redis", self._redis_command())
        self._wait_redis()
        self._start("s3", [str(Path(PYTHON).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(self.s3_port)])
        self._wait(f"http://127.0.0.1:{self.s3_port}/moto-api/", "the S3 store")
        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{self.s3_port}", region_name="ap-northeast-1",
                          aws_access_key_id="stack", aws_secret_access_key="stack-secret")
        s3.create_bucket(Bucket="mottainai-media", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
        # Private, as in production: photos reach browsers through the site's signed links only.
        self._manage("migrate", "--no-input")
        self._manage("collectstatic", "--no-input")
        self._start("wsgi", [PYTHON, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(self.wsgi_port),
                             "--workers", str(self.wsgi_workers), "--blocking-threads", "4", "config.wsgi:application"])
        self._start("asgi", [PYTHON, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(self.asgi_port),
                             "--workers", str(self.asgi_workers), "--loop", "uvloop", "--http", "httptools", "--ws", "websockets-sansio",
                             "--no-access-log", "--proxy-headers"])
        # The worker exits when PostgreSQL goes away; compose and systemd restart it (restart:
        # unless-stopped, Restart=always), and so does this loop. A stop signal ends the group.
        self._start("worker", ["sh", "-c", f'until "{PYTHON}" manage.py run_worker; do sleep 1; done'])
        # The periodic jobs (core/schedule.py), restarted the same way; it exits only on a stop signal.
        self._start("scheduler", ["sh", "-c", f'until "{PYTHON}" manage.py run_schedule; do sleep 1; done'])
        conf = Template((ROOT / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
            RUN_DIR=str(self.run_dir), FRONT_ADDRESS=f"127.0.0.1:{self.front_port}",
            WSGI_ADDRESS=f"127.0.0.1:{self.wsgi_port}", ASGI_ADDRESS=f"127.0.0.1:{self.asgi_port}",
        )
        (self.run_dir / "nginx.conf").write_text(conf)
        self._start("nginx", [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(self.run_dir / "nginx.conf"),
                              "-p", str(self.run_dir), "-g", "daemon off;"])
        self._wait(f"{self.url}/healthz", "the site")

    def _init_postgres(self) -> None:
        data = self.run_dir / "postgres"
        data.mkdir()
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(data, account.pw_uid, account.pw_gid)
        subprocess.run(_as_postgres([_postgres_binary("initdb"), "--pgdata", str(data), "--username", "postgres", "--auth", "trust",
                                     "--encoding", "UTF8", "--locale", "C.UTF-8"]), check=True, stdout=subprocess.DEVNULL)

    def _postgres_command(self) -> list[str]:
        # TCP on loopback only (no socket file), durable as in production (fsync stays on).
        return _as_postgres([_postgres_binary("postgres"), "-D", str(self.run_dir / "postgres"), "-p", str(self.postgres_port),
                             "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"])

    def _wait_postgres(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self.admin_database_url, connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if self.processes["postgres"].poll() is not None:
                    raise RuntimeError(f"postgres exited: see {self.run_dir / 'postgres.log'}") from None
                time.sleep(0.2)
        raise RuntimeError("the stack's PostgreSQL did not start")

    def _redis_command(self) -> list[str]:
        # Its own Redis (nothing kept on disk, as in production): the fault tests restart it.
        return [shutil.which("redis-server") or "/usr/bin/redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port),
                "--save", "", "--appendonly", "no", "--dir", str(self.run_dir)]

    def _wait_redis(self, seconds: float = 20) -> None:
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
        """Kill one process and all it started (as a crash or a power cut would) and start it again
        with the same command. PostgreSQL then recovers from its write-ahead log."""
        process = self.processes[name]
        command = process.args
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        self._start(name, command)
        if name == "redis":
            self._wait_redis()
        elif name == "postgres":
            self._wait_postgres()

    def down(self, keep_logs: bool = False) -> None:
        """End every process group and remove the run folder (`keep_logs`: all but the logs).
        Stop signals arriving meanwhile are ignored (it takes at most about 10 s)."""
        if not self._running:
            return
        self._stop_requested = True
        running = {name: process for name, process in self.processes.items() if process.returncode is None}
        for name, process in reversed(running.items()):  # PostgreSQL: SIGINT is its fast shutdown (SIGTERM waits for clients)
            _signal_group(process.pid, signal.SIGINT if name == "postgres" else signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in running.values():
            while not _exited(process.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            # The leader has exited but is not yet reaped, so its group id cannot be reused: this ends
            # whatever of its group outlived it, or all of the group after 10 s.
            _signal_group(process.pid, signal.SIGKILL)
            process.wait()
        self.processes.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()
        if keep_logs:
            for path in self.run_dir.iterdir() if self.run_dir.exists() else ():
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                elif path.suffix != ".log":
                    path.unlink(missing_ok=True)
        else:
            shutil.rmtree(self.run_dir, ignore_errors=True)
        for signum, handler in self._handlers.items():
            signal.signal(signum, handler)
        self._handlers.clear()
        self._running = False


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass


def _exited(pid: int) -> bool:
    """Whether our child `pid` has exited, leaving it unreaped (a zombie keeps its group id reserved)."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    stack = Stack()
    try:
        stack.up()
        print(f"Production stack at {stack.url} (logs in {stack.run_dir})", flush=True)
        if command == "up":
            while True:
                signal.pause()  # until SIGINT or SIGTERM
    except KeyboardInterrupt:
        print("Stopping the stack.", file=sys.stderr, flush=True)
    finally:
        stack.down()


if __name__ == "__main__":
    main()
