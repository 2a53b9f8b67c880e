"""Backup and restore: the database in its engine's own format, the stored files, and a manifest
of checksums (docs/deploy.md, "Backup and restore").

A backup is a folder::

    manifest.json        format, Adelante's version, engine, date, applied migrations, and the
                         size and SHA-256 of every other file in the folder
    database.sqlite3     SQLite: a copy made with SQLite's online backup API, or
    database.dump        PostgreSQL: `pg_dump --format=custom`
    files/<name>         every file of the default storage (evidence, due-diligence documents,
                         uploaded imports), under its storage name

Restoring checks every checksum first (and refuses a folder with a file missing, changed or not
in the manifest, naming it), then refuses a database or a storage that is not empty unless
forced, then puts the database back (SQLite's backup API; `pg_restore` in one transaction) and
the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from adelante import __version__
from adelante.errors import Conflict, Invalid
from adelante.operations import shared_state

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
#: The readiness probe's scratch files (operations/health.py): never part of a backup.
SKIPPED_DIRS = frozenset({"readyz"})
CHUNK = 1024 * 1024
#: SQLite pages copied per step of the online backup (4 MiB with 4 KiB pages).
SQLITE_STEP = 1024


def _bar(progress: bool, **kwargs: Any) -> tqdm[Any]:
    """A progress bar on standard error, shown only on a terminal (as the other commands')."""
    return tqdm(file=sys.stderr, disable=None if progress else True, **kwargs)


def sha256_of(path: Path, advance: Callable[[int], object] | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            if advance is not None:
                advance(len(chunk))
    return digest.hexdigest()


def _connection() -> BaseDatabaseWrapper:
    return connections[DEFAULT_DB_ALIAS]


def engine() -> str:
    vendor = str(_connection().vendor)
    if vendor not in DUMPS:
        raise Invalid(
            _("Backups support SQLite and PostgreSQL, not %(engine)s.") % {"engine": vendor}
        )
    return vendor


def applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(_connection())
    return sorted([app, name] for app, name in recorder.applied_migrations())


def stored_names(storage: Storage = default_storage, directory: str = "") -> Iterator[str]:
    """Every file's name in the storage, depth first, in name order."""
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for folder in sorted(folders):
        if not directory and folder in SKIPPED_DIRS:
            continue
        yield from stored_names(storage, f"{directory}/{folder}" if directory else folder)


def _safe_name(name: str) -> str:
    """A storage name from a manifest: relative, without `..`, or refused."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise Invalid(_("The manifest names a file outside the backup: %(name)s") % {"name": name})
    return name


# -- PostgreSQL's tools --------------------------------------------------------------------------


def _pg_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore: no password on a command line."""
    settings = connection.settings_dict
    options = settings.get("OPTIONS") or {}
    values = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGOPTIONS": options.get("options"),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise Invalid(
            _(
                "%(tool)s is not installed: install PostgreSQL's client programs "
                "(Debian: postgresql-client), of the server's version or newer."
            )
            % {"tool": name}
        )
    return found


def _run_pg_tool(arguments: list[str], connection: BaseDatabaseWrapper) -> None:
    done = subprocess.run(
        arguments, env=_pg_environment(connection), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit status {done.returncode}"
        raise Invalid(
            _("%(tool)s failed: %(reason)s") % {"tool": Path(arguments[0]).name, "reason": reason}
        )


# -- Backup --------------------------------------------------------------------------------------


def _dump_sqlite(target: Path, progress: bool) -> None:
    connection = _connection()
    if connection.in_atomic_block:
        # SQLite's backup would wait for this very transaction to end, for ever.
        raise Conflict(_("A backup of SQLite cannot run inside a transaction."))
    connection.ensure_connection()
    source = connection.connection
    destination = sqlite3.connect(target)
    try:
        with _bar(progress, desc=_("database"), unit=" pages") as bar:

            def step(status: int, remaining: int, total: int) -> None:
                bar.total = total
                bar.n = total - remaining
                bar.refresh()

            source.backup(destination, pages=SQLITE_STEP, progress=step)
        # A copy of a WAL database says WAL in its header: reading it would leave -wal and
        # -shm files beside it. The backup is one self-contained file.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


def _dump_postgresql(target: Path, progress: bool) -> None:
    with _bar(progress, desc=_("database"), total=1, unit=" dump") as bar:
        _run_pg_tool(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}"],
            _connection(),
        )
        bar.update(1)


def create_backup(*, output: Path, progress: bool = False) -> dict[str, Any]:
    """Back up the database and the stored files into `output` (new or empty); the manifest."""
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise Conflict(
            _("%(path)s is not an empty folder: back up into a new one.") % {"path": output}
        )
    vendor = engine()
    output.mkdir(parents=True, exist_ok=True)
    migrations = applied_migrations()
    dump = output / DUMPS[vendor]
    if vendor == "sqlite":
        _dump_sqlite(dump, progress)
    else:
        _dump_postgresql(dump, progress)
    database = {"engine": vendor, "path": dump.name, "size": dump.stat().st_size}
    database["sha256"] = sha256_of(dump)

    names = list(stored_names())
    files = []
    with _bar(progress, desc=_("files"), total=len(names), unit=" files") as bar:
        for name in names:
            path = output / FILES / PurePosixPath(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with default_storage.open(name, "rb") as source, path.open("wb") as copy:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    copy.write(chunk)
            files.append(
                {
                    "name": name,
                    "path": f"{FILES}/{name}",
                    "size": path.stat().st_size,
                    "sha256": digest.hexdigest(),
                }
            )
            bar.update(1)

    manifest = {
        "format": FORMAT,
        "adelante_version": __version__,
        "created_at": timezone.now().isoformat(),
        "database": database,
        "migrations": migrations,
        "files": files,
    }
    # Written last, whole: a folder without a manifest is no backup.
    partial = output / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    partial.replace(output / MANIFEST)
    return manifest


# -- Restore -------------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Invalid(_("%(path)s: no manifest, so no backup.") % {"path": path}) from None
    except (OSError, ValueError) as exc:
        raise Invalid(
            _("%(path)s: not a readable manifest (%(reason)s).") % {"path": path, "reason": exc}
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Invalid(
            _("%(path)s: not a manifest of this format (%(format)s).")
            % {"path": path, "format": FORMAT}
        )
    return manifest


def verify(directory: Path, *, progress: bool = False) -> dict[str, Any]:
    """The manifest, once every file in the folder matches it: refused otherwise, naming the
    first file that is missing, has another size or checksum, or is not in the manifest."""
    manifest = read_manifest(directory)
    try:
        listed = [manifest["database"], *manifest["files"]]
        expected = {_safe_name(str(e["path"])): (int(e["size"]), str(e["sha256"])) for e in listed}
        for entry in manifest["files"]:
            _safe_name(str(entry["name"]))
    except (KeyError, TypeError, ValueError):
        raise Invalid(
            _("%(path)s: the manifest lacks an entry's path, size or checksum.")
            % {"path": directory / MANIFEST}
        ) from None
    present = {
        p.relative_to(directory).as_posix()
        for p in directory.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    for extra in sorted(present - set(expected)):
        raise Invalid(
            _("%(path)s is not in the backup's manifest: refusing the folder.")
            % {"path": directory / extra}
        )
    total = sum(size for size, _sum in expected.values())
    with _bar(progress, desc=_("checking"), total=total, unit="B", unit_scale=True) as bar:
        for relative, (size, checksum) in expected.items():
            path = directory / PurePosixPath(relative)
            if not path.is_file():
                raise Invalid(_("%(path)s is missing from the backup.") % {"path": path})
            if path.stat().st_size != size or sha256_of(path, bar.update) != checksum:
                raise Invalid(
                    _("%(path)s does not match its checksum in the manifest: refusing the backup.")
                    % {"path": path}
                )
    return manifest


def database_is_empty() -> bool:
    connection = _connection()
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def storage_is_empty() -> bool:
    return next(stored_names(), None) is None


def _unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]


def _empty_database() -> None:
    connection = _connection()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if tables:
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")


def _restore_sqlite(dump: Path, progress: bool) -> None:
    connection = _connection()
    connection.close()
    connection.ensure_connection()
    # Read-only and immutable: reading the backup writes nothing beside it.
    source = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        with _bar(progress, desc=_("database"), unit=" pages") as bar:

            def step(status: int, remaining: int, total: int) -> None:
                bar.total = total
                bar.n = total - remaining
                bar.refresh()

            source.backup(connection.connection, pages=SQLITE_STEP, progress=step)
    finally:
        source.close()
        connection.close()


def _restore_postgresql(dump: Path, force: bool, progress: bool) -> None:
    connection = _connection()
    if force:
        _empty_database()
    connection.close()
    with _bar(progress, desc=_("database"), total=1, unit=" dump") as bar:
        _run_pg_tool(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ],
            connection,
        )
        bar.update(1)


def restore_backup(
    *, directory: Path, force: bool = False, progress: bool = False
) -> dict[str, Any]:
    """Put a backup back into this database and storage, which must be empty unless `force`
    (then what they hold is replaced). Returns the manifest."""
    manifest = verify(directory, progress=progress)
    vendor = engine()
    if manifest["database"].get("engine") != vendor:
        raise Invalid(
            _("This backup is of a %(theirs)s database; this one is %(ours)s.")
            % {"theirs": manifest["database"].get("engine"), "ours": vendor}
        )
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise Invalid(
            _(
                "This backup was made by a newer Adelante (%(version)s; migration %(migration)s "
                "is unknown here): restore it with that version or a newer one."
            )
            % {"version": manifest.get("adelante_version"), "migration": unknown[0]}
        )
    if not force and not database_is_empty():
        raise Conflict(
            _(
                "The database %(name)s is not empty: restore into an empty database, or give "
                "--force to replace what it holds."
            )
            % {"name": _connection().settings_dict["NAME"]}
        )
    if not force and not storage_is_empty():
        raise Conflict(
            _(
                "The file storage is not empty: restore into an empty storage, or give --force "
                "to replace what it holds."
            )
        )

    dump = directory / PurePosixPath(manifest["database"]["path"])
    if vendor == "sqlite":
        _restore_sqlite(dump, progress)
    else:
        _restore_postgresql(dump, force, progress)

    if force:
        for name in list(stored_names()):
            default_storage.delete(name)
    with _bar(progress, desc=_("files"), total=len(manifest["files"]), unit=" files") as bar:
        for entry in manifest["files"]:
            with (directory / PurePosixPath(entry["path"])).open("rb") as source:
                saved = default_storage.save(entry["name"], File(source))
            if saved != entry["name"]:
                raise Conflict(
                    _("The storage kept %(name)s as %(saved)s.")
                    % {"name": entry["name"], "saved": saved}
                )
            bar.update(1)
    # Cached pages and figures belong to the database as it was.
    shared_state.clear_cache()
    return manifest
