"""Health endpoints for load balancers, container healthchecks and monitoring.

- /livez: the process answers (no dependency touched): restart it when this fails.
- /readyz: the database, the cache, the channel layer, the file storage and the task worker's
  heartbeat answer: send it traffic (and page someone) only while this is 200.
- /healthz: the same as /readyz (the name the compose file, the stack and the docs use).
"""

import time
import uuid
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config import metrics
from core.heartbeat import heartbeat_age
from core.version import VERSION

STARTED = time.monotonic()  # when this process started: the worker gets as long to report first


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


def _channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")

    async def round_trip() -> None:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "healthz.ping"})
        message = await layer.receive(channel)
        if message.get("type") != "healthz.ping":
            raise RuntimeError("the channel layer returned another message")

    async_to_sync(round_trip)()


def _storage() -> None:
    """Write, read back and delete a tiny file where photos go (local media or the S3 bucket)."""
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as file:
            if file.read() != b"ok":
                raise RuntimeError("the storage did not return what was stored")
    finally:
        default_storage.delete(name)


class WorkerNotSeen(Exception):
    """No heartbeat, or an old one, from `manage.py run_worker`."""


def _worker() -> dict:
    """Fresh when a worker beat within WORKER_HEARTBEAT_MAX_AGE seconds. A worker never seen is
    waited for as long, counted from this process's start (a site just started with its worker),
    then fails: a site whose tasks never run is not ready (emails, alerts, webhooks wait)."""
    max_age = timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    age = heartbeat_age()
    if age is None:
        if time.monotonic() - STARTED <= max_age.total_seconds():
            return {"waiting": True}
        raise WorkerNotSeen("no worker heartbeat")
    if age > max_age:
        raise WorkerNotSeen(f"the last worker heartbeat is {age.total_seconds():.0f} s old")
    return {"age_s": round(age.total_seconds(), 1)}


CHECKS = {
    "database": _database, "cache": _cache, "channel_layer": _channel_layer, "storage": _storage, "worker": _worker,
}


def checks_run() -> tuple[bool, dict]:
    """Run every check (the worker's only when WORKER_HEARTBEAT_MAX_AGE is not 0)."""
    results, healthy = {}, True
    for name, check in CHECKS.items():
        if name == "worker" and not settings.WORKER_HEARTBEAT_MAX_AGE:
            continue
        started = time.perf_counter()
        try:
            extra = check() or {}
        except Exception as exc:  # noqa: BLE001 - any failure of a dependency is "unhealthy"
            healthy = False
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **extra}
    return healthy, results


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 with each check's time when every dependency answers; 503 naming the failing part
    otherwise (`checks.<name>.error`: the exception's class only). Names the release (`version`)
    so an operator sees which one runs. Says nothing about the data (no authentication needed)."""
    healthy, results = checks_run()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "version": VERSION, "checks": results},
        status=200 if healthy else 503,
    )


healthz = readyz


@never_cache
@require_GET
def livez(request: HttpRequest) -> JsonResponse:
    """200 as long as the process can answer; touches no dependency."""
    return JsonResponse({"status": "ok", "version": VERSION})


PROBES = {"/healthz": readyz, "/readyz": readyz, "/livez": livez}


class HealthCheckMiddleware:
    """Answers /healthz, /readyz, /livez and an allowed /metrics before CommonMiddleware reads the
    Host header.

    Container healthchecks and load balancers probe by internal address (127.0.0.1:8000,
    10.0.3.7), which is not in ALLOWED_HOSTS; the answer names no host and no data, so it is safe
    for any Host. Every other path still goes through the host check. Placed right after
    SecurityMiddleware, which exempts these paths from the HTTPS redirect (SECURE_REDIRECT_EXEMPT).
    A /metrics request that is not allowed goes on like any other path: the site's own 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        if request.path_info == "/metrics" and request.method in ("GET", "HEAD") and metrics.allowed(request):
            return metrics.metrics(request)
        return self.get_response(request)
