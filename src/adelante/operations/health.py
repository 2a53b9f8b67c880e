"""``/healthz`` and ``/readyz`` for load balancers and service managers (docs/deploy.md, "Health").

``/healthz``: the process answers (200 ``ok``); nothing else is touched, the database least of
all. ``/readyz``: the database answers, every migration is applied, the cache keeps a value and
the storage keeps a file; 200 with each part's state, or 503 naming the failing parts, in a small
JSON body. What went wrong is logged (one line, without a traceback), never shown.

Both are answered by a middleware placed right after the request id's, before every other: no
language prefix, no HTTPS redirect, no host check (a load balancer probes by address), no
session, no CSRF, no rate limit. They reveal nothing but the names of the four parts.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from pathlib import Path

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, HttpResponseBase

log = logging.getLogger("adelante.operations.health")

HEALTHZ = "/healthz"
READYZ = "/readyz"
#: The order in which the parts are checked and named.
PARTS = ("database", "migrations", "cache", "storage")
#: Where the storage check writes its small file (and deletes it at once).
PROBE_DIR = "readyz"

Handler = Callable[[HttpRequest], HttpResponseBase]


class Unready(Exception):
    """A part is not ready; the message is logged, not shown."""


def check_database() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite" and not _in_memory(name) and not Path(name).is_file():
        # Connecting would create an empty file: say it is missing instead.
        raise Unready(f"no database file at {name}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _in_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


def check_migrations() -> None:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        migration = plan[0][0]
        raise Unready(
            f"{len(plan)} migrations not applied, first {migration.app_label}.{migration}"
        )


def check_cache() -> None:
    cache = caches["default"]
    key = f"adelante:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=30)
    try:
        if cache.get(key) != "1":
            raise Unready("the cache did not keep a value")
    finally:
        cache.delete(key)


def check_storage() -> None:
    content = uuid.uuid4().hex.encode()
    name = default_storage.save(f"{PROBE_DIR}/{uuid.uuid4().hex}.txt", ContentFile(content))
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != content:
                raise Unready("the storage did not keep a file")
    finally:
        default_storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "storage": check_storage,
}


def readiness() -> dict[str, str]:
    """Each part's state: "ok", "failing", or "not checked" (migrations, when the database is
    failing)."""
    states: dict[str, str] = {}
    for part in PARTS:
        if part == "migrations" and states["database"] != "ok":
            states[part] = "not checked"
            continue
        try:
            CHECKS[part]()
        except Exception as exc:  # any failure of a part is that part failing, never a 500
            states[part] = "failing"
            log.warning("readyz: %s failing: %s: %s", part, type(exc).__name__, exc)
        else:
            states[part] = "ok"
    return states


def _answer(body: str, status: int, content_type: str) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


def healthz() -> HttpResponse:
    return _answer("ok\n", 200, "text/plain; charset=utf-8")


def readyz() -> HttpResponse:
    states = readiness()
    failing = [part for part, state in states.items() if state == "failing"]
    body = {"status": "unavailable" if failing else "ok", "failing": failing, "checks": states}
    return _answer(json.dumps(body) + "\n", 503 if failing else 200, "application/json")


class HealthMiddleware:
    """Answers the two probes before any other middleware sees them."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info.rstrip("/") or "/"
        if path not in {HEALTHZ, READYZ}:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            response = _answer("", 405, "text/plain")
            response["Allow"] = "GET, HEAD"
            return response
        return healthz() if path == HEALTHZ else readyz()
