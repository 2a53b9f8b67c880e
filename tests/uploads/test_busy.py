"""The embedded database while an import runs: reads never wait, writes queue for the lock
and succeed, a write that still cannot get it is answered 503 (page or problem, with
Retry-After), and two imports never run at once (CLI and web)."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections, connection, connections
from django.db.utils import ConnectionHandler
from django.test import Client

from adelante import settings as production
from adelante.accounts.grants import grant
from adelante.commitments.models import Commitment
from adelante.exchange.models import ImportJob, JobState
from adelante.uploads.busy import ImportBusy, import_lock, is_busy
from tests.exchange.conftest import commitment
from tests.exchange.workers import work

#: How long the "import" holds the write lock in the SQLite tests.
HOLD_SECONDS = 0.5


# -- SQLite as a file, as deployed ------------------------------------------------------------


def file_database(tmp_path, **options: object) -> ConnectionHandler:
    """A SQLite file with the production options (settings.sqlite_options), plain Django
    connections: one per thread."""
    settings_dict = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "adelante.sqlite3"),
        "OPTIONS": {**production.sqlite_options(os.environ), **options},
    }
    return ConnectionHandler({"default": settings_dict})


@contextmanager
def importing(handler: ConnectionHandler) -> Iterator[threading.Thread]:
    """Another connection holds the write lock for HOLD_SECONDS, as an import writing."""
    holding = threading.Event()

    def run() -> None:
        own = handler["default"]
        with own.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("INSERT INTO record (x) VALUES (1)")
            holding.set()
            threading.Event().wait(HOLD_SECONDS)
            cursor.execute("COMMIT")
        own.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert holding.wait(10)
    try:
        yield thread
    finally:
        thread.join()


@pytest.fixture
def unblocked(django_db_blocker):
    """These tests use their own SQLite file, not the test database."""
    with django_db_blocker.unblock():
        yield


def test_reads_do_not_wait_and_writes_queue_during_an_import(tmp_path, unblocked):
    handler = file_database(tmp_path)
    mine = handler["default"]
    with mine.cursor() as cursor:
        cursor.execute("CREATE TABLE record (x integer)")
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    with importing(handler) as running, mine.cursor() as cursor:
        # A read sees the record as it was, at once (WAL).
        cursor.execute("SELECT count(*) FROM record")
        assert cursor.fetchone()[0] == 0
        assert running.is_alive()
        # A write transaction, as Django begins one (transaction_mode IMMEDIATE), waits
        # for the import to commit, then goes through.
        cursor.execute("BEGIN IMMEDIATE")
        assert not running.is_alive()
        cursor.execute("INSERT INTO record (x) VALUES (2)")
        cursor.execute("COMMIT")
    with mine.cursor() as cursor:
        cursor.execute("SELECT x FROM record ORDER BY x")
        assert cursor.fetchall() == [(1,), (2,)]
    mine.close()


def test_a_write_that_cannot_wait_is_busy(tmp_path, unblocked):
    handler = file_database(tmp_path, timeout=0.05)
    mine = handler["default"]
    with mine.cursor() as cursor:
        cursor.execute("CREATE TABLE record (x integer)")
    with importing(handler), pytest.raises(sqlite3.OperationalError) as locked:
        mine.connection.execute("BEGIN IMMEDIATE")
    mine.close()
    assert is_busy(locked.value)
    assert not is_busy(sqlite3.OperationalError("no such table: record"))


# -- A request that finds the database locked -------------------------------------------------


@contextmanager
def locked_table(table: str) -> Iterator[None]:
    """Another connection holds `table` locked; this one gives up waiting after 200 ms."""
    holding, release = threading.Event(), threading.Event()

    def run() -> None:
        own = connections["default"]
        with own.cursor() as cursor:
            if own.vendor == "postgresql":
                cursor.execute("BEGIN")
                cursor.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
            else:
                # The test database is SQLite in memory, shared: a write locks its table.
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute(f'UPDATE "{table}" SET id = id')
            holding.set()
            release.wait(10)
            cursor.execute("ROLLBACK")
        own.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert holding.wait(10)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
    try:
        yield
    finally:
        release.set()
        thread.join()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
        close_old_connections()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("language", "text"), [("en", "Busy, try again"), ("es", "Ocupado")])
def test_a_page_that_finds_the_database_locked_is_503(language, text):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("someone", password="x-password-123"))
    with locked_table(User._meta.db_table):
        response = client.get(f"/{language}/accounts/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert text in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_a_locked_database_with_a_problem():
    client = Client(raise_request_exception=False)
    with locked_table(Commitment._meta.db_table):
        response = client.get("/api/v1/commitments")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    problem = json.loads(response.content)
    assert problem["type"] == "urn:adelante:problem:busy"
    assert problem["status"] == 503


# -- Two imports at once ----------------------------------------------------------------------


@contextmanager
def another_import() -> Iterator[None]:
    """Another import (another connection, another thread) holds the import lock."""
    holding, release = threading.Event(), threading.Event()

    def run() -> None:
        with import_lock():
            holding.set()
            release.wait(10)
        connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    assert holding.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join()


def commitments_file(tmp_path):
    path = tmp_path / "commitments.csv"
    rows = [commitment()]
    header = ",".join(rows[0])
    path.write_text(header + "\n" + ",".join(f'"{v}"' for v in rows[0].values()) + "\n")
    return path


@pytest.mark.django_db(transaction=True)
def test_a_second_import_on_the_command_line_is_refused_clearly(tmp_path):
    path = commitments_file(tmp_path)
    with another_import(), pytest.raises(CommandError) as refused:
        call_command("import", "commitments", str(path), stdout=io.StringIO())
    assert "Another import is running" in str(refused.value)
    assert not Commitment.objects.exists()
    # A dry run writes nothing, and goes on.
    with another_import():
        call_command("import", "commitments", str(path), "--dry-run", stdout=io.StringIO())
    call_command("import", "commitments", str(path), stdout=io.StringIO())
    assert Commitment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_import_on_the_web_is_refused_and_can_be_confirmed_later(tmp_path):
    user = User.objects.create_user("staffer", password="x-password-123")
    grant(user, "secretariat-reviewer")
    client = Client()
    client.force_login(user)
    with commitments_file(tmp_path).open("rb") as upload:
        started = client.post("/en/staff/import/", {"kind": "commitments", "file": upload})
    page = started["Location"]
    work()  # the job's check
    confirm = f"{page}confirm/"
    client.post(confirm, {"confirm": "1"})
    with another_import():
        work()  # the job's import meets the other import
    job = ImportJob.objects.get()
    assert job.state == JobState.CHECKED  # waiting again, the file kept
    assert "Another import is running" in client.get(page).content.decode()
    assert not Commitment.objects.exists()
    client.post(confirm, {"confirm": "1"})
    work()
    job.refresh_from_db()
    assert job.state == JobState.IMPORTED and job.error == ""
    assert Commitment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_lock_is_held_by_one_import_and_free_again_after_it():
    with another_import(), pytest.raises(ImportBusy), import_lock():
        pass
    with import_lock():
        pass
