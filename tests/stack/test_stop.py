"""`deploy/stack.py up` stops cleanly on SIGTERM and SIGINT, once up or while it starts: every
process it started, in every process group, has ended, and its run folder is gone."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.stack.conftest import require_stack_parts

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"Production stack at (\S+) \(logs in (\S+)\)")


def _alive(process: psutil.Process) -> bool:
    """Still running: a zombie has ended, and `is_running` tells a reused pid apart."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _members(groups: set[int]) -> list[str]:
    """The living processes of these process groups, anywhere on the machine."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if os.getpgid(process.pid) in groups and _alive(process):
                found.append(" ".join(process.info["cmdline"] or [])[:80])
        except ProcessLookupError:
            pass
    return found


def _interruptible() -> None:
    """In the child before it starts: Ctrl-C works as at a terminal. A job a shell starts in the
    background (CI, `cmd &`) inherits SIGINT ignored, and the stack rightly keeps an ignored signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stop_if_running(runner: subprocess.Popen) -> None:
    """After a failed test: stop the stack all the same."""
    if runner.poll() is None:
        runner.terminate()
        try:
            runner.wait(timeout=60)
        except subprocess.TimeoutExpired:
            runner.kill()
            runner.wait()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_ends_every_process_and_removes_the_run_folder(tmp_path, signum):
    require_stack_parts()
    errors = open(tmp_path / "stack.err", "wb")  # noqa: SIM115 - shown if the stack does not start
    runner = subprocess.Popen([sys.executable, "deploy/stack.py", "up"], cwd=ROOT, preexec_fn=_interruptible,
                              stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        line = runner.stdout.readline()  # printed once /healthz answers through the front
        ready = READY.search(line)
        assert ready, f"not ready: {line!r}\n{(tmp_path / 'stack.err').read_text()[-3000:]}"
        run_dir = Path(ready.group(2))
        assert run_dir.is_dir()

        # nginx, granian, uvicorn, the task worker, the scheduler, moto's S3 server, PostgreSQL and Redis: each leads
        # a process group of its own (PostgreSQL's backends even make their own), so all are listed.
        leaders = psutil.Process(runner.pid).children()
        groups = {process.pid for process in leaders}
        assert len(groups) == 8 and all(os.getpgid(pid) == pid for pid in groups), [p.cmdline()[:3] for p in leaders]
        started = psutil.Process(runner.pid).children(recursive=True)

        runner.send_signal(signum)
        assert runner.wait(timeout=60) == 0  # a guard against hanging, not a speed check
    finally:
        _stop_if_running(runner)
        runner.stdout.close()
        errors.close()

    assert [process.pid for process in started if _alive(process)] == []
    assert _members(groups) == []
    assert not run_dir.exists()


def test_sigterm_while_it_starts_ends_what_it_had_started_and_removes_the_run_folder():
    require_stack_parts()
    runner = subprocess.Popen([sys.executable, "deploy/stack.py", "up"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    run_dir = Path(f"/tmp/mottainai-stack-{runner.pid}")
    try:
        deadline = time.monotonic() + 60
        while not (run_dir / "s3.log").exists() and time.monotonic() < deadline:  # PostgreSQL and Redis are up
            time.sleep(0.1)
        started = psutil.Process(runner.pid).children(recursive=True)
        assert len(started) >= 2, "PostgreSQL and Redis did not start"
        runner.terminate()
        assert runner.wait(timeout=60) == 0  # a guard against hanging, not a speed check
    finally:
        _stop_if_running(runner)

    assert [process.pid for process in started if _alive(process)] == []
    assert not run_dir.exists()
