"""The count of open websocket connections, kept in the cache for /metrics (config/metrics.py).

Websockets are served by other processes than the one a scrape reaches, so each consumer adds
one when it accepts a connection and takes it back when that connection closes, in the shared
cache (Redis in production; the embedded default serves pages and websockets in one process).
An approximation: a process killed without closing its connections leaves them counted until the
key is reset (a cache restart or `websocket_count_reset()`), and a cache restart forgets the open
ones (the count never goes below 0 on the page).
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

WEBSOCKETS_KEY = "metrics:websockets:open"


async def websocket_opened() -> None:
    """Count one more open websocket. Best effort: a cache that is down (a Redis restart) costs
    the figure, never the resident's connection."""
    try:
        await cache.aadd(WEBSOCKETS_KEY, 0, timeout=None)
        try:
            await cache.aincr(WEBSOCKETS_KEY)
        except ValueError:  # evicted between the two calls
            await cache.aset(WEBSOCKETS_KEY, 1, timeout=None)
    except Exception:  # noqa: BLE001 - whatever the cache backend raises
        logger.warning("websocket count not updated: the cache did not answer", exc_info=True)


async def websocket_closed() -> None:
    try:
        await cache.adecr(WEBSOCKETS_KEY)
    except ValueError:  # the cache restarted meanwhile: nothing to take back
        pass
    except Exception:  # noqa: BLE001 - a cache that is down must not break the disconnect
        logger.warning("websocket count not updated: the cache did not answer", exc_info=True)


def websocket_count() -> int:
    return max(0, int(cache.get(WEBSOCKETS_KEY) or 0))


def websocket_count_reset() -> None:
    cache.delete(WEBSOCKETS_KEY)
