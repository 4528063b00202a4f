"""Run the periodic jobs of a deployment (core/schedule.py): the `scheduler` service of compose.yaml,
mottainai-scheduler.service under systemd, one process of deploy/stack.py. Run exactly one."""

import logging
import signal
import threading
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from core import schedule

logger = logging.getLogger("core.schedule")


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (listing expiry, the alert digest's queueing, retention, the webhook "
        "safety net) when due, forever; --once runs what is due and exits (for cron or a systemd timer)."
    )

    def add_arguments(self, parser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="Run the jobs that are due, then exit (1 if one failed).")
        mode.add_argument("--check", action="store_true",
                          help="Exit 1 unless the scheduler showed it is alive within --max-age (a health check).")
        mode.add_argument("--list", action="store_true", help="Show each job, its schedule and its last run.")
        parser.add_argument("--max-age", type=int, default=900, help="Seconds for --check (default: %(default)s).")
        parser.add_argument("--interval", type=int, default=30, help="Seconds between two looks at the table (default: %(default)s).")

    def handle(self, *args, once: bool, check: bool, list: bool, max_age: int, interval: int, **options) -> None:
        if check:
            self._check(timedelta(seconds=max_age))
        elif list:
            self._list()
        elif once:
            self._once()
        else:
            self._forever(interval)

    def _check(self, max_age: timedelta) -> None:
        age = schedule.heartbeat_age()
        if age is None:
            raise CommandError("The scheduler has never run.")
        if age > max_age:
            raise CommandError(f"The scheduler was last seen {int(age.total_seconds())} s ago.")
        self.stdout.write(f"The scheduler was last seen {int(age.total_seconds())} s ago.")

    def _list(self) -> None:
        for row in schedule.status():
            run = row["run"]
            if run is None or run.last_started is None:
                last = "never run"
            else:
                outcome = {True: "ok", False: f"failed ({run.last_error})", None: "running"}[run.last_ok]
                last = f"{timezone.localtime(run.last_started):%Y-%m-%d %H:%M} {outcome}"
            due = ", due" if row["due"] else ""
            self.stdout.write(f"{row['job'].command}: {row['job'].schedule}; last {last}{due}")

    def _once(self) -> None:
        results = schedule.run_due()
        for command, ok in results.items():
            self.stdout.write(f"{command}: {'ok' if ok else 'failed (see the log)'}")
        if not results:
            self.stdout.write("Nothing is due.")
        failed = [command for command, ok in results.items() if not ok]
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)}")

    def _forever(self, interval: int) -> None:
        busy, stopping = False, False

        def stop(signum, frame) -> None:  # a job at hand finishes first; between jobs the loop ends at once
            nonlocal stopping
            stopping = True
            if not busy:
                raise _Stop

        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, stop)
        logger.info("scheduler started: %s", ", ".join(f"{job.command} ({job.schedule})" for job in schedule.JOBS))
        try:
            while not stopping:
                close_old_connections()  # drops a connection the database closed (a restart), like a request's end
                busy = True
                try:
                    schedule.run_due()
                except Exception:  # noqa: BLE001 - the database away: try again at the next tick
                    logger.exception("scheduler tick failed")
                busy = False
                if not stopping:
                    time.sleep(interval)
        except _Stop:
            pass
        logger.info("scheduler stopped")


class _Stop(Exception):  # noqa: N818 - a signal, not an error
    """SIGTERM or SIGINT while the scheduler waits for the next tick."""
