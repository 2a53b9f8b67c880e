"""/healthz and /readyz: what they check, what they name when a part fails, and what they are
exempt from (language prefixes, the host check, the HTTPS redirect, sessions)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django fails the test on any database access.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_ok_when_every_part_is(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failing": [],
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok", "storage": "ok"},
    }


@pytest.mark.django_db
def test_readyz_names_migrations_when_one_is_not_applied(client):
    # Every migration of one app, so that its latest is not applied, whichever it is.
    MigrationRecorder(connection).migration_qs.filter(app="commitments").delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["migrations"]
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["adelante.example.org"], SECURE_SSL_REDIRECT=True)
def test_probes_skip_the_host_check_the_https_redirect_and_the_language_prefix(client):
    # A load balancer probes by address, over plain HTTP, with no language.
    for path in ("/healthz", "/readyz", "/healthz/"):
        response = client.get(path, HTTP_HOST="10.1.2.3:8000")
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response, path
    # Any other page still refuses the unknown host.
    assert client.get("/en/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_probes_answer_only_reads(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.any_database  # its own process, on a database that does not answer
def test_readyz_names_the_database_on_a_closed_port_without_a_traceback(tmp_path):
    """DEBUG off, DATABASE_URL at a port nothing listens on: 503 naming "database"."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL="postgres://adelante@127.0.0.1:1/x",
        DEBUG="0",
        SECRET_KEY="readyz-" + "s" * 50,
        ALLOWED_HOSTS="adelante.example.org",
        ADELANTE_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="adelante.settings",
    )
    (tmp_path / "static").mkdir()  # as collectstatic leaves it
    code = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/readyz', HTTP_HOST='10.0.0.1')\n"
        "print(json.dumps({'status': r.status_code, 'body': r.content.decode()}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["status"] == 503
    body = json.loads(answer["body"])
    assert body["failing"] == ["database"]
    assert body["checks"]["migrations"] == "not checked"
    assert "Traceback" not in answer["body"] and "Traceback" not in done.stderr
    # The reason is logged, as one JSON line naming the part.
    logged = [json.loads(line) for line in done.stderr.splitlines()]
    assert any("database failing" in line["message"] for line in logged)


@pytest.mark.django_db
def test_readyz_names_a_missing_embedded_database_without_creating_it(client, tmp_path):
    missing = tmp_path / "nowhere" / "adelante.sqlite3"
    if connection.vendor != "sqlite":
        pytest.skip("the embedded database's file")
    saved = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(missing)
    try:
        response = client.get("/readyz")
    finally:
        connection.settings_dict["NAME"] = saved
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
    assert not missing.exists()
