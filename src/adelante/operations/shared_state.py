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

Sign-in failure counts are not here: they are rows of the database (accounts/throttle.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
SCHEMES = ("redis", "rediss", "unix")
#: Seconds to wait for Redis before a request fails (and /readyz says "cache"), never hangs.
TIMEOUT_SECONDS = 2.0


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
