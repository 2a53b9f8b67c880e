"""Fixtures of the operations tests."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection


@pytest.fixture
def scratch_database_url():
    """An empty database to restore into: a new PostgreSQL database on the suite's server
    (dropped at the end), or a new SQLite file."""
    if connection.vendor != "postgresql":
        yield ""  # the embedded database in the restoring process's own data directory
        return
    name = f"adelante_restore_{uuid.uuid4().hex[:12]}"
    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    try:
        host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        yield f"postgres://{auth}@{host}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
