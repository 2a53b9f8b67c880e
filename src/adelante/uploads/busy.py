"""A database too busy to write: how to tell, what to answer, and one import at a time.

The embedded SQLite database lets one connection write at a time. Writes queue for up to
`ADELANTE_SQLITE_TIMEOUT` seconds (30 by default; settings.py), so a sign-in made while an
import writes waits for it rather than failing. A write that still cannot get the database
(or, on PostgreSQL, a lock that timed out, a deadlock or a serialisation failure) is
answered 503 with Retry-After, in the reader's language, as a page or, under /api/, as an
RFC 9457 problem: never a 500 (`adelante.uploads.middleware`).

Two imports never run at once (`import_lock`): the second is refused at once, saying so. On
PostgreSQL the lock is a session-level advisory lock; on SQLite, which has no such thing, an
exclusive lock on a file beside the database. Both are released by the system if the process
dies, so no stale lock outlives an import.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

#: Seconds a client is asked to wait before trying again.
RETRY_AFTER = 5
PROBLEM_TYPE = "urn:adelante:problem:busy"
#: PostgreSQL: lock_not_available, deadlock_detected, serialization_failure.
BUSY_SQLSTATES = {"55P03", "40P01", "40001"}
SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
#: The key of the advisory lock of imports on PostgreSQL ("ADLI").
IMPORT_LOCK_KEY = 0x41444C49


def is_busy(error: BaseException) -> bool:
    """Whether the error says the database was too busy (locked), not that the request was
    wrong: the error itself, or the driver's error it was raised from."""
    seen: BaseException | None = error
    for _depth in range(4):
        if seen is None:
            return False
        if isinstance(seen, DatabaseError | sqlite3.OperationalError):
            text = str(seen).lower()
            if any(phrase in text for phrase in SQLITE_BUSY):
                return True
        # psycopg's errors (raised from Django's) carry the SQLSTATE.
        if getattr(seen, "sqlstate", None) in BUSY_SQLSTATES:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def busy_message() -> str:
    return _(
        "The database is busy with another change (an import, perhaps). Nothing was changed; "
        "please try again in a moment."
    )


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: a page, or under /api/ a problem document."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        body = {
            "type": PROBLEM_TYPE,
            "title": _("The database is busy"),
            "status": 503,
            "detail": busy_message(),
            "instance": request.get_full_path(),
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False),
            status=503,
            content_type="application/problem+json",
        )
    else:
        # No request context: whatever is busy must not be asked again to make the page.
        page = loader.get_template("adelante/busy.html").render({"message": busy_message()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


# -- One import at a time --------------------------------------------------------------------


class ImportBusy(Exception):
    """Another import is running; nothing was imported."""

    def __init__(self) -> None:
        super().__init__(
            _("Another import is running. Nothing was imported; try again when it has finished.")
        )

    @property
    def message(self) -> str:
        return str(self.args[0])


@contextmanager
def import_lock(using: str = "default") -> Iterator[None]:
    """Hold the import lock while the block runs; `ImportBusy` at once if another holds it."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [IMPORT_LOCK_KEY])
            row = cursor.fetchone()
        if not row or not row[0]:
            raise ImportBusy
        try:
            yield
        finally:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK_KEY])
            except DatabaseError:
                pass  # the connection is gone, and its lock with it
        return
    with _lock_file(_lock_path(using)) as held:
        if not held:
            raise ImportBusy
        yield


def _lock_path(using: str) -> Path:
    """Beside the SQLite database file, or in the data directory for one in memory."""
    name = str(connections[using].settings_dict.get("NAME") or "")
    if name and not name.startswith("file:") and ":memory:" not in name:
        return Path(f"{name}.import-lock")
    folder = Path(getattr(settings, "DATA_DIR", None) or Path.cwd())
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "import.lock"


@contextmanager
def _lock_file(path: Path) -> Iterator[bool]:
    """An exclusive lock on the file, if no other holder has it (any process, any thread):
    yields whether it was got. The system releases it when the process ends."""
    with path.open("a+b") as handle:
        held = _try_lock(handle)
        try:
            yield held
        finally:
            if held:
                _unlock(handle)


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# -- Writing briefly -------------------------------------------------------------------------


def write_stamp(using: str = "default") -> tuple[int, int] | None:
    """On SQLite, a stamp that changes whenever another connection commits (the connection's
    identity and its ``PRAGMA data_version``); None elsewhere, where it cannot be told.

    An import checks its file against the record first, outside any transaction, then writes
    in a short one: if the stamp is the same inside it, nobody wrote in between and the checks
    still hold; otherwise it checks again, under the lock."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return None
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA data_version")
        row = cursor.fetchone()
    return (id(connection.connection), int(row[0])) if row else None
