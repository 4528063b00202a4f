"""The public API's limit per client address (MIRROR_API_RATE), counted by core.ratelimit.

django-ninja's own throttle keeps the time of every request of the window in one cache entry,
read and written whole on every request: its cost grows with the limit, and two requests at the
same moment (two threads, two workers) can both write it, so one of them is not counted.
core.ratelimit counts in atomic slices of constant size. Client addresses, proxies and the
answer (429 with Retry-After) stay ninja's.
"""

import threading
from datetime import timedelta

from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle

from core.ratelimit import Limit, RateLimited, rate_limit


class AddressThrottle(AnonRateThrottle):
    def __init__(self, rate: str) -> None:
        super().__init__(rate)
        self._refused = threading.local()  # one instance serves every thread: the wait is per thread

    def allow_request(self, request: HttpRequest) -> bool:
        key = self.get_cache_key(request)
        if key is None:
            return True
        try:
            rate_limit(key, Limit(action="api", limit=self.num_requests, period=timedelta(seconds=self.duration), message=""))
        except RateLimited as refusal:
            self._refused.retry_after = refusal.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return getattr(self._refused, "retry_after", None)
