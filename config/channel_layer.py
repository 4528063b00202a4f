"""The Redis channel layer's settings (websocket groups), used when REDIS_URL is set.

settings imports this module only then, so that the embedded default never loads redis-py.
"""

from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError


def redis_channel_layers(url: str, *, prefix: str, max_connections: int) -> dict:
    """Return CHANNEL_LAYERS for the Redis at `url`, its keys under `prefix`."""
    # The pub/sub layer: a group message is one PUBLISH, delivered at most once to whoever is
    # subscribed. That is enough because a chat message is stored before it is announced, and a
    # client that reconnects asks for what it missed. The list-based core layer costs about a
    # millisecond more CPU per message (docs/PERFORMANCE.md, bench/ws_delivery.py).
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                # After Redis restarts, pooled connections are dead: retry a command on a fresh
                # connection instead of failing the websocket handshake that happened to use one.
                # The subscriber connection reconnects and subscribes again by itself.
                "hosts": [{
                    "address": url,
                    "socket_timeout": 15,
                    "retry": Retry(ExponentialBackoff(cap=0.5, base=0.05), 3),
                    "retry_on_error": [RedisConnectionError],
                    # Room for bursts when a thousand phones reconnect at once (a restart, a
                    # network blip): redis-py's default pool of 100 per process could run out.
                    "max_connections": max_connections,
                }],
                "prefix": prefix,
            },
        }
    }
