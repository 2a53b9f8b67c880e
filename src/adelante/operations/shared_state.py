"""State the server processes share: the cache (and sessions) in Redis when ``REDIS_URL`` is set
(docs/deploy.md, "Shared state").

Without ``REDIS_URL`` nothing changes: Django's local-memory cache, one per process, and sessions
in the database; right for one machine and one process (the embedded setup). With it, the cache
is Django's own Redis backend, so every worker on every machine counts the API's rate limits
together (``add`` and ``incr`` are atomic in Redis) and serves the same cached portal pages;
sessions are kept in the database and read through the cache (``cached_db``), so losing Redis
signs no one out. Every key starts with ``ADELANTE_CACHE_PREFIX`` (default ``adelante``), so
several sites can share one Redis, and clearing the cache (``adelante restore``) deletes only
this site's keys, never the whole Redis database.

The backend is Django's own, with two changes for the hot path of cached reads
(`RedisCache` below): one Redis client per process and pool rather than a new one per call
(redis-py builds its table of reply parsers each time, about a tenth of a millisecond), and
`count_in_window`, the rate limit's "start the window, count one" in one round trip (a
script Redis runs).

Sign-in failure counts are not here: they are rows of the database (accounts/throttle.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends import redis as django_redis
from django.core.exceptions import ImproperlyConfigured

REDIS_BACKEND = "adelante.operations.shared_state.RedisCache"
SCHEMES = ("redis", "rediss", "unix")
#: Seconds to wait for Redis before a request fails (and /readyz says "cache"), never hangs.
TIMEOUT_SECONDS = 2.0


class _ClientPerPool(django_redis.RedisCacheClient):
    """Django's client, keeping the `redis.Redis` it makes for each pool (it is thread-safe:
    every command takes a connection from the pool and gives it back)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # (its pools are Django's private API, not in its stubs)
        index = django_client._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = django_client._client(
                connection_pool=django_client._get_connection_pool(write)
            )
        return client


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache backend, with a client kept per pool and `count_in_window`."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ClientPerPool
        self._scripts: dict[int, Any] = {}

    def count_in_window(self, key: str, seconds: int) -> int:
        """Count one more in the window `key` (which ends `seconds` from its first count): the
        count so far, this one included. One script run by Redis, one round trip: atomic, so
        processes counting at once never lose one, and the key always expires."""
        full = self.make_and_validate_key(key)
        client = self._cache.get_client(full, write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(_COUNT_IN_WINDOW)
        return int(script(keys=[full], args=[seconds]))


# SET NX starts the window with its expiry; INCR counts (both in one step of Redis's).
_COUNT_IN_WINDOW = """
redis.call('SET', KEYS[1], 0, 'NX', 'EX', ARGV[1])
return redis.call('INCR', KEYS[1])
"""


def cache_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """``CACHES`` and ``SESSION_ENGINE`` from the environment: Redis with ``REDIS_URL``,
    otherwise Django's defaults (nothing set)."""
    url = environ.get("REDIS_URL", "").strip()
    if not url:
        return {}
    scheme = urlsplit(url).scheme
    if scheme not in SCHEMES:
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix://, not {scheme or url!r}."
        )
    prefix = environ.get("ADELANTE_CACHE_PREFIX", "").strip() or "adelante"
    return {
        "CACHES": {
            "default": {
                "BACKEND": REDIS_BACKEND,
                "LOCATION": url,
                "KEY_PREFIX": prefix,
                # Passed to redis-py's connection pool.
                "OPTIONS": {
                    "socket_connect_timeout": TIMEOUT_SECONDS,
                    "socket_timeout": TIMEOUT_SECONDS,
                },
            }
        },
        "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
    }


def clear_cache() -> None:
    """Empty this site's cache: on Redis only the keys under this site's prefix (Django's own
    ``clear()`` there empties the whole Redis database, other sites' keys included)."""
    from django.core.cache import caches

    from adelante.operations.local_copies import copies

    copies.clear()
    cache = caches["default"]
    config = _default_config()
    if config.get("BACKEND") != REDIS_BACKEND:
        cache.clear()
        return
    import redis

    # The keys Django writes are "<prefix>:<version>:<key>" (make_key); the prefix is matched
    # literally (glob characters escaped).
    pattern = re.sub(r"([*?\[\]\\])", r"\\\1", cache.key_prefix) + ":*"
    client = redis.Redis.from_url(str(config["LOCATION"]), **dict(config.get("OPTIONS") or {}))
    try:
        batch: list[Any] = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
    finally:
        client.close()


def _default_config() -> Mapping[str, Any]:
    from django.conf import settings

    return dict(getattr(settings, "CACHES", {}).get("default", {}))
