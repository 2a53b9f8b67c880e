"""The export and API benchmark runs, and its floor reads the same rows as the export."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from adelante.exchange.real_record import load_real_record
from benchmarks import exchange as bench

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
        stdout=out,
    )
    assert "| full CSV export |" in out.getvalue()
