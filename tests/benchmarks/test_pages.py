"""`python -m benchmarks pages`: the pages answer, are timed against the bare view, and the
table says whether the goal is met. No timing is asserted: times depend on the machine."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from benchmarks.pages import PageTiming, format_table, measure_pages, table_rows
from benchmarks.synthetic import datasets, generator

pytestmark = pytest.mark.django_db


def timing(size: int, page: str, served: str, median: float) -> PageTiming:
    return PageTiming("SQLite", size, page, served, median, median * 2, 1.0, 2.0, 5)


def test_every_page_is_timed_computed_and_cached():
    datasets.generate(generator.Spec(partners=20, commitments=120, reports=300, seed=3))
    timings = measure_pages(commitments=120, repeat=2, cached_runs=3)
    ways = ["computed", "cached", "after a write, cold", "after a write, stale"]
    assert [(t.page, t.served) for t in timings] == [
        *[("overview", way) for way in ways],
        *[("explorer, two filters", way) for way in ways],
        *[("commitment", way) for way in ways],
        ("API list", "computed"),
        ("API list", "cached"),
    ]
    assert all(t.median_ms > 0 and t.bare_median_ms > 0 for t in timings)
    assert "overview" in format_table(timings, markdown=True)


def test_the_goal_and_the_growth():
    rows = table_rows(
        [
            timing(1_000, "overview", "cached", 3.0),
            timing(50_000, "overview", "cached", 4.0),
            timing(500_000, "overview", "cached", 4.5),
            timing(50_000, "overview", "computed", 100.0),
            timing(500_000, "overview", "computed", 2000.0),
        ]
    )
    assert [r[-1] for r in rows] == ["met", "met", "met", "met", "missed"]
    assert rows[2][-2] == "1.1x (data 10x)"
    assert table_rows([timing(50_000, "overview", "cached", 6.0)])[0][-1] == "missed"


def test_the_command_in_place():
    out = StringIO()
    call_command(
        "benchmark",
        "--pages",
        "--in-place",
        "--sizes=80",
        "--reports-per-commitment=2",
        "--repeat=1",
        "--format=json",
        stdout=out,
    )
    (run,) = json.loads(out.getvalue())
    assert {m["page"] for m in run["measurements"]} == {
        "overview",
        "explorer, two filters",
        "commitment",
        "API list",
    }
