"""A fixed-window rate limit per client (a token, or else an address), kept in Django's cache.

Limits are "requests/seconds" strings from settings (`API_RATE_LIMIT_ANONYMOUS`,
`API_RATE_LIMIT_TOKEN`). With several server processes, set `REDIS_URL` (docs/deploy.md,
"Shared state") so they count together; without it the local-memory cache counts per process.
On Redis the window is started and counted in one transaction (SET NX and INCR,
`shared_state.RedisCache.count_in_window`), so processes counting at once never lose a request:
the window's count is exactly the number of requests made in it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

CACHE_ALIAS = "default"


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        try:
            requests, seconds = (int(part) for part in text.split("/"))
        except ValueError:
            raise ImproperlyConfigured(
                f"a rate limit is 'requests/seconds', e.g. '120/60', not {text!r}"
            ) from None
        if requests < 1 or seconds < 1:
            raise ImproperlyConfigured(f"a rate limit needs positive numbers, not {text!r}")
        return cls(requests, seconds)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: Limit
    remaining: int
    #: Seconds until the window resets.
    reset: int


def limit_for(authenticated: bool) -> Limit:
    name = "API_RATE_LIMIT_TOKEN" if authenticated else "API_RATE_LIMIT_ANONYMOUS"
    return Limit.parse(str(getattr(settings, name, "120/60")))


def hit(client: str, limit: Limit, *, now: float | None = None) -> Decision:
    """Count one request of `client` in the current window and say whether it may go on."""
    now = time.time() if now is None else now
    window = int(now // limit.seconds)
    key = f"adelante:api-rate:{client}:{limit.seconds}:{window}"
    cache = caches[CACHE_ALIAS]
    count_in_window = getattr(cache, "count_in_window", None)
    if count_in_window is not None:  # Redis (operations/shared_state.py): one round trip
        count = int(count_in_window(key, limit.seconds + 1))
    else:
        # add() only sets a missing key, so the first request of a window starts the count.
        cache.add(key, 0, timeout=limit.seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=limit.seconds + 1)
            count = 1
    reset = max(1, math.ceil((window + 1) * limit.seconds - now))
    return Decision(count <= limit.requests, limit, max(0, limit.requests - count), reset)
