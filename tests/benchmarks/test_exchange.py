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
    """The import and its floor write the same commitments, and both are rolled back."""
    path = imports.write_rows(tmp_path / "c.csv", 40)
    before = Commitment.objects.count()
    with transaction.atomic():
        written = imports.floor_insert(path)
        floor = set(Commitment.objects.values_list("reference", "amount_usd"))
        transaction.set_rollback(True)
    with transaction.atomic():
        result = import_commitments(path)
        ours = set(Commitment.objects.values_list("reference", "amount_usd"))
        transaction.set_rollback(True)
    assert written == result.created == 40
    assert ours == floor
    timing = imports.measure_import(40, repeat=1)
    assert timing.rows == 40 and timing.import_s > 0 and timing.floor_s > 0
    assert Commitment.objects.count() == before
    table = imports.format_import([timing], markdown=True)
    assert table.splitlines()[0] == (
        "| database | rows | import s | rows/s | bulk insert s | ratio | goal |"
    )
