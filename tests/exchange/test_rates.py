"""Importing exchange rates: idempotent on (currency, date), all or nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from adelante.currency.models import ExchangeRate
from adelante.exchange.rates_import import import_rates
from tests.exchange.conftest import RATE_COLUMNS, run_import, table_counts, write_csv

pytestmark = pytest.mark.django_db


def rate(**cells):
    row = {"currency": "GTQ", "date": "2022-06-07", "units_per_usd": "7.7512", "source": "Banguat"}
    row.update(cells)
    return row


def test_import_rates_twice(tmp_path):
    path = write_csv(
        tmp_path / "rates.csv", [rate(), rate(currency="hnl", units_per_usd="24.6521")]
    )
    result = import_rates(path)
    assert result.created == 2
    assert ExchangeRate.objects.on("HNL", datetime.date(2022, 6, 7)).units_per_usd == Decimal(
        "24.6521"
    )
    before = table_counts()
    assert import_rates(path).unchanged == 2
    assert table_counts() == before


def test_a_changed_source_updates(tmp_path):
    import_rates(write_csv(tmp_path / "rates.csv", [rate()]))
    result = import_rates(write_csv(tmp_path / "rates2.csv", [rate(source="Banco de Guatemala")]))
    assert result.rows[0].changes == ("source",)
    stored = ExchangeRate.objects.get()
    assert stored.source == "Banco de Guatemala"
    assert stored.history.latest().history_change_reason == "import rates2.csv"


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"currency": "USD"}, "currency", "USD needs no exchange rate"),
        ({"currency": "Q"}, "currency", "not a currency code"),
        ({"date": "2022-06"}, "date", "not a date"),
        ({"units_per_usd": "0"}, "units_per_usd", "more than zero"),
        ({"units_per_usd": "-7"}, "units_per_usd", "negative"),
        ({"units_per_usd": "7,75"}, "units_per_usd", "writes numbers two ways"),
        ({"units_per_usd": "7.5e1"}, "units_per_usd", "scientific notation"),
        ({"date": "2022/06/07"}, "date", "not a date"),
        ({"source": ""}, "source", "empty"),
        ({"source": "Banguat, again"}, "date", "a second rate for GTQ"),
        ({}, "(file)", "exactly the same row as line 2"),
    ],
)
def test_bad_rate(tmp_path, cells, column, reason):
    path = write_csv(tmp_path / "bad.csv", [rate(), rate(**cells)], RATE_COLUMNS)
    before = table_counts()
    run = run_import("rates", path)
    [line] = run.stderr.splitlines()
    assert line.startswith(f"{path}:3: {column}: ")
    assert reason in line
    assert table_counts() == before
