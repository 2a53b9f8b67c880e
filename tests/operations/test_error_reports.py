"""Error reports: nothing of sentry-sdk without SENTRY_DSN; with one, events reach the DSN's
server (here a dummy HTTP server on loopback) without personal data."""

from __future__ import annotations

import gzip
import http.server
import json
import os
import subprocess
import sys
import threading

import pytest

from adelante.operations.error_reports import options

# Each check runs its own process on its own embedded database.
pytestmark = pytest.mark.any_database


def run_django(code: str, tmp_path, **env_values: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SENTRY_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="adelante.settings",
        ADELANTE_DATA_DIR=str(tmp_path),
        DATABASE_URL="",
        DEBUG="0",
        **env_values,
    )
    setup = "import django, json, sys; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", setup + code], env=env, capture_output=True, text=True, timeout=60
    )


def test_without_a_dsn_nothing_is_imported(tmp_path):
    assert options({}) is None and options({"SENTRY_DSN": " "}) is None
    done = run_django("print(json.dumps('sentry_sdk' in sys.modules))", tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) is False


class Collector(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Collector.received.append((self.path, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def sentry_server():
    Collector.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_with_a_dsn_an_error_is_sent_without_personal_data(tmp_path, sentry_server):
    code = (
        "import logging, sentry_sdk\n"
        "from django.test import Client\n"
        "client = sentry_sdk.get_client()\n"
        "print(json.dumps({k: client.options[k] for k in ('send_default_pii', 'environment',"
        " 'release', 'traces_sample_rate')}))\n"
        "print(json.dumps(sorted(client.integrations)))\n"
        "logging.getLogger('adelante.test').error('the drill broke', extra={'x': 1})\n"
        "sentry_sdk.flush(timeout=10)\n"
    )
    done = run_django(
        code,
        tmp_path,
        SENTRY_DSN=f"http://public@127.0.0.1:{sentry_server}/42",
        SENTRY_ENVIRONMENT="staging",
    )
    assert done.returncode == 0, done.stderr
    settings_line, integrations_line = done.stdout.splitlines()
    assert json.loads(settings_line) == {
        "send_default_pii": False,
        "environment": "staging",
        "release": "adelante@0.1.0",
        "traces_sample_rate": 0.0,
    }
    assert "django" in json.loads(integrations_line)
    paths = [path for path, _body in Collector.received]
    assert paths and all(path == "/api/42/envelope/" for path in paths)
    sent = b"".join(body for _path, body in Collector.received)
    assert b"the drill broke" in sent
