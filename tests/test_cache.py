"""The Redis cache (config.cache) under ASGI: every request and websocket connection runs in its
own async context with its own cache object, and they must share the process's Redis client
instead of opening a connection each."""

import asyncio
import contextvars
import uuid

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (the PostgreSQL + Redis run in .ci/run)")


def open_connections(admin, name: str) -> int:
    return sum(1 for client in admin.client_list() if client.get("name") == name)


@pytest.mark.parametrize("backend, shared", [("config.cache.RedisCache", True), ("django.core.cache.backends.redis.RedisCache", False)])
def test_connections_in_their_own_contexts_share_one_redis_connection(backend, shared):
    """The test's own connections carry a client name, so the parallel test processes that use the
    same Redis server at the same moment do not count. Django's own backend is the control: it
    opens one connection per context, which shows the count sees what it should."""
    import redis

    admin = redis.Redis.from_url(settings.REDIS_URL)
    name = f"test-cache-{uuid.uuid4().hex[:12]}"
    key = f"test-cache-{uuid.uuid4().hex}"
    caches = {"default": {"BACKEND": backend, "LOCATION": settings.REDIS_URL, "OPTIONS": {"client_name": name}}}
    held = []  # the contexts stay alive until counted, as open websocket connections do

    async def connection() -> None:  # like a websocket consumer: a few cache calls in a thread
        for _ in range(3):
            await sync_to_async(cache.incr)(key)
        held.append(contextvars.copy_context())

    async def connections(count: int) -> None:
        # ASGI servers start each connection in a context of its own.
        await asyncio.gather(*(asyncio.create_task(connection(), context=contextvars.Context()) for _ in range(count)))

    with override_settings(CACHES=caches):
        cache.set(key, 0, 60)
        async_to_sync(connections)(20)
        opened = open_connections(admin, name)
        assert cache.get(key) == 60
        cache.delete(key)
    if shared:
        assert opened == 1
    else:
        assert opened > 1  # the control: one per context
