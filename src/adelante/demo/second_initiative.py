"""The demo's second initiative, Coastal Resilience Pledges: synthetic, clearly labelled, with
countries outside Central America and French pending (data/coastal_resilience/README.md).

Loaded with the ordinary commands a secretariat's staff would use: `adelante initiative create`
with the fields of `initiative.csv`, `adelante import rates` (synthetic shilling rates: rates
are the installation's, not an initiative's), then `adelante import commitments` and `adelante
import statements` inside the initiative. Running it again changes nothing.
"""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

# A folder name that is a Python identifier, so that the package data (pyproject) includes it.
DATA = Path(__file__).resolve().parent / "data" / "coastal_resilience"
INITIATIVE = DATA / "initiative.csv"
COMMITMENTS = DATA / "synthetic_commitments.csv"
STATEMENTS = DATA / "synthetic_statements.csv"
#: Made-up Kenyan shilling rates, so that its currency for display (KES) shows.
RATES = DATA / "synthetic_rates.csv"


def founding() -> dict[str, Any]:
    """The initiative's fields (one row of initiative.csv; lists separated by ';')."""
    with INITIATIVE.open(encoding="utf-8", newline="") as rows:
        row = next(csv.DictReader(rows))
    return {
        **row,
        "countries": [code for code in row["countries"].split(";") if code],
        "languages_pending": [code for code in row["languages_pending"].split(";") if code],
        "synthetic": row["synthetic"] == "yes",
    }


def create_arguments(fields: dict[str, Any]) -> list[str]:
    """`adelante initiative create …` for the fields of initiative.csv."""
    arguments = [
        "create",
        "--if-missing",
        "--slug", fields["slug"],
        "--name", fields["name"],
        "--name-es", fields.get("name_es", ""),
        "--description", fields.get("description", ""),
        "--description-es", fields.get("description_es", ""),
        "--countries", ",".join(fields["countries"]),
        "--currency", fields.get("currency", "USD"),
        "--languages-pending", ",".join(fields.get("languages_pending", [])),
        "--reason", "the demo's synthetic second initiative",
    ]  # fmt: skip
    if fields.get("synthetic"):
        arguments.append("--synthetic")
    return arguments


def load_second_initiative(stdout: Any = None) -> None:
    """Create the initiative (if missing) and import its commitments and statements into it.

    The import runs inside `scope.within(initiative)`, and with the import command's
    `--initiative` (docs/import.md) where the command has it, which says the same.
    """
    from adelante.initiatives import scope
    from adelante.initiatives.models import Initiative

    out = stdout if stdout is not None else StringIO()
    fields = founding()
    call_command("initiative", *create_arguments(fields), stdout=out)
    initiative = Initiative.objects.get(slug=fields["slug"])
    call_command("import", "rates", str(RATES), stdout=out)
    naming = ["--initiative", initiative.slug] if _import_names_initiatives() else []
    with scope.within(initiative):
        for what, path in (("commitments", COMMITMENTS), ("statements", STATEMENTS)):
            call_command("import", what, str(path), *naming, stdout=out)


def _import_names_initiatives() -> bool:
    """Whether `adelante import commitments` takes `--initiative` (it is being added)."""
    command = load_command_class("adelante.exchange", "import")
    parser = command.create_parser("adelante", "import")
    try:
        parser.parse_args(["commitments", str(COMMITMENTS), "--initiative", "x"])
    except (CommandError, SystemExit):
        return False
    return True
