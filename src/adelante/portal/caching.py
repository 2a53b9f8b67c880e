"""Whole-page caching keyed by the state of the record, so a page is computed once per change.

Every change to the record leaves a row in a history table (django-simple-history), so the
largest history id and the latest history date of every history table identify the record's
state; reading them is one statement of index look-ups, however large the record. A cached
page is served only while that state, the day (pages default to today) and the URL (with its
language and query string) are unchanged; any save, import or deletion makes a new key.
Synthetic data written in bulk (benchmarks/) keeps history too, and so does its note of each data
set, so a bulk load or wipe changes the key like any other change.

Confidential amounts (DOMAIN rule 7): the cache holds public pages and public figures only.
A public page is computed from public figures, which are the same whatever the confidential
amounts are, so what the cache serves cannot differ with them either. A page or a figure for
the roles allowed to see confidential amounts is never stored here nor served from here:
`remembered` computes a non-public figure afresh every time, and `cached_page` serves and
stores only anonymous requests (signed-in readers get the page computed for them, and a
response marked `private` or varying with the session is never stored).
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from adelante import history
from adelante.figures.audience import Audience

#: Seconds a page may stay in the cache; the key changes with the record anyway.
TIMEOUT = 24 * 3600
_PREFIX = "adelante.portal.page"

View = Callable[..., HttpResponse]
T = TypeVar("T")

#: The record's stamp for the request being answered (read once per request).
_stamp: ContextVar[str | None] = ContextVar("adelante_portal_stamp", default=None)


def _stamp_sql() -> str:
    quote = connection.ops.quote_name
    # Only tables that exist: an app whose migrations have not run yet has no history to read.
    existing = set(connection.introspection.table_names())
    parts = []
    for model in apps.get_models():
        if not model.__name__.startswith("Historical") or model._meta.db_table not in existing:
            continue
        # History rows, and the many-to-many rows saved with them, have their own id; history
        # rows also their date (ids are reused after a rollback, dates are not).
        columns = {field.column for field in model._meta.concrete_fields}
        table = quote(model._meta.db_table)
        for column in ("history_id", "m2m_history_id", "history_date"):
            if column in columns:
                parts.append(f"(SELECT MAX({quote(column)}) FROM {table})")
    # Official aid (IATI) keeps no history: each import stamps its activities instead.
    aid = apps.get_model("iati", "AidActivity")
    if aid._meta.db_table in existing:
        table = quote(aid._meta.db_table)
        parts.append(f"(SELECT MAX({quote('id')}) FROM {table})")
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        parts.append(f"(SELECT MAX({quote('imported_at')}) FROM {table})")
    return "SELECT " + ", ".join(parts)


@functools.cache
def _cached_stamp_sql(vendor: str) -> str:
    return _stamp_sql()


def record_stamp() -> str:
    """A short text that changes whenever anything in the record changes."""
    with connection.cursor() as cursor:
        cursor.execute(_cached_stamp_sql(connection.vendor))
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:24]


# The stamp as last read, and when (monotonic seconds); None when it must be read again.
_trusted: tuple[float, str] | None = None


def trusted_stamp() -> str:
    """The record's stamp, read again at most every `PORTAL_STAMP_SECONDS` (default 0: every
    time). A save or deletion in this process forgets it at once (signals, below), so only
    changes made elsewhere (another worker, a bulk load) wait up to that many seconds; on
    PostgreSQL that spares every cached page a round trip to the database."""
    global _trusted
    seconds = float(getattr(settings, "PORTAL_STAMP_SECONDS", 0))
    now = time.monotonic()
    known = _trusted
    if seconds > 0 and known is not None and now - known[0] < seconds:
        return known[1]
    stamp = record_stamp()
    _trusted = (now, stamp)
    return stamp


def forget_stamp(*args: Any, **kwargs: Any) -> None:
    global _trusted
    _trusted = None


# Any model saved or deleted in this process (history rows included) may change the record.
post_save.connect(forget_stamp, dispatch_uid="adelante.portal.caching.save")
post_delete.connect(forget_stamp, dispatch_uid="adelante.portal.caching.delete")
m2m_changed.connect(forget_stamp, dispatch_uid="adelante.portal.caching.m2m")
# Rows written in bulk (an import) send no post_save.
history.written_in_bulk.connect(forget_stamp, dispatch_uid="adelante.portal.caching.bulk")


def enabled() -> bool:
    return bool(getattr(settings, "PORTAL_PAGE_CACHE", True))


def cached_page(view: View) -> View:
    """Serve a page from the cache while the record is unchanged; cache only full 200 pages."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not enabled() or _signed_in(request):
            return view(request, *args, **kwargs)
        cache = caches["default"]
        url = request.get_full_path()
        stamp = trusted_stamp()
        token = _stamp.set(stamp)
        try:
            return _serve(cache, stamp, url, view, request, *args, **kwargs)
        finally:
            _stamp.reset(token)

    return wrapper


def _serve(
    cache: Any, stamp: str, url: str, view: View, request: HttpRequest, *args: Any, **kwargs: Any
) -> HttpResponse:
    raw = f"{stamp}|{timezone.localdate()}|{get_language()}|{url}"
    key = f"{_PREFIX}.{hashlib.sha256(raw.encode()).hexdigest()}"
    hit = cache.get(key)
    if hit is not None:
        content, content_type = hit
        return HttpResponse(content, content_type=content_type)
    response = view(request, *args, **kwargs)
    if (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not _private(response)
    ):
        cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
    return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _private(response: HttpResponse) -> bool:
    """A response meant for one reader: never stored for everyone."""
    control = response.get("Cache-Control", "").lower()
    return "private" in control or "no-store" in control


def remembered(compute: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`compute(*args, **kwargs)` — a figures function — remembered while the record is
    unchanged, so that pages in both languages and pages that share a figure (the overview and
    the country index) compute it once. The results are small immutable values."""
    if not enabled() or kwargs.get("audience", Audience.PUBLIC) is not Audience.PUBLIC:
        # Only public figures are shared between readers (rule 7).
        return compute(*args, **kwargs)
    stamp = _stamp.get() or trusted_stamp()
    name = f"{compute.__module__}.{compute.__qualname__}"
    raw = f"{stamp}|{name}|{args!r}|{sorted(kwargs.items())!r}"
    key = f"{_PREFIX}.figure.{hashlib.sha256(raw.encode()).hexdigest()}"
    found = caches["default"].get(key)
    if found is None:
        found = compute(*args, **kwargs)
        caches["default"].set(key, found, TIMEOUT)
    return cast(T, found)
