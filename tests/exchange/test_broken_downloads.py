"""A streamed download whose database fails after the first bytes ends as an error, never as a
complete 200 with a shorter file: the exception leaves the streaming generator, no
Content-Length promises a size, and a real WSGI server (gunicorn, chunked) aborts the body so
the client sees it incomplete.

The database fails for real: a table that the stream reads later is dropped (inside the test's
transaction, rolled back afterwards; or in a copy of the database the server reads)."""

from __future__ import annotations

import datetime
import http.client
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.db import DatabaseError, connection

from adelante.catalogue.models import FocusArea
from adelante.progress.models import ProgressValue
from tests import builders

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src"
DAY = datetime.date(2024, 3, 1)


def _drop(table: str) -> None:
    with connection.cursor() as cursor:
        # (PostgreSQL drops the foreign keys that point at it too; all rolled back after.)
        cascade = " CASCADE" if connection.vendor == "postgresql" else ""
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}{cascade}")


@pytest.fixture
def record(db):
    builders.commitment("Acme", "1000000", DAY)
    builders.commitment("Beta", "2000000", DAY)


def _read_until_error(response) -> tuple[bytes, BaseException | None]:
    received = b""
    try:
        for part in response.streaming_content:
            received += part
    except DatabaseError as error:
        return received, error
    return received, None


@pytest.mark.parametrize(
    "address", ["/downloads/adelante-record.json", "/downloads/adelante-record-csv.zip"]
)
def test_a_bulk_download_whose_database_fails_midway_raises(client, record, address):
    whole = client.get(address)
    complete, error = _read_until_error(whole)
    assert error is None and complete  # the same download, database intact: complete

    _drop(ProgressValue._meta.db_table)  # read near the end of the stream
    response = client.get(address)
    assert response.status_code == 200 and response.streaming
    assert not response.has_header("Content-Length")
    received, error = _read_until_error(response)
    assert error is not None, "the stream ended cleanly"
    assert received, "the failure came before the first bytes"
    assert len(received) < len(complete)
    if address.endswith(".zip"):
        with pytest.raises(zipfile.BadZipFile):
            zipfile.ZipFile(io.BytesIO(received))
    else:
        with pytest.raises(json.JSONDecodeError):
            json.loads(received)


def test_the_explorer_csv_whose_database_fails_midway_raises(client, record):
    _drop(FocusArea.commitments.through._meta.db_table)  # read with each chunk of rows
    response = client.get("/en/commitments/download.csv")
    assert response.status_code == 200 and response.streaming
    assert not response.has_header("Content-Length")
    received, error = _read_until_error(response)
    assert error is not None
    assert received.decode("utf-8-sig").startswith("reference,")  # the header went out first


# -- Through a real WSGI server -------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited: {server.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start within 30 s")


def _get(port: int, path: str) -> http.client.HTTPResponse:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    client.request("GET", path)
    return client.getresponse()


@pytest.fixture(scope="module")
def database_file(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """A file copy of the SQLite test database (migrated, seeded), for a server process;
    taken between tests, when no test transaction holds the database."""
    with django_db_blocker.unblock():
        if connection.vendor != "sqlite":
            pytest.skip("the server reads a file copy of the SQLite test database")
        connection.ensure_connection()
        target = tmp_path_factory.mktemp("served") / "served.sqlite3"
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
    return target


@pytest.mark.slow
def test_gunicorn_aborts_the_chunked_body(database_file: Path, tmp_path: Path):
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        "DJANGO_SETTINGS_MODULE": "adelante.settings",
        "DATABASE_URL": f"sqlite:///{database_file}",
        "ADELANTE_DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONWARNINGS": "ignore",
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "adelante.wsgi"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(port, server)
        good = _get(port, "/downloads/adelante-record.json")
        assert good.status == 200 and good.getheader("Transfer-Encoding") == "chunked"
        assert good.getheader("Content-Length") is None
        assert "progress_values" in json.loads(good.read())["tables"]

        with sqlite3.connect(database_file) as db:
            db.execute(f'DROP TABLE "{ProgressValue._meta.db_table}"')
        broken = _get(port, "/downloads/adelante-record.json")
        assert broken.status == 200 and broken.getheader("Transfer-Encoding") == "chunked"
        with pytest.raises(http.client.IncompleteRead) as incomplete:
            broken.read()
        assert incomplete.value.partial.startswith(b'{"as_of": null')
    finally:
        server.terminate()
        server.wait(timeout=30)
        assert server.stderr is not None
        server.stderr.close()
