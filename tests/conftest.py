"""Shared fixtures. Tests run against a real database: SQLite or PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from tests import snapshots

SHARED = Path(__file__).resolve().parents[2] / "shared"
PACKAGED_DATA = Path(__file__).resolve().parents[1] / "src" / "adelante" / "demo" / "data"


RUN_ID = pytest.StashKey[str]()


def run_id(config: pytest.Config) -> str:
    """The same for every parallel worker of one run, different for every run.

    ADELANTE_TEST_RUN_ID if given (scripts/test.sh gives one, to drop what a killed run left
    behind), otherwise pytest-xdist's id of the run, or a new one without xdist.
    """
    given = os.environ.get("ADELANTE_TEST_RUN_ID", "")
    if given:
        if not re.fullmatch(r"[a-z0-9_]{1,24}", given):
            raise pytest.UsageError(f"ADELANTE_TEST_RUN_ID={given!r}: up to 24 of a-z, 0-9, _")
        return given
    worker = getattr(config, "workerinput", None)
    if worker is not None:
        return str(worker["testrunuid"])[:12]
    return config.stash.setdefault(RUN_ID, uuid.uuid4().hex[:12])


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request: pytest.FixtureRequest) -> None:
    """A PostgreSQL test database of its own for every run and every parallel worker:
    test_<name>_<run id>_<worker> (pytest-django adds the worker), so two runs at once on one
    server never meet; each drops its databases when it ends. SQLite's are in memory."""
    from django.conf import settings

    for db in settings.DATABASES.values():
        if db["ENGINE"] == "django.db.backends.sqlite3":
            continue
        test = db.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_{run_id(request.config)}"
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """After pytest-django creates the test database: keep its rows, as migrations left them,
    so that a transactional test (the browser tests) starts from them by copying them back
    (tests/snapshots.py) instead of Django's JSON round trip of serialized_rollback."""
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            if hasattr(connection, "_test_serialized_contents"):
                snapshots.keep_initial(connection)


@pytest.fixture
def real_commitments_csv() -> Path:
    """The real public record of commitments (../shared/data), or the packaged copy."""
    shared = SHARED / "data" / "commitments.csv"
    return shared if shared.exists() else PACKAGED_DATA / "commitments.csv"


@pytest.fixture
def real_statements_csv() -> Path:
    shared = SHARED / "data" / "statements.csv"
    return shared if shared.exists() else PACKAGED_DATA / "statements.csv"


@pytest.fixture(autouse=True)
def english_by_default():
    """A request to /es/… activates Spanish for the thread; start every test in English."""
    translation.activate("en")
    yield
    translation.deactivate()
