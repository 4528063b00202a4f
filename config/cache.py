"""Django's Redis cache, with one redis-py client per server for the whole process.

Django keeps cache objects per async context, so under ASGI every request and every websocket
connection that touches the cache builds a new cache object with its own connection pool: a new
TCP connection to Redis each time. Its client also builds a new `redis.Redis` for every command,
which redis-py 8 makes costly (it reads its own package metadata each time). redis-py clients are
thread-safe, so this backend builds one per server and process and every cache object shares it.
"""

import os

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    _shared: dict[tuple, RedisCacheClient] = {}

    @property
    def _cache(self) -> RedisCacheClient:
        key = (os.getpid(), tuple(self._servers), repr(sorted(self._options.items())))  # a forked process makes its own
        client = self._shared.get(key)
        if client is None:
            client = self._shared.setdefault(key, RedisCacheClient(self._servers, **self._options))
        return client
