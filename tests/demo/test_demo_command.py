"""The demo: a real server on the real record, fetched over HTTP; running it again adds nothing."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# The demo runs on its own embedded database, whatever the suite's.
pytestmark = [pytest.mark.slow, pytest.mark.any_database]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def demo_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env.update(DEBUG="1", DATABASE_URL="", ADELANTE_DATA_DIR=str(data_dir))
    return env


def run_demo(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "adelante.demo", *args],
        env=demo_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )


def counts(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "adelante.sqlite3") as db:
        tables = [
            "partners_partner",
            "partners_partneralias",
            "commitments_round",
            "commitments_commitment",
            "commitments_countryshare",
            "commitments_source",
            "commitments_officialstatement",
            "commitments_historicalcommitment",
            "auth_user",
        ]
        found = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
        for slug in ("central-america-forward", "coastal-resilience"):
            found[slug] = db.execute(
                "SELECT COUNT(*) FROM commitments_commitment c JOIN initiatives_initiative i"
                " ON c.initiative_id = i.id WHERE i.slug = ?",
                [slug],
            ).fetchone()[0]
        return found


def test_the_demo_loads_the_record_once_then_serves_it_over_http(tmp_path):
    # A first run on an empty data directory loads the record...
    first = run_demo(tmp_path, "--no-serve")
    assert first.returncode == 0, first.stderr
    before = counts(tmp_path)
    assert before["central-america-forward"] == 41
    # The synthetic second initiative (adelante.demo.second_initiative), loaded whole.
    assert before["coastal-resilience"] == 30
    # ...and running it again (here, to serve) adds nothing, and serves the portal.
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "adelante.demo", "--addrport", f"127.0.0.1:{port}"],
        env=demo_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5) as response:
                    assert response.status == 200
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert page is not None, "the demo server did not answer"
        assert "US$3,641,600,000" in page
        assert "more than US$4,200,000,000" in page
        assert "US$558,400,000" in page  # not itemised
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/es/", timeout=5) as response:
            spanish = response.read().decode()
            assert "US$3,641,600,000" in spanish  # the region's conventions (CLDR es_419)
            assert "US$558.4 millones" in spanish
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "demo-staff" in output
    assert counts(tmp_path) == before
    # The same staff password on every run (kept in the data directory).
    printed = [re.search(r"password (\S+)\)", text) for text in (first.stdout, output)]
    assert printed[0] and printed[1]
    assert printed[0].group(1) == printed[1].group(1)
    assert (tmp_path / "demo-staff-password").read_text().strip() == printed[0].group(1)
