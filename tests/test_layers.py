"""The import contracts in pyproject.toml ([tool.importlinter]) catch what they are meant to.

scripts/test.sh runs `lint-imports` over adelante itself. Here the same contracts (the same
layers, read from pyproject.toml, not a copy) run over small fixture packages built in a
temporary directory: a clean one passes; an upward import, an import between independent
siblings and a cycle each fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "adelante"
FIXTURE = "layered"

#: What in src/adelante sits outside the layers, and why.
OUTSIDE_THE_LAYERS = {
    "__init__": "the package's version, imports nothing",
    "admin_base": "the admin's shared toolkit: the 'admin' contract keeps it to the admin",
    "locale": "translations, no Python",
    "templates": "the project's base template, no Python",
    # The benchmarks and synthetic data left the package (benchmarks/); what stays is data.
    "demo": "the shipped record (data/) and python -m adelante.demo, which calls commands only",
}


def contracts() -> list[dict[str, Any]]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return list(tomllib.load(f)["tool"]["importlinter"]["contracts"])


def layers_contract() -> dict[str, Any]:
    return next(c for c in contracts() if c["type"] == "layers")


def layer_members(layer: str) -> list[str]:
    """The module names in one layer: "a | b" (independent) or "a : b" (not), "(c)" optional."""
    separator = "|" if "|" in layer else ":"
    return [name.strip().strip("()") for name in layer.split(separator)]


def fixture_config(tmp_path: Path) -> Path:
    """The project's contracts, over the fixture package instead of adelante.

    The ignored imports name adelante's own modules (each with its reason), which the fixture
    does not have: they are left out, so the fixture gets the bare rules.
    """
    lines = ["[tool.importlinter]", f'root_package = "{FIXTURE}"']
    for contract in contracts():
        if contract["type"] not in {"layers", "acyclic_siblings"}:
            continue
        lines.append("[[tool.importlinter.contracts]]")
        for key, value in contract.items():
            if key == "ignore_imports":
                continue
            if isinstance(value, list):
                value = [v.replace("adelante", FIXTURE) for v in value]
            lines.append(f"{key} = {toml_value(value)}")
    path = tmp_path / "contracts.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value).lower() if isinstance(value, bool) else str(value)


def build_fixture(tmp_path: Path, imports: dict[str, str]) -> None:
    """A package with one subpackage per layer member, each importing the member(s) of the
    layer directly below it (all allowed), plus `imports`: {module: "import ..." lines}."""
    root = tmp_path / FIXTURE
    root.mkdir()
    (root / "__init__.py").write_text("")
    layers = [layer_members(layer) for layer in layers_contract()["layers"]]
    for upper, lower in zip(layers, [*layers[1:], []], strict=True):
        for name in upper:
            package = root / name
            package.mkdir()
            body = "".join(f"import {FIXTURE}.{below}\n" for below in lower)
            (package / "__init__.py").write_text(body)
    for module, body in imports.items():
        path = root.joinpath(*module.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        if not (path.parent / "__init__.py").exists():
            (path.parent / "__init__.py").write_text("")
        with path.open("a") as f:
            f.write(textwrap.dedent(body))


def lint_imports(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    config = fixture_config(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    code = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", code, str(config), "--no-cache", "--no-logo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_app_is_in_a_layer():
    layered = {m for layer in layers_contract()["layers"] for m in layer_members(layer)}
    present = {
        p.stem if p.is_file() else p.name
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" or p.is_dir()) and p.name != "__pycache__"
    }
    assert present - layered - set(OUTSIDE_THE_LAYERS) == set()
    assert layered - present == set(), "a layer names a module that does not exist"


def test_a_package_that_follows_the_layers_keeps_the_contracts(tmp_path):
    build_fixture(tmp_path, {"figures.committed": f"import {FIXTURE}.figures.labels\n"})
    (tmp_path / FIXTURE / "figures" / "labels.py").write_text("")
    result = lint_imports(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "body", "message"),
    [
        # An upward import: money is the bottom layer, figures far above it.
        (
            "money.qualifiers",
            f"import {FIXTURE}.figures\n",
            f"{FIXTURE}.money is not allowed to import {FIXTURE}.figures",
        ),
        # An upward import through a function-level import, deep in a package.
        (
            "commitments.publication",
            f"def reports():\n    from {FIXTURE}.progress import models\n",
            f"{FIXTURE}.commitments is not allowed to import {FIXTURE}.progress",
        ),
        # Independent siblings: the portal may not use the API's modules.
        (
            "portal.explorer",
            f"from {FIXTURE}.api import filters\n",
            f"{FIXTURE}.portal is not allowed to import {FIXTURE}.api",
        ),
    ],
)
def test_an_import_against_the_layers_breaks_the_contract(tmp_path, module, body, message):
    build_fixture(tmp_path, {module: body})
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stdout, result.stdout + result.stderr


def test_a_cycle_between_siblings_breaks_the_contract(tmp_path):
    build_fixture(
        tmp_path,
        {
            "figures.committed": f"from {FIXTURE}.figures import labels\n",
            "figures.labels": f"from {FIXTURE}.figures import committed\n",
        },
    )
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"No cycles are allowed in {FIXTURE}.figures" in result.stdout, result.stdout
