"""DOMAIN rules worked on the real public record (../shared/data), checked against sums this
test computes itself from the CSV."""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from decimal import Decimal

import pytest

from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.statements_import import import_statements
from adelante.figures.committed import MULTI_COUNTRY, REGIONAL, committed, committed_by
from adelante.figures.reconcile import reconcile
from adelante.money.qualifiers import combine
from tests import snapshots

pytestmark = pytest.mark.django_db

DATES = [
    datetime.date(2021, 5, 27),
    datetime.date(2021, 12, 13),
    datetime.date(2022, 6, 7),
    datetime.date(2023, 2, 6),
]


@pytest.fixture
def rows(real_commitments_csv, real_statements_csv):
    def load() -> None:
        import_commitments(real_commitments_csv)
        import_statements(real_statements_csv)

    # Imported once per test process, then copied back (tests/snapshots.py).
    files = (real_commitments_csv, real_statements_csv)
    snapshots.replay(("functions", *((str(f), snapshots.file_digest(f)) for f in files)), load)
    with real_commitments_csv.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def expected_total(rows, day):
    return sum(
        (
            Decimal(r["amount_usd"])
            for r in rows
            if r["amount_usd"] and datetime.date.fromisoformat(r["announced_on"]) <= day
        ),
        Decimal("0.00"),
    )


@pytest.mark.parametrize("day", DATES)
def test_committed_equals_the_sum_of_the_csv(rows, day):
    result = committed(day)
    assert result.amount_usd == expected_total(rows, day)
    announced = [r for r in rows if datetime.date.fromisoformat(r["announced_on"]) <= day]
    assert result.commitments == len(announced)
    assert result.commitments_without_amount == sum(1 for r in announced if not r["amount_usd"])
    # The total's qualifier follows the qualifiers the record gives its counted amounts.
    assert result.qualifier == combine(
        r.get("qualifier") or "exact" for r in announced if r["amount_usd"]
    )


def test_the_february_2023_figures(rows):
    result = committed(datetime.date(2023, 2, 6))
    assert result.amount_usd == Decimal("3641600000.00")
    assert result.commitments == 41
    assert result.commitments_without_amount == 19


@pytest.mark.parametrize("day", DATES)
def test_country_rows_follow_the_csv_and_add_up(rows, day):
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        if not r["amount_usd"] or datetime.date.fromisoformat(r["announced_on"]) > day:
            continue
        countries = [c for c in r["countries"].split(";") if c and c != "REGION"]
        key = REGIONAL if not countries else countries[0] if len(countries) == 1 else MULTI_COUNTRY
        expected[key] += Decimal(r["amount_usd"])
    breakdown = committed_by("country", day)
    got = {row.key: row.amount_usd for row in breakdown.rows if row.amount_usd}
    assert got == {k: v for k, v in expected.items() if v}
    assert sum(row.amount_usd for row in breakdown.rows) == breakdown.total.amount_usd


def test_by_round_follows_the_csv(rows):
    day = DATES[-1]
    breakdown = committed_by("round", day)
    assert len(breakdown.rows) == len({r["round"] for r in rows})
    assert sum(row.amount_usd for row in breakdown.rows) == expected_total(rows, day)


def test_reconciliation_shows_the_gap_to_the_official_4_2_billion(rows):
    day = DATES[-1]
    [headline] = [
        r for r in reconcile(day) if r.stated_on == day and r.metric == "cumulative_committed_usd"
    ]
    assert headline.stated_value == Decimal("4200000000")
    assert headline.stated_qualifier == "at_least"
    assert headline.computed_value == Decimal("3641600000.00")
    assert headline.gap == Decimal("558400000.00")
    launch = next(
        r
        for r in reconcile(day)
        if r.stated_on == DATES[0] and r.metric == "cumulative_committed_usd"
    )
    assert launch.gap == Decimal("600000000.00")  # $750M official against $150M itemised
