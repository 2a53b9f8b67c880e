"""The main figure queries against hand-written SQL floors (`python -m benchmarks figures`).

For each figure it times the figures module and the floor (one SQL statement through the
driver, `benchmarks.floors`) alternately on the same connection, checks that both give the
same result, and reports the medians and their ratio. Sizes run each on their own database,
filled with synthetic data (`benchmarks.synthetic`); see docs/benchmarks.md.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from adelante.figures.committed import committed, committed_by
from adelante.figures.ladder import ladder
from adelante.figures.reached import invested
from adelante.figures.reconcile import reconcile
from benchmarks import floors

#: Goal of issue 2: the figures module within 1.5 times its floor.
MAX_RATIO = 1.5

COLUMNS = (
    "database",
    "size",
    "reports",
    "figure",
    "median ms",
    "floor ms",
    "ratio",
    "growth",
    "floor growth",
    "goal",
)


@dataclass(frozen=True)
class Figure:
    name: str
    module: Callable[[datetime.date], Any]
    floor: Callable[[datetime.date], Any]


FIGURES = (
    Figure(
        "committed by country",
        lambda day: committed_by("country", day),
        floors.committed_by_country,
    ),
    Figure("committed", committed, floors.committed),
    Figure("invested", invested, floors.invested),
    Figure("reconcile", reconcile, floors.reconcile),
    # The floor computes the steps only; the figure also judges every commitment's silence
    # and the reporting rate (in Python, from the schedules and the reports' history).
    Figure("ladder", lambda day: ladder(day).steps, floors.ladder_steps),
)


class FloorMismatch(AssertionError):
    """A floor computed something else than the figures module: the comparison is void."""


@dataclass(frozen=True)
class Measurement:
    database: str
    commitments: int
    reports: int
    figure: str
    median_ms: float
    floor_ms: float
    runs: int

    @property
    def ratio(self) -> float:
        return self.median_ms / self.floor_ms if self.floor_ms else float("inf")

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def database_label() -> str:
    """The database engine and server version of the default connection."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (version,) = cursor.fetchone()
        return f"PostgreSQL {str(version).split()[0]}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.display_name


@contextmanager
def _no_query_log() -> Iterator[None]:
    # With DEBUG on, Django keeps every query's SQL; that is not part of what we measure.
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def measure(
    as_of: datetime.date,
    *,
    commitments: int,
    reports: int,
    repeat: int = 5,
    figures: Sequence[Figure] = FIGURES,
) -> list[Measurement]:
    """Time each figure and its floor `repeat` times on the default database.

    One untimed run of each first checks that they agree (and warms the caches); the timed
    runs then alternate which of the two goes first.
    """
    label = database_label()
    results = []
    with _no_query_log():
        for figure in figures:
            expected, got = figure.module(as_of), figure.floor(as_of)
            if expected != got:
                raise FloorMismatch(
                    f"{figure.name}: the floor computed {got!r}, the figures module {expected!r}"
                )
            module_ms: list[float] = []
            floor_ms: list[float] = []
            for run in range(repeat):
                pair = [
                    (module_ms, lambda f=figure: f.module(as_of)),
                    (floor_ms, lambda f=figure: f.floor(as_of)),
                ]
                for times, call in pair if run % 2 == 0 else reversed(pair):
                    times.append(_timed(call))
            results.append(
                Measurement(
                    database=label,
                    commitments=commitments,
                    reports=reports,
                    figure=figure.name,
                    median_ms=statistics.median(module_ms),
                    floor_ms=statistics.median(floor_ms),
                    runs=repeat,
                )
            )
    return results


# -- The table ------------------------------------------------------------------------------


def _size(n: int) -> str:
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if n >= scale and n % (scale // 10) == 0:
            return f"{n / scale:g}{unit}"
    return str(n)


def table_rows(measurements: Sequence[Measurement]) -> list[tuple[str, ...]]:
    """One row per measurement, with the growth of its median (and of the floor's) over the
    previous size of the same database and figure, against the growth of the data, and whether
    the goal is met: within `MAX_RATIO` of the floor, and growing no faster than the data."""
    previous: dict[tuple[str, str], Measurement] = {}
    rows: list[tuple[str, ...]] = []
    for m in measurements:
        before = previous.get((m.database, m.figure))
        growth = floor_growth = ""
        linear = True
        if before is not None and before.commitments:
            data = m.commitments / before.commitments
            module = _growth(m.median_ms, before.median_ms)
            growth = f"{module:.1f}x (data {data:g}x)"
            floor_growth = f"{_growth(m.floor_ms, before.floor_ms):.1f}x"
            linear = module <= data
        goal = "met" if m.ratio <= MAX_RATIO and linear else "missed"
        rows.append(
            (
                m.database,
                _size(m.commitments),
                _size(m.reports),
                m.figure,
                f"{m.median_ms:.1f}",
                f"{m.floor_ms:.1f}",
                f"{m.ratio:.2f}",
                growth,
                floor_growth,
                goal,
            )
        )
        previous[(m.database, m.figure)] = m
    return rows


def _growth(now: float, before: float) -> float:
    return now / before if before else float("inf")


def format_table(measurements: Sequence[Measurement], *, markdown: bool = False) -> str:
    rows = table_rows(measurements)
    numeric = {"median ms", "floor ms", "ratio", "size", "reports"}
    if markdown:
        lines = ["| " + " | ".join(COLUMNS) + " |"]
        lines.append("| " + " | ".join("---:" if c in numeric else "---" for c in COLUMNS) + " |")
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [
        max([len(column)] + [len(row[i]) for row in rows]) for i, column in enumerate(COLUMNS)
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if column in numeric else cell.ljust(width)
            for cell, width, column in zip(cells, widths, COLUMNS, strict=True)
        ).rstrip()

    return "\n".join([line(COLUMNS), line(["-" * w for w in widths]), *map(line, rows)])
