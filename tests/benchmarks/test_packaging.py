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
    for name in ("figures", "pages", "exchange", "iati", "uploads", "synth"):
        assert f"| {name} |" in done.stdout


@pytest.mark.parametrize(
    ("name", "option"),
    [
        ("figures", "--reports-per-commitment"),
        ("pages", "--in-place"),
        ("exchange", "--api-repeat"),
        ("iati", "--postgres-url"),
        ("uploads", "--dir"),
        ("synth", "--wipe"),
    ],
)
def test_each_benchmark_keeps_its_options(name: str, option: str) -> None:
    done = run(name, "--help")
    assert done.returncode == 0, done.stderr
    assert option in done.stdout
