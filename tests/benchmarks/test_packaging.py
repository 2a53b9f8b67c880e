"""The benchmarks stay out of the product: not in the installed package, not in production
settings; one documented command runs them from a clone."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import benchmarks
from benchmarks import children

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_is_built_from_src_only() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["tool"]["setuptools"]["packages"]["find"]["where"] == ["src"]
    assert Path(benchmarks.__file__).resolve().parent == ROOT / "benchmarks"
    assert not list((ROOT / "src").rglob("*benchmark*.py"))
    assert not list((ROOT / "src").rglob("synth*.py"))


def test_production_settings_install_neither_the_demo_nor_the_benchmarks() -> None:
    production = importlib.import_module("adelante.settings")
    assert "adelante.demo" not in production.INSTALLED_APPS
    assert "benchmarks" not in production.INSTALLED_APPS
    assert importlib.import_module("benchmarks.settings").INSTALLED_APPS[-1] == "benchmarks"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = children.environment(os.environ.get("DATABASE_URL", ""))
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_one_command_lists_the_benchmarks() -> None:
    done = run("--help")
    assert done.returncode == 0, done.stderr
    for name in ("figures", "pages", "same-pledges", "exchange", "iati", "uploads", "synth"):
        assert f"| {name} |" in done.stdout


OPTIONS = {
    "figures": "--reports-per-commitment",
    "pages": "--in-place",
    "same-pledges": "--same-pledges",
    "exchange": "--api-repeat",
    "iati": "--postgres-url",
    "uploads": "--dir",
    "synth": "--wipe",
}

#: Each command's --help, in one child process (one Django start-up, not five): the command
#: line as a user types it, `python -m benchmarks NAME --help`, read from its standard output.
HELPS = """
import sys
from benchmarks.__main__ import main
for name in sys.argv[1:]:
    print(f"=== {name}", flush=True)
    try:
        main([name, "--help"])
    except SystemExit as exit:
        print(f"=== exit {exit.code or 0}", flush=True)
"""


@pytest.fixture(scope="module")
def helps() -> dict[str, str]:
    env = children.environment(os.environ.get("DATABASE_URL", ""))
    done = subprocess.run(
        [sys.executable, "-c", HELPS, *OPTIONS],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = {}
    for part in done.stdout.split("=== ")[1:]:
        name, _, text = part.partition("\n")
        if not name.startswith("exit"):
            found[name] = text
        else:
            assert name == "exit 0", (found, part)
    return found


@pytest.mark.any_database  # --help reads no database
@pytest.mark.parametrize(("name", "option"), OPTIONS.items())
def test_each_benchmark_keeps_its_options(helps: dict[str, str], name: str, option: str) -> None:
    assert option in helps[name]


def run_without_a_key(*args: str, **env_values: str) -> subprocess.CompletedProcess[str]:
    """`python -m benchmarks ARGS` as typed in a fresh shell: no SECRET_KEY, no DEBUG."""
    env = {
        k: v
        for k, v in children.environment(os.environ.get("DATABASE_URL", "")).items()
        if k not in {"SECRET_KEY", "DEBUG", "ADELANTE_ENV", "ADELANTE_DEVELOPMENT_KEY_SAID"}
    }
    env.update(env_values)
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.any_database  # --help reads no database
def test_without_a_secret_key_a_key_for_the_run_is_said_in_one_line() -> None:
    done = run_without_a_key("cluster", "--help")
    assert done.returncode == 0, done.stderr
    assert "--web-threads" in done.stdout
    assert done.stderr.splitlines() == [
        "python -m benchmarks: SECRET_KEY is not set: using a key for this run only."
    ]


@pytest.mark.any_database
def test_without_a_secret_key_in_production_it_stops_in_one_line() -> None:
    done = run_without_a_key("cluster", "--help", ADELANTE_ENV="production")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "python -m benchmarks: SECRET_KEY must be set when DEBUG is off (in the environment, "
        "e.g. the service's environment file); for development only, set DEBUG=1 or "
        "ADELANTE_ENV=development."
    ]
