"""The export and API benchmark runs, and its floor reads the same rows as the export."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from adelante.commitments.models import Commitment
from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.real_record import load_real_record
from benchmarks import exchange as bench
from benchmarks import imports
from tests.exchange.conftest import reset_sequences, stored_rows

pytestmark = pytest.mark.django_db


def test_export_and_api_timings(tmp_path):
    load_real_record()
    export = bench.measure_export(repeat=1)
    assert export.what == "full CSV export" and export.commitments == 41
    assert export.median_ms > 0 and export.floor_ms > 0
    rows = bench.floor_export(tmp_path)
    assert rows > 41
    api = bench.measure_api(datetime.date(2023, 2, 6), repeat=2)
    assert next(t.what for t in api).startswith("GET /api/v1/commitments")
    assert all(t.ratio > 0 for t in api)
    out = io.StringIO()
    call_command(
        "benchmark_exchange",
        "--repeat",
        "1",
        "--api-repeat",
        "1",
        "--format",
        "markdown",
        "--as-of",
        "2023-02-06",
        "--import-rows",
        "0",
        stdout=out,
    )
    assert "| full CSV export |" in out.getvalue()


def test_import_against_a_bulk_insert(tmp_path):
    """The floor writes exactly the rows the import writes, history rows included (but for
    the history rows' dates), and both are rolled back."""
    path = imports.write_rows(tmp_path / "c.csv", 40)
    before = Commitment.objects.count()
    reset_sequences()
    with transaction.atomic():
        written = imports.floor_insert(path)
        floor = stored_rows()
        transaction.set_rollback(True)
    reset_sequences()
    with transaction.atomic():
        result = import_commitments(path, reason=imports.REASON)
        ours = stored_rows()
        transaction.set_rollback(True)
    assert written == result.created == 40
    assert ours == floor
    assert len(ours["commitments_historicalcommitment_focus_areas"]) > 40
    timing = imports.measure_import(40, repeat=1)
    assert timing.rows == 40 and timing.import_s > 0 and timing.floor_s > 0
    assert timing.written > 40 * 8  # commitments, their history, countries, sources, links…
    assert Commitment.objects.count() == before
    table = imports.format_import([timing, timing], markdown=True)
    assert table.splitlines()[0] == (
        "| database | rows | rows written | import s | rows/s | bulk insert s | ratio "
        "| import CPU s | bulk insert CPU s | CPU ratio | growth | goal |"
    )
    assert "1.0x (rows 1.0x)" in table.splitlines()[3]
    assert "history rows" in table.splitlines()[-1]
