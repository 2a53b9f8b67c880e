"""Helpers for the import tests: small input files, the command, and the state of every table."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from tests import snapshots

#: The columns of ../shared/data/commitments.csv.
COMMITMENT_COLUMNS = (
    "partner",
    "partner_type",
    "announced_on",
    "round",
    "amount_usd",
    "countries",
    "focus",
    "summary",
    "source_url",
)

STATEMENT_COLUMNS = ("date", "metric", "value", "unit", "qualifier", "note", "source_url")
RATE_COLUMNS = ("currency", "date", "units_per_usd", "source")


def commitment(**cells: str) -> dict[str, str]:
    """A valid commitments row; keyword arguments replace or add cells."""
    row = {
        "partner": "Acme Textiles",
        "partner_type": "company",
        "announced_on": "2024-03-01",
        "round": "2024-03 Test round",
        "amount_usd": "1000000",
        "countries": "GT",
        "focus": "textile manufacturing",
        "summary": "Will build a plant.",
        "source_url": "https://example.org/acme",
    }
    row.update(cells)
    return row


def write_csv(
    path: Path, rows: Iterable[Mapping[str, str]], columns: Iterable[str] | None = None
) -> Path:
    rows = list(rows)
    header = list(columns) if columns is not None else list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def table_counts() -> dict[str, int]:
    """Rows in every table of the project, history and many-to-many tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


@dataclass(frozen=True)
class Run:
    ok: bool
    stdout: str
    stderr: str
    error: str


def run_import(what: str, path: Path, *args: str, **options: object) -> Run:
    """`adelante import WHAT PATH ARGS…` in-process, with its output."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", what, str(path), *args, stdout=out, stderr=err, **options)
    except CommandError as exc:
        assert exc.returncode == 1
        assert "nothing was imported" in str(exc), exc
        return Run(False, out.getvalue(), err.getvalue(), str(exc))
    return Run(True, out.getvalue(), err.getvalue(), "")


@pytest.fixture
def real_record(real_commitments_csv, real_statements_csv):
    """The real record imported, as the database to compare against (imported once per test
    process; then the rows it added are copied back: tests/snapshots.py)."""

    def load() -> None:
        assert run_import("commitments", real_commitments_csv).ok
        assert run_import("statements", real_statements_csv).ok

    files = (real_commitments_csv, real_statements_csv)
    snapshots.replay(("import", *((str(f), snapshots.file_digest(f)) for f in files)), load)


def reset_sequences() -> None:
    """Ids start where the stored rows end (PostgreSQL's sequences are not rolled back)."""
    if connection.vendor != "postgresql":
        return
    models = list(apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def stored_rows() -> dict[str, list[Any]]:
    """Every table's rows as stored, sorted; in historical tables without the history id and
    date, but with each row's place among its object's history rows (so the order of an
    object's versions counts, not the ids they happen to get); many-to-many history rows point
    at their history row by (object id, place)."""
    state: dict[str, list[Any]] = {}
    places: dict[str, dict[int, tuple[Any, int]]] = defaultdict(dict)
    quote = connection.ops.quote_name
    m2m_histories = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            if "m2m_history_id" in columns:
                parent = model._meta.get_field("history").related_model._meta.db_table
                m2m_histories.append((table, parent, rows))
                continue
            if "history_date" in columns:
                by_object = defaultdict(list)
                for row in rows:
                    by_object[row["id"]].append(row)
                for versions in by_object.values():
                    versions.sort(key=lambda r: (r["history_date"], r["history_id"]))
                    for place, row in enumerate(versions):
                        places[table][row["history_id"]] = (row["id"], place)
                        row["place"] = place
                        del row["history_id"], row["history_date"]
            state[table] = sorted((tuple(sorted(r.items())) for r in rows), key=repr)
    for table, parent, rows in m2m_histories:
        for row in rows:
            row["history_id"] = places[parent][row["history_id"]]
            del row["m2m_history_id"]
        state[table] = sorted((tuple(sorted(r.items())) for r in rows), key=repr)
    return state


def csv_tables(data: bytes) -> dict[str, list[dict[str, str]]]:
    """The CSV files of a zipped download, by table name, as lists of rows."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name.removesuffix(".csv"): list(
                csv.DictReader(io.StringIO(archive.read(name).decode()))
            )
            for name in archive.namelist()
            if name.endswith(".csv")
        }
