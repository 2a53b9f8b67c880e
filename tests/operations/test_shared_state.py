"""Shared state in Redis (REDIS_URL): the settings it gives, /readyz when Redis is gone, and, with
the real Redis on 127.0.0.1:6379, API rate limits and cached pages shared between processes.

The real-Redis tests skip when nothing answers there, unless ADELANTE_REQUIRE_REDIS=1 (.ci/run),
which makes that a failure. Each test has its own key prefix and deletes its keys afterwards, so
parallel workers and runs never meet.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from adelante.operations.shared_state import REDIS_BACKEND, cache_settings
from tests import builders

REDIS_URL = "redis://127.0.0.1:6379/0"
#: A port nothing listens on.
CLOSED = "redis://127.0.0.1:1/0"
#: A window that does not end during the test (the count would start again).
FOREVER = 10**9
MAY = datetime.date(2021, 5, 27)


def test_without_redis_url_nothing_changes():
    assert cache_settings({}) == {}
    assert cache_settings({"REDIS_URL": "  ", "ADELANTE_CACHE_PREFIX": "x"}) == {}


def test_redis_url_gives_the_redis_cache_a_prefix_and_cached_sessions():
    found = cache_settings({"REDIS_URL": "rediss://:secret@cache.example.org:6380/2"})
    default = found["CACHES"]["default"]
    assert default["BACKEND"] == REDIS_BACKEND == "adelante.operations.shared_state.RedisCache"
    assert default["LOCATION"] == "rediss://:secret@cache.example.org:6380/2"
    assert default["KEY_PREFIX"] == "adelante"
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    named = cache_settings({"REDIS_URL": REDIS_URL, "ADELANTE_CACHE_PREFIX": "site-b"})
    assert named["CACHES"]["default"]["KEY_PREFIX"] == "site-b"


def test_a_redis_url_of_another_kind_is_a_one_line_error():
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must start with redis://"):
        cache_settings({"REDIS_URL": "memcached://127.0.0.1:11211"})


@pytest.mark.django_db
def test_readyz_names_the_cache_when_redis_does_not_answer(client):
    with override_settings(CACHES=cache_settings({"REDIS_URL": CLOSED})["CACHES"]):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["checks"]["database"] == "ok"


# -- The real Redis ------------------------------------------------------------------------------


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own on the real Redis; its keys are deleted afterwards."""
    if not _redis_answers():
        if os.environ.get("ADELANTE_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is required (ADELANTE_REQUIRE_REDIS=1) but 127.0.0.1:6379 is closed")
        pytest.skip("no Redis on 127.0.0.1:6379 (ADELANTE_REQUIRE_REDIS=1 makes this a failure)")
    import redis

    name = f"adelante-test-{uuid.uuid4().hex}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{name}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _settings(prefix: str, **more: Any) -> override_settings:
    found = cache_settings({"REDIS_URL": REDIS_URL, "ADELANTE_CACHE_PREFIX": prefix})
    return override_settings(CACHES=found["CACHES"], **more)


