"""`python -m benchmarks figures`: the floors compute what the figures module computes, and
the table prints.

No timing is asserted: times depend on the machine.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from adelante.figures.committed import committed, committed_by
from adelante.figures.reached import invested, reached
from adelante.figures.reconcile import reconcile
from benchmarks import floors
from benchmarks.figures import (
    COLUMNS,
    FIGURES,
    Figure,
    FloorMismatch,
    Measurement,
    format_table,
    measure,
)
from benchmarks.synthetic import datasets, generator
from tests import builders

pytestmark = pytest.mark.django_db

DAYS = (
    generator.REAL_ROUND_DATES[0],
    generator.REAL_ROUND_DATES[2],
    datetime.date(2024, 12, 31),
    generator.LAST_DAY,
)


@pytest.mark.parametrize("seed", [1, 2])
def test_floors_equal_the_figures_module(seed: int) -> None:
    datasets.generate(generator.Spec(partners=30, commitments=300, reports=1200, seed=seed))
    for day in DAYS:
        assert floors.committed(day) == committed(day)
        assert floors.committed_by_country(day) == committed_by("country", day)
        assert floors.invested(day) == invested(day)
        assert floors.reached("jobs_created", day) == reached("jobs_created", day)
        assert floors.reconcile(day) == reconcile(day)


def test_floors_leave_confidential_amounts_out_as_the_figures_module_does() -> None:
    # Two partners, some confidential amounts: public figures leave them out (rule 7).
    datasets.generate(generator.Spec(partners=2, commitments=200, reports=0, seed=5))
    breakdown = committed_by("country", generator.LAST_DAY)
    assert any(row.confidential for row in breakdown.rows)
    assert not any(row.suppressed for row in breakdown.rows)
    assert floors.committed_by_country(generator.LAST_DAY) == breakdown


def test_floors_on_the_real_record_shape() -> None:
    # Hand-built rows: one country, shares, several without shares, the region, a
    # restatement, a withdrawal, reports of which only verified ones count.
    day = datetime.date(2022, 6, 7)
    builders.commitment("A", "100.00", day, countries=("GT",))
    builders.commitment("B", "90.00", day, countries={"GT": None, "SV": None}, qualifier="about")
    builders.commitment("C", "10.01", day, countries=(), qualifier="at_least")
    made = builders.commitment("D", "33.33", day, countries={"HN": 50, "SV": 50})
    builders.commitment("D", "33.33", day, relation="restatement")
    builders.commitment(
        "E", "5.00", day, status="withdrawn", withdrawn_on=datetime.date(2022, 12, 1)
    )
    builders.report(made, datetime.date(2022, 12, 31), {"usd_invested": "10.00"})
    builders.report(made, datetime.date(2023, 6, 30), {"usd_invested": "20.00"}, status="draft")
    for as_of in (day, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)):
        assert floors.committed(as_of) == committed(as_of)
        assert floors.committed_by_country(as_of) == committed_by("country", as_of)
        assert floors.invested(as_of) == invested(as_of)
    assert floors.invested(datetime.date(2023, 12, 31)).value == 10


def test_measure_refuses_a_floor_that_computes_something_else() -> None:
    datasets.generate(generator.Spec(partners=5, commitments=20, reports=20, seed=1))
    wrong = Figure(
        "committed", committed, lambda day: floors.committed(day - datetime.timedelta(days=3650))
    )
    with pytest.raises(FloorMismatch):
        measure(generator.LAST_DAY, commitments=20, reports=20, repeat=1, figures=[wrong])


def test_measure_times_every_figure() -> None:
    datasets.generate(generator.Spec(partners=5, commitments=30, reports=60, seed=1))
    results = measure(generator.LAST_DAY, commitments=30, reports=60, repeat=2)
    assert [m.figure for m in results] == [f.name for f in FIGURES]
    assert all(m.median_ms > 0 and m.floor_ms > 0 and m.runs == 2 for m in results)


def test_the_command_in_place_prints_the_table() -> None:
    out = StringIO()
    call_command(
        "benchmark", "--in-place", "--sizes=50", "--repeat=1", stdout=out, stderr=StringIO()
    )
    lines = out.getvalue().splitlines()
    header = lines[0].split()
    for column in COLUMNS:
        assert column.split()[0] in header
    body = [line for line in lines[2:] if line.strip()]
    figures = [f.name for f in FIGURES]
    measured = body[: len(figures)]
    for line, name in zip(measured, figures, strict=True):
        assert name in line and "50" in line and "500" in line
    assert "every floor equals the figures module" in out.getvalue()
    # The data set is reused by a second run.
    again = StringIO()
    call_command(
        "benchmark", "--in-place", "--sizes=50", "--repeat=1", stdout=again, stderr=StringIO()
    )
    assert "data reused" in again.getvalue()


def test_the_command_in_place_with_markdown_and_two_sizes() -> None:
    out = StringIO()
    call_command(
        "benchmark",
        "--in-place",
        "--sizes=20,40",
        "--repeat=1",
        "--reports-per-commitment=2",
        "--format=markdown",
        stdout=out,
        stderr=StringIO(),
    )
    table = out.getvalue()
    assert table.startswith("| " + " | ".join(COLUMNS) + " |")
    assert table.count("(data 2x)") == len(FIGURES)


def test_the_command_refuses_a_database_with_real_data() -> None:
    builders.commitment("Real Partner", "1.00", datetime.date(2022, 6, 7))
    with pytest.raises(CommandError, match="real data"):
        call_command("benchmark", "--in-place", "--sizes=10", stdout=StringIO())


def test_bad_options_are_refused() -> None:
    with pytest.raises(CommandError, match="--sizes"):
        call_command("benchmark", "--in-place", "--sizes=ten", stdout=StringIO())
    with pytest.raises(CommandError, match="--databases"):
        call_command("benchmark", "--databases=oracle", stdout=StringIO())


def test_the_table_shows_ratio_growth_and_goal() -> None:
    def m(size: int, median: float, floor: float) -> Measurement:
        return Measurement("SQLite 3", size, size * 10, "invested", median, floor, 5)

    rows = format_table([m(50_000, 10.0, 8.0), m(500_000, 150.0, 70.0)]).splitlines()
    assert rows[0].split()[:4] == ["database", "size", "reports", "figure"]
    assert "1.25" in rows[2] and rows[2].endswith("met")
    # 15 times slower for 10 times the data: worse than linear, and 2.14 times the floor.
    assert "15.0x (data 10x)" in rows[3] and "2.14" in rows[3] and rows[3].endswith("missed")
    assert "8.8x" in rows[3]  # the floor's growth
    assert "50k" in rows[2] and "5M" in rows[3]


def test_as_recorded_after_everything_equals_the_live_record() -> None:
    # The figures module has a live and an "as recorded on" path for the same rule; with every
    # change in the history, both must agree.
    datasets.generate(generator.Spec(partners=20, commitments=200, reports=800, seed=4))
    later = datetime.date(2030, 1, 1)
    for day in DAYS:
        live = committed_by("country", day)
        recorded = committed_by("country", day, recorded_on=later)
        assert recorded.rows == live.rows
        assert invested(day, recorded_on=later) == replace(invested(day), recorded_on=later)
        trained = reached("people_trained", day)
        assert reached("people_trained", day, recorded_on=later) == replace(
            trained, recorded_on=later
        )
