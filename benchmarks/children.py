"""Child processes of the benchmarks: one per database (or file), each with its DATABASE_URL.

A child measures alone in its process (so that a peak of memory belongs to one file, and a
database's connection and caches to one size), runs `python -m benchmarks …` from this clone
whatever the current directory, and runs as in production: DEBUG off, so no query log.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from django.core.management.base import CommandError

#: The clone's top folder: where `python -m benchmarks` finds this package.
ROOT = Path(__file__).resolve().parent.parent


def environment(database_url: str) -> dict[str, str]:
    """This process's environment, for a child that works on `database_url`."""
    path = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "PYTHONPATH": os.pathsep.join(path),
        # Measured as in production: no query log.
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    }


def postgres_database(server: str, database: str) -> str:
    """The URL of `database` on the PostgreSQL `server` (a URL without a database name),
    created if missing: each size or benchmark keeps its own database, reused on later runs."""
    import psycopg

    server = server.rstrip("/")
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [database]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{database}"')
    except psycopg.Error as exc:
        raise CommandError(f"PostgreSQL at {server}: {exc}") from exc
    return f"{server}/{database}"


def command(*arguments: str) -> list[str]:
    """`python -m benchmarks ARGUMENTS` with this interpreter."""
    return [sys.executable, "-m", "benchmarks", *arguments]
