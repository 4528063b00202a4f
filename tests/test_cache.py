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

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (the PostgreSQL + Redis run in .ci/run)")


def test_connections_in_their_own_contexts_share_one_redis_connection():
    import redis

    admin = redis.Redis.from_url(settings.REDIS_URL)
    key = f"test-cache-{uuid.uuid4().hex}"

    async def connection() -> None:  # like a websocket consumer: a few cache calls in a thread
        for _ in range(3):
            await sync_to_async(cache.incr)(key)

    async def connections(count: int) -> None:
        # ASGI servers start each connection in a context of its own.
        await asyncio.gather(*(asyncio.create_task(connection(), context=contextvars.Context()) for _ in range(count)))

    cache.set(key, 0, 60)
    async_to_sync(connections)(1)  # the process's client connects once
    before = admin.info("stats")["total_connections_received"]
    async_to_sync(connections)(20)
    assert admin.info("stats")["total_connections_received"] - before <= 1  # Django's own backend: 20
    assert cache.get(key) == 63
