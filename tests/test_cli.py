"""The `adelante` command where staff use it: one-line errors (exit status 2, no traceback)
without a secret key in production or without a database, never an empty database made by
accident, and a development key said once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each check runs the command in processes of its own, on their own embedded database.
pytestmark = pytest.mark.any_database

ADELANTE = Path(sys.executable).with_name("adelante")


def adelante(*args: str, cwd: Path, **env_values: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "ADELANTE_ENV",
            "ADELANTE_DEVELOPMENT_KEY_SAID",
        }
    }
    env.update(DATABASE_URL="", **env_values)
    return subprocess.run(
        [str(ADELANTE), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_no_secret_key_in_production_is_one_line(tmp_path):
    done = adelante("figures", cwd=tmp_path, ADELANTE_DATA_DIR=str(tmp_path / "data"))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "adelante: SECRET_KEY must be set when DEBUG is off (in the environment, e.g. the "
        "service's environment file); for development only, set DEBUG=1 or "
        "ADELANTE_ENV=development."
    ]


def test_no_database_is_said_where_it_was_looked_for_and_nothing_is_made(tmp_path):
    data = tmp_path / "data"
    done = adelante("figures", cwd=tmp_path, ADELANTE_DATA_DIR=str(data), SECRET_KEY="k" * 50)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"adelante: no database at {data / 'adelante.sqlite3'} ")
    assert "adelante migrate" in line
    assert not data.exists()
    assert list(tmp_path.iterdir()) == []  # no ./var either


def test_from_another_folder_it_finds_the_same_data_directory(tmp_path):
    """Migrate once, then run from elsewhere: the same database (no `no such table`)."""
    data = tmp_path / "data"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"ADELANTE_DATA_DIR": str(data), "ADELANTE_ENV": "development"}
    made = adelante("migrate", "--verbosity", "0", cwd=tmp_path, **env)
    assert made.returncode == 0, made.stderr
    assert made.stderr.splitlines() == [
        f"adelante: SECRET_KEY is not set: using a new development key, kept in "
        f"{data / 'secret_key'}."
    ]
    # The next run, with DEBUG off and no ADELANTE_ENV, from another folder: the development
    # key kept there is used (said once), the figures of that database are printed.
    done = adelante("figures", "--format", "json", cwd=elsewhere, ADELANTE_DATA_DIR=str(data))
    assert done.returncode == 0, done.stderr
    assert '"commitments": 0' in done.stdout
    assert done.stderr.splitlines() == [
        f"adelante: SECRET_KEY is not set: using the development key kept in {data / 'secret_key'}."
    ]
    # --initiative: a known slug is that initiative's figures; an unknown one is one line
    # naming the initiatives, exit status 2, no traceback (every command taking it: figures,
    # reconcile, export, export_iati, import, report).
    named = adelante(
        "figures", "--format", "json", "--initiative", "central-america-forward", cwd=elsewhere,
        ADELANTE_DATA_DIR=str(data),
    )  # fmt: skip
    assert named.returncode == 0 and '"commitments": 0' in named.stdout, named.stderr
    for args in (("figures",), ("report", "progress"), ("export_iati", "-o", "-")):
        unknown = adelante(
            *args, "--initiative", "nowhere", cwd=elsewhere, ADELANTE_DATA_DIR=str(data)
        )
        assert unknown.returncode == 2, (args, unknown.stderr)
        assert unknown.stdout == "" and "Traceback" not in unknown.stderr
        assert unknown.stderr.splitlines()[-1] == (
            "CommandError: No initiative “nowhere”; the initiatives are: central-america-forward."
        ), args
    assert list(elsewhere.iterdir()) == []


def test_help_and_checks_need_no_database(tmp_path):
    data = tmp_path / "data"
    for args in (["--help"], ["figures", "--help"], ["check"]):
        done = adelante(*args, cwd=tmp_path, ADELANTE_DATA_DIR=str(data), SECRET_KEY="k" * 50)
        assert done.returncode == 0, (args, done.stderr)
    assert not data.exists()
