"""Exact copies of the test database's rows, to put a known state back in milliseconds.

Two uses, both for speed only (what a test sees is the same as without them):

* **The state migrations leave** (`keep_initial`, `adopt`). Taken once per test database
  (tests/conftest.py, right after pytest-django creates it, when Django serializes it for
  ``serialized_rollback``); a transactional test (the browser tests) starts from it again by
  replacing every table's rows, instead of Django's JSON round trip (about a second a test).
* **`replay(key, load)`**: the rows a fixture's ``load`` adds (the real record: an import of 41
  commitments and 28 statements with their history, seconds each time) are kept after its first
  run in a test process; afterwards, from exactly the same starting state, they are inserted
  directly (same ids, same values, same history) instead of imported again.

Rows are compared and copied as the database stores them: PostgreSQL's COPY text format, or
SQLite's values. Only tables of installed models are copied (not django_migrations).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

Row = Any  # a COPY line (bytes) on PostgreSQL, a tuple of values on SQLite


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


State = dict[str, Table]


def _tables(connection: BaseDatabaseWrapper) -> list[str]:
    return sorted(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )


def read(connection: BaseDatabaseWrapper) -> State:
    """Every row of every table, sorted (the order rows happen to be stored in is no state)."""
    quote = connection.ops.quote_name
    state: State = {}
    with connection.cursor() as cursor:
        for name in _tables(connection):
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(name)} TO STDOUT") as copy:
                    data = b"".join(bytes(chunk) for chunk in copy)
                rows: list[Row] = data.splitlines(keepends=True)
                rows.sort()
                columns: tuple[str, ...] = ()
            else:
                cursor.execute(f"SELECT * FROM {quote(name)}")
                columns = tuple(column[0] for column in cursor.description)
                rows = sorted(cursor.fetchall(), key=repr)
            state[name] = Table(name, columns, tuple(rows))
    return state


def fingerprint(state: State) -> str:
    digest = hashlib.sha256()
    for table in state.values():
        digest.update(repr((table.name, table.columns, table.rows)).encode())
    return digest.hexdigest()


def _sqlite_value(value: Any) -> Any:
    # Django's SQLite backend stores times as their text; dates, datetimes and decimals have
    # adapters (registered by Django) that write them back exactly as they were read.
    if isinstance(value, datetime.time):
        return value.isoformat()
    return value


def _check_test_database(connection: BaseDatabaseWrapper) -> None:
    """Never write anywhere but in a test database (pytest-django's, test_… or in memory)."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return
    if not name.rsplit("/", 1)[-1].startswith("test_"):
        raise RuntimeError(f"tests.snapshots: {name!r} is not a test database")


def insert(connection: BaseDatabaseWrapper, tables: Iterable[Table]) -> None:
    """Insert the rows as they are (ids included). Foreign keys are checked at commit."""
    _check_test_database(connection)
    tables = list(tables)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            if not table.rows:
                continue
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table.name)} FROM STDIN") as copy:
                    copy.write(b"".join(table.rows))
                continue
            columns = ", ".join(quote(column) for column in table.columns)
            per_row = len(table.columns)
            # SQLite takes at most 999 parameters per statement (older builds).
            chunk = max(1, 999 // per_row)
            for start in range(0, len(table.rows), chunk):
                rows = table.rows[start : start + chunk]
                values = ", ".join(["(" + ", ".join(["%s"] * per_row) + ")"] * len(rows))
                cursor.execute(
                    f"INSERT INTO {quote(table.name)} ({columns}) VALUES {values}",
                    [_sqlite_value(value) for row in rows for value in row],
                )
        if connection.vendor == "postgresql":
            # Rows came with their ids: each sequence must follow the largest id now stored, or
            # the next row saved the ordinary way takes an id already used (a flush between
            # tests may have set a sequence back below the ids of rows inserted here).
            # Many-to-many tables too (auto-created models): a test may have set theirs back
            # (tests/exchange/conftest.reset_sequences), and an import then writes links.
            filled = {table.name for table in tables if table.rows}
            models = [
                m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in filled
            ]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def restore(connection: BaseDatabaseWrapper, state: State) -> None:
    """Make every table hold exactly the rows of `state`, in one transaction."""
    _check_test_database(connection)
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            for name in state:
                cursor.execute(f"DELETE FROM {quote(name)}")
        insert(connection, state.values())
    _forget_caches()


#: The rows of every table as migrations left them, by database alias.
_initial: dict[str, State] = {}


def keep_initial(connection: BaseDatabaseWrapper) -> None:
    """Keep the rows of a test database just created, and `adopt` its connection."""
    _initial[connection.alias] = read(connection)
    adopt(connection)


def adopt(connection: BaseDatabaseWrapper) -> None:
    """Make pytest-django's serialized rollback of this connection object copy the kept rows
    back (`restore`) instead of loading Django's JSON of them.

    Django keeps one connection object per thread, but in an asyncio context (Playwright's
    synchronous API leaves its loop marked as running in the test's thread) another one: a
    browser test may get a connection object that is not the one the serialized contents were
    stored on. `adopt` that one too (tests/browser/conftest.py)."""
    connection._test_serialized_contents = "kept by tests.snapshots"  # type: ignore[attr-defined]
    connection.creation.deserialize_db_from_string = functools.partial(  # type: ignore[method-assign]
        _restore_initial, connection
    )
    if connection.vendor == "postgresql":
        # The flush after a transactional test: DELETE, not TRUNCATE, which on PostgreSQL
        # makes new files for every table (seconds for ~80 tables of a few rows each).
        connection.ops.sql_flush = functools.partial(  # type: ignore[method-assign]
            _sql_flush, connection.ops.sql_flush, connection.ops.quote_name
        )


def adopted(connection: BaseDatabaseWrapper) -> bool:
    return isinstance(connection.creation.deserialize_db_from_string, functools.partial)


def _restore_initial(connection: BaseDatabaseWrapper, serialized: str) -> None:
    restore_initial(connection)


def _sql_flush(
    original: Callable[..., list[str]],
    quote: Callable[[str], str],
    style: Any,
    tables: Iterable[str],
    *,
    reset_sequences: bool = False,
    allow_cascade: bool = False,
) -> list[str]:
    if reset_sequences or allow_cascade:
        return original(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    # Foreign keys are deferred to the end of the flush's transaction: any order will do.
    return [f"DELETE FROM {quote(table)};" for table in tables]


def kept_initial(connection: BaseDatabaseWrapper) -> bool:
    """Whether the rows migrations left are kept for this connection (`keep_initial`)."""
    return connection.alias in _initial


def restore_initial(connection: BaseDatabaseWrapper) -> None:
    """Every table back to the rows migrations left."""
    restore(connection, _initial[connection.alias])


def added(before: State, after: State) -> list[Table] | None:
    """The rows `after` has beyond `before`; None if any row of `before` changed or went."""
    tables = []
    for name, old in before.items():
        new = after[name]
        if new.columns != old.columns:
            return None
        if old.rows == new.rows:
            continue
        extra = Counter(map(_key, new.rows))
        extra.subtract(Counter(map(_key, old.rows)))
        if any(count < 0 for count in extra.values()):
            return None
        rows = []
        for row in new.rows:
            if extra[_key(row)] > 0:
                extra[_key(row)] -= 1
                rows.append(row)
        tables.append(Table(name, new.columns, tuple(rows)))
    return tables


def _key(row: Row) -> Hashable:
    return row if isinstance(row, bytes) else repr(row)


def _forget_caches() -> None:
    """Rows written behind the ORM's back: drop what this process remembers of the record
    (the portal's page cache is keyed by the history's ids and dates, which a replay repeats),
    so pages are computed again exactly as after a real import."""
    from django.core.cache import cache

    from adelante.portal.caching import forget_stamp

    cache.clear()
    forget_stamp()


@dataclass(frozen=True)
class _Replay:
    before: str
    rows: list[Table]


_replays: dict[tuple[Hashable, ...], _Replay] = {}


def replay(key: Hashable, load: Callable[[], object]) -> bool:
    """Run `load` (which must only add rows), or insert the rows it added last time if the
    database is in exactly the state it was in then. Returns True when it replayed.

    `key` must name everything `load` depends on besides the database (files and their
    contents). A load that changed or deleted rows, or a different starting state, is simply
    run again.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    before = read(connection)
    stamp = fingerprint(before)
    # Rows carry the time they were written (history): a replay on another day (a run across
    # midnight, a test that moves the clock) loads again.
    full_key = (connection.vendor, connection.settings_dict["NAME"], timezone.localdate(), key)
    known = _replays.get(full_key)
    if known is not None and known.before == stamp:
        with transaction.atomic():
            insert(connection, known.rows)
        _forget_caches()
        return True
    load()
    rows = added(before, read(connection))
    if rows is not None:
        _replays[full_key] = _Replay(stamp, rows)
    return False


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_real_record() -> None:
    """`adelante.exchange.real_record.load_real_record()`, replayed after its first run in a
    process."""
    from adelante.exchange import real_record

    key = (
        "load_real_record",
        file_digest(real_record.COMMITMENTS),
        file_digest(real_record.STATEMENTS),
        file_digest(real_record.TRANSLATIONS),
    )
    replay(key, real_record.load_real_record)
