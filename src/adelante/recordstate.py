"""The record's state as one short text (its "stamp"), and when the record last changed.

Every change to the record leaves a row in a history table (django-simple-history), so the
largest history id and the latest history date of every history table identify the record's
state; reading them is one statement of index look-ups, however large the record. The portal's
page cache and the API's response cache (docs/portal.md, docs/api.md) key what they keep by it.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import condition

from adelante import history


@dataclass(frozen=True)
class State:
    #: A short text that changes whenever anything in the record changes.
    stamp: str
    #: The latest change the stamp covers (None for an empty record).
    changed: datetime.datetime | None


def _stamp_sql() -> str:
    quote = connection.ops.quote_name
    # Only tables that exist: an app whose migrations have not run yet has no history to read.
    existing = set(connection.introspection.table_names())
    parts = []
    for model in apps.get_models():
        if not model.__name__.startswith("Historical") or model._meta.db_table not in existing:
            continue
        # A model whose rows no public page, figure, file or API answer shows (join requests,
        # intake proposals, due diligence, screening, staff accounts) says so
        # (`staff_only_history`): writing them changes nothing public, so it must not empty
        # the page cache. Any other model, and any new one, is in the stamp.
        instance = getattr(model, "instance_type", None)
        if getattr(instance, "staff_only_history", False) is True:
            continue
        columns = {field.column for field in model._meta.concrete_fields}
        table = quote(model._meta.db_table)
        # A model whose rows reach the public only once a column is set (a correction once it
        # is decided) names that column, so that rows written before (an anonymous suggestion)
        # do not change the stamp and so cannot empty the page cache.
        only_when = getattr(instance, "stamp_history_once_set", None)
        where = ""
        if isinstance(only_when, str) and only_when in columns:
            where = f" WHERE {quote(only_when)} IS NOT NULL"
        # History rows, and the many-to-many rows saved with them, have their own id; history
        # rows also their date (ids are reused after a rollback, dates are not).
        for column in ("history_id", "m2m_history_id", "history_date"):
            if column in columns:
                parts.append(f"(SELECT MAX({quote(column)}) FROM {table}{where})")
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


def _latest_time(row: tuple[Any, ...]) -> datetime.datetime | None:
    """The latest of the dates in the stamp's row (SQLite gives them as text)."""
    times = []
    for value in row:
        if isinstance(value, str):
            try:
                value = datetime.datetime.fromisoformat(value)
            except ValueError:
                continue
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=datetime.UTC)
            times.append(value)
    return max(times, default=None)


def record_state() -> State:
    """The record's state, read now (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_cached_stamp_sql(connection.vendor))
        row = tuple(cursor.fetchone() or ())
    stamp = hashlib.sha256(repr(row).encode()).hexdigest()[:24]
    return State(stamp=stamp, changed=_latest_time(row))


def record_stamp() -> str:
    """A short text that changes whenever anything in the record changes."""
    return record_state().stamp


# The state as last read, and when (monotonic seconds); None when it must be read again.
_trusted: tuple[float, State] | None = None


def trusted_state() -> State:
    """The record's state, read again at most every `PORTAL_STAMP_SECONDS` (default 0: every
    time). A save or deletion in this process forgets it at once (signals, below), so only
    changes made elsewhere (another worker, a bulk load) wait up to that many seconds; on
    PostgreSQL that spares every cached page a round trip to the database."""
    global _trusted
    seconds = float(getattr(settings, "PORTAL_STAMP_SECONDS", 0))
    now = time.monotonic()
    known = _trusted
    if seconds > 0 and known is not None and now - known[0] < seconds:
        return known[1]
    state = record_state()
    _trusted = (now, state)
    return state


def trusted_stamp() -> str:
    return trusted_state().stamp


def conditional_on_record(view: Callable[..., Any]) -> Callable[..., Any]:
    """A public GET view whose answer depends only on the record, its URL (query string
    included), the language and the day: it carries an ETag of those and answers 304 Not
    Modified to a reader who already has it (the pages the portal's page cache does not keep:
    downloads, the downloads page)."""

    def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        raw = "|".join(
            (
                trusted_stamp(),
                str(timezone.localdate()),
                get_language() or "",
                request.get_full_path(),
            )
        )
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

    return functools.wraps(view)(condition(etag_func=etag)(view))


def forget_stamp(*args: Any, **kwargs: Any) -> None:
    global _trusted
    _trusted = None


# Any model saved or deleted in this process (history rows included) may change the record.
post_save.connect(forget_stamp, dispatch_uid="adelante.portal.caching.save")
post_delete.connect(forget_stamp, dispatch_uid="adelante.portal.caching.delete")
m2m_changed.connect(forget_stamp, dispatch_uid="adelante.portal.caching.m2m")
# Rows written in bulk (an import) send no post_save.
history.written_in_bulk.connect(forget_stamp, dispatch_uid="adelante.portal.caching.bulk")