def _process(prefix: str, tmp_path: Path, code: str) -> subprocess.Popen[str]:
    """Another server process: the package's settings with REDIS_URL, and no database."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        REDIS_URL=REDIS_URL,
        ADELANTE_CACHE_PREFIX=prefix,
        API_RATE_LIMIT_ANONYMOUS=f"250/{FOREVER}",
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
        ADELANTE_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="adelante.settings",
        LOG_LEVEL="ERROR",
    )
    script = "import django, json; django.setup()\n" + code
    return subprocess.Popen(
        [sys.executable, "-c", script],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _answer(process: subprocess.Popen[str]) -> Any:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.django_db
def test_two_processes_count_the_api_rate_limit_together(client, prefix, tmp_path):
    """Two processes at once count 200 requests each of one client (the middleware's own call)
    against a limit of 250: exactly 250 pass (counting is atomic in Redis); then a request
    to this process, a third, is refused with 429."""
    code = (
        "import time\n"
        "from django.conf import settings\n"
        "from django.core.cache import cache\n"
        "from adelante.api import ratelimit\n"
        "assert settings.CACHES['default']['BACKEND'].endswith('RedisCache')\n"
        "assert settings.SESSION_ENGINE.endswith('cached_db')\n"
        "cache.add('start', 0); cache.incr('start')\n"
        "for _ in range(500):  # both at once: wait (up to 5 s) for the other\n"
        "    if cache.get('start') >= 2: break\n"
        "    time.sleep(0.01)\n"
        "limit = ratelimit.limit_for(False)\n"
        "passed = [ratelimit.hit('addr:127.0.0.1', limit).allowed for _ in range(200)]\n"
        "print(json.dumps(passed))\n"
    )
    first = _process(prefix, tmp_path / "a", code)
    second = _process(prefix, tmp_path / "b", code)
    passed = _answer(first) + _answer(second)
    assert len(passed) == 400
    assert passed.count(True) == 250
    with _settings(prefix, API_RATE_LIMIT_ANONYMOUS=f"250/{FOREVER}"):
        refused = client.get("/api/v1/nowhere")
        assert refused.status_code == 429
        assert refused["RateLimit-Remaining"] == "0"
        # Another client still has its own count.
        assert client.get("/api/v1/nowhere", REMOTE_ADDR="10.9.8.7").status_code == 404


@pytest.mark.django_db
def test_a_page_cached_by_one_process_is_served_to_another(client, prefix, tmp_path):
    import redis

    builders.commitment("Alpha Corp", "300000000", MAY, countries={"GT": Decimal(60)})
    with _settings(prefix, PORTAL_PAGE_CACHE=True, PORTAL_STAMP_SECONDS=0):
        page = client.get("/en/countries/gt/")
        assert page.status_code == 200
        raw = redis.Redis.from_url(REDIS_URL)
        try:
            keys = sorted(k.decode() for k in raw.scan_iter(match=f"{prefix}:*"))
        finally:
            raw.close()
        # (Besides the page: its figures, and the note of the URL's latest rendering, which
        # serves a stale page while the next one is made: docs/portal.md.)
        pages = [k for k in keys if ".page." in k and ".figure." not in k and ".latest." not in k]
        figures = [k for k in keys if ".page.figure." in k]
        assert len(pages) == 1 and figures  # the page, and the figures it remembered
        key = pages[0].split(":", 2)[2]  # "<prefix>:<version>:<key>"
        # Another process reads the very page this one rendered.
        reader = _process(
            prefix,
            tmp_path,
            "import hashlib\n"
            "from django.core.cache import cache\n"
            f"entry = cache.get({key!r})\n"
            "print(json.dumps([hashlib.sha256(entry['content']).hexdigest(),"
            " entry['content_type']]))\n",
        )
        assert _answer(reader) == [hashlib.sha256(page.content).hexdigest(), page["Content-Type"]]
        # A new connection (as a new worker has) serves it from Redis: one query, the stamp.
        fresh = _settings(prefix, PORTAL_PAGE_CACHE=True, PORTAL_STAMP_SECONDS=0)
        with fresh, CaptureQueriesContext(connection) as queries:
            again = client.get("/en/countries/gt/")
        assert again.content == page.content
        assert len(queries.captured_queries) == 1


def test_a_restore_empties_only_this_sites_keys(prefix):
    """Django's clear() on Redis empties the whole Redis database; ours only this prefix's."""
    from django.core.cache import caches

    from adelante.operations.shared_state import clear_cache

    neighbour = f"{prefix}-neighbour"
    try:
        with _settings(neighbour):
            caches["default"].set("page", "theirs")
        with _settings(prefix):
            caches["default"].set("page", "ours")
            clear_cache()
            assert caches["default"].get("page") is None
        with _settings(neighbour):
            assert caches["default"].get("page") == "theirs"
    finally:
        with _settings(neighbour):
            caches["default"].delete("page")


def test_the_rate_limit_window_counts_each_request_once_and_expires(prefix):
    """One script per request (operations/shared_state.RedisCache.count_in_window): the first
    count starts the window with its expiry, the next ones add one each."""
    import redis
    from django.core.cache import caches

    with _settings(prefix):
        cache = caches["default"]
        assert [cache.count_in_window("window", 30) for _ in range(3)] == [1, 2, 3]
        client = redis.Redis.from_url(REDIS_URL)
        try:
            assert 0 < client.ttl(cache.make_key("window")) <= 30
        finally:
            client.close()
