"""`manage.py check_worker`: exit 0 when a task worker on this host recorded a heartbeat within
WORKER_HEARTBEAT_MAX_AGE seconds, 1 otherwise (the worker container's healthcheck)."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from core.heartbeat import heartbeat_age, heartbeat_host


class Command(BaseCommand):
    help = "Exit 0 if the task worker's heartbeat is fresh, 1 if it is old or missing"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--any-host", action="store_true", help="accept a worker on any host, not only this one")

    def handle(self, *args, any_host: bool = False, **options) -> None:
        max_age = settings.WORKER_HEARTBEAT_MAX_AGE or 120
        age = heartbeat_age(None if any_host else heartbeat_host())
        if age is None:
            self.stderr.write("No worker heartbeat recorded (is `manage.py run_worker` running?)")
            sys.exit(1)
        if age.total_seconds() > max_age:
            self.stderr.write(f"The worker's last heartbeat is {age.total_seconds():.0f} s old (more than {max_age} s)")
            sys.exit(1)
        self.stdout.write(f"Worker heartbeat {age.total_seconds():.0f} s old")
