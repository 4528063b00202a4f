"""The health endpoint a load balancer, the smoke test and monitoring call: /healthz."""

import time
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.version import VERSION


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


CHECKS = {"database": _database, "cache": _cache, "channel_layer": _channel_layer}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with each check's time when the database, the cache and the channel layer answer; 503
    naming the failing part otherwise. Names the release (`version`) so an operator sees which
    one runs. Says nothing about the data (no authentication needed)."""
    results, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure of a dependency is "unhealthy"
            healthy = False
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse(
        {"status": "ok" if healthy else "error", "version": VERSION, "checks": results},
        status=200 if healthy else 503,
    )


class HealthCheckMiddleware:
    """Answers /healthz before CommonMiddleware reads the Host header.

    Container healthchecks and load balancers probe by internal address (127.0.0.1:8000,
    10.0.3.7), which is not in ALLOWED_HOSTS; the answer names no host and no data, so it is safe
    for any Host. Every other path still goes through the host check. Placed right after
    SecurityMiddleware, which exempts this path from the HTTPS redirect (SECURE_REDIRECT_EXEMPT).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
