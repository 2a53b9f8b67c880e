"""The real `adelante import` command in a subprocess: exit status and stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The command runs on an embedded database of its own, whatever the suite's.
pytestmark = pytest.mark.any_database

ADELANTE = Path(sys.executable).with_name("adelante")


@pytest.fixture
def cli(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "adelante.settings",
        "ADELANTE_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": "",
        "DEBUG": "1",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(ADELANTE), *args], env=env, capture_output=True, text=True, timeout=120
        )

    assert run("migrate", "--verbosity", "0").returncode == 0
    return run


@pytest.mark.slow
def test_exit_status_and_messages(cli, tmp_path, real_commitments_csv):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        real_commitments_csv.read_text(encoding="utf-8").replace(
            "Yazaki,company,2022-06-07", "Yazaki,company,2022-06-31"
        ),
        encoding="utf-8",
    )
    failed = cli("import", "commitments", str(bad))
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert failed.stderr.splitlines() == [
        f"{bad}:33: announced_on: “2022-06-31” is not a valid date",
        f"CommandError: 1 problem in {bad}; nothing was imported.",
    ]

    done = cli("import", "commitments", str(real_commitments_csv))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith(f"Imported {real_commitments_csv}: 41 created")

    again = cli("import", "commitments", str(real_commitments_csv), "--dry-run")
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1].endswith("leave 41 unchanged.")
