"""The task worker's heartbeat: a time stamp per host in the database (WorkerHeartbeat), written by
`manage.py run_worker` every few seconds, read by the readiness check (config/health.py), /metrics
and `manage.py check_worker`. In the database, not the cache: the embedded default's cache lives in
one process, and the worker is another."""

import socket
from datetime import datetime, timedelta

from django.utils import timezone

from core.models import WorkerHeartbeat

FORGET_AFTER = timedelta(days=7)  # rows of hosts gone this long are dropped


def heartbeat_host() -> str:
    return socket.gethostname()[:255]


def heartbeat_beat(host: str | None = None) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(host=host or heartbeat_host(), defaults={"seen_at": now})
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()


def heartbeat_last(host: str | None = None) -> datetime | None:
    """The newest beat of any worker, or of the workers on `host`; None when there is none."""
    beats = WorkerHeartbeat.objects.all()
    if host:
        beats = beats.filter(host=host)
    return beats.order_by("-seen_at").values_list("seen_at", flat=True).first()


def heartbeat_age(host: str | None = None) -> timedelta | None:
    last = heartbeat_last(host)
    return None if last is None else max(timedelta(0), timezone.now() - last)
