"""Limits on what a resident can repeat: reports, saved searches, board posts, requests, listings,
messages. One mechanism for all of them: services call `rate_limit` before they write, it raises
`RateLimited` when a limit is full, and `RateLimitMiddleware` turns that into a 429 page (JSON for
API callers) with a Retry-After header, in one place.

Counted in Django's cache (Redis in production, shared by every process; locmem in development),
like allauth's limits on logins. Each limit's period is cut into SLICES slices, each an atomic
counter (`cache.incr`), so two requests at the same moment cannot both take the last place. An
action is counted for SLICES + 1 slices, between one period and one period and a slice: never more
than `limit` in any one period, and the wait is at most a slice longer than the period.
"""

import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

SLICES = 10


class RateLimited(Exception):
    """Refused because a limit is full; nothing was written. `retry_after`: seconds to wait."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    """At most `limit` of `action` per `period` for one key; `message` says so to the person."""

    action: str
    limit: int
    period: timedelta
    message: str


def rate_limit(key: object, *limits: Limit) -> None:
    """Count one action against each of `limits` for `key` (usually a user's id).

    When one is full, none is counted and RateLimited is raised with its message and wait, so a
    service calls this before it writes anything and a refused request leaves no trace.
    """
    counted: list[str] = []
    for limit in limits:
        name, refusal = _consume(key, limit)
        if refusal is not None:
            for earlier in counted:
                cache.decr(earlier)
            raise refusal
        counted.append(name)


def _consume(key: object, limit: Limit) -> tuple[str, RateLimited | None]:
    width = max(1, math.ceil(limit.period.total_seconds() / SLICES))
    now = time.time()
    current = int(now // width)
    slices = range(current - SLICES, current + 1)
    names = {index: f"ratelimit:{limit.action}:{key}:{width}:{index}" for index in slices}
    counts = cache.get_many([names[index] for index in slices if index != current])
    timeout = (SLICES + 2) * width
    try:  # most actions are not the first of their slice: one round trip fewer to the cache than add, then incr
        mine = cache.incr(names[current])
    except ValueError:  # the first of its slice (or the slice expired meanwhile)
        cache.add(names[current], 0, timeout=timeout)
        mine = cache.incr(names[current])
    by_slice = {index: counts.get(names[index], 0) for index in slices}
    by_slice[current] = mine
    if sum(by_slice.values()) <= limit.limit:
        return names[current], None
    cache.decr(names[current])  # a refused attempt does not count
    by_slice[current] -= 1
    # The wait ends when enough of the oldest slices have left the window to free one place.
    remaining = sum(by_slice.values())
    retry_at = (current + SLICES + 1) * width
    for index in slices:
        remaining -= by_slice[index]
        if remaining < limit.limit:
            retry_at = (index + SLICES + 1) * width
            break
    return names[current], RateLimited(limit.message, retry_after=max(1, math.ceil(retry_at - now)))


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or (
        request.accepts("application/json") and not request.accepts("text/html")
    )


def rate_limited_response(request: HttpRequest, refusal: RateLimited) -> HttpResponse:
    """The 429 answer: the site's page saying what was refused and from when to try again, or
    JSON for an API caller; both with Retry-After."""
    if _wants_json(request):
        response = JsonResponse({"detail": str(refusal.message), "retry_after": refusal.retry_after}, status=429)
    else:
        retry_at = timezone.localtime() + timedelta(seconds=refusal.retry_after)
        response = render(request, "429.html", {"refusal": refusal, "retry_at": retry_at}, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


class RateLimitMiddleware:
    """Turns a RateLimited raised anywhere in a view into the 429 answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return rate_limited_response(request, exception)
        return None
