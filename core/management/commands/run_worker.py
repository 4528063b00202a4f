"""`manage.py run_worker`: django-tasks-db's `db_worker` (same options) that also records a
heartbeat (core/heartbeat.py) every few seconds while it runs, for /readyz and `check_worker`."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from core.heartbeat import heartbeat_beat

logger = logging.getLogger(__name__)


def beat_interval() -> float:
    """A quarter of the age readiness accepts (so one lost beat is no alarm), 5 to 30 seconds."""
    return min(30.0, max(5.0, (settings.WORKER_HEARTBEAT_MAX_AGE or 120) / 4))


class Heartbeat(threading.Thread):
    """Beats in the background while the worker's loop sleeps or runs a task: it says a worker
    process is up and reaches the database (tasks have their own time limits: mail, webhooks)."""

    def __init__(self, interval: float):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                heartbeat_beat()
            except Exception as error:  # noqa: BLE001 - the database may be away; beat again later
                logger.warning("Worker heartbeat not recorded", extra={"error": type(error).__name__})
            finally:
                connection.close()
            self.stopped.wait(self.interval)


class Command(DbWorkerCommand):
    help = "Run the database task worker (as db_worker) and record its heartbeat"

    def handle(self, *args, **options) -> None:
        heartbeat = Heartbeat(beat_interval())
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stopped.set()
