"""An XLSX file imports exactly as the same rows in CSV."""

from __future__ import annotations

import datetime
from decimal import Decimal

import openpyxl
import pytest

from adelante.commitments.models import Commitment
from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.readers import read_table
from tests.exchange.conftest import read_csv, table_counts

pytestmark = pytest.mark.django_db


def as_spreadsheet(rows, path, *, typed: bool):
    """The rows in the first sheet of a workbook, with dates and amounts as a spreadsheet
    stores them when `typed` (real dates, numbers), or as text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "commitments"
    header = list(rows[0])
    sheet.append(header)
    for row in rows:
        values = []
        for column in header:
            value = row[column]
            if typed and column == "announced_on":
                value = datetime.date.fromisoformat(value)
            elif typed and column == "amount_usd" and value:
                value = int(value) if value.isdigit() else float(value)
            values.append(value or None)
        sheet.append(values)
    workbook.create_sheet("notes").append(["ignored: only the first sheet is read"])
    workbook.save(path)
    return path


def snapshot():
    return [
        (
            c.reference,
            c.partner.name,
            c.round.label if c.round else None,
            c.announced_on,
            c.amount_usd,
            c.qualifier,
            c.focus_text,
            c.summary,
            sorted(c.countries.values_list("country", "share_percent", "amount_usd")),
            sorted(c.focus_areas.values_list("code", flat=True)),
            list(c.sources.values_list("url", flat=True)),
        )
        for c in Commitment.objects.order_by("reference")
    ]


@pytest.mark.parametrize("typed", [True, False], ids=["typed cells", "text cells"])
def test_xlsx_equals_csv(real_commitments_csv, tmp_path, typed):
    rows = read_csv(real_commitments_csv)
    xlsx = as_spreadsheet(rows, tmp_path / "commitments.xlsx", typed=typed)

    assert read_table(xlsx).rows == read_table(real_commitments_csv).rows

    result = import_commitments(xlsx)
    assert result.created == 41
    from_xlsx = snapshot()
    before = table_counts()
    again = import_commitments(real_commitments_csv)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 41)
    assert table_counts() == before
    assert snapshot() == from_xlsx


def test_spreadsheet_numbers_become_exact_decimals(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["currency", "date", "units_per_usd", "source"])
    # An Excel cell holds a naive date-time (no time zone): the reader must take it as it is.
    sheet.append(["GTQ", datetime.datetime(2022, 6, 7), 7.7512, "Banguat"])  # noqa: DTZ001
    sheet.append(["HNL", "2022-06-07", 24, "BCH"])
    path = tmp_path / "rates.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert [row.cells for row in table.rows] == [
        {"currency": "GTQ", "date": "2022-06-07", "units_per_usd": "7.7512", "source": "Banguat"},
        {"currency": "HNL", "date": "2022-06-07", "units_per_usd": "24", "source": "BCH"},
    ]
    from adelante.exchange.rates_import import import_rates

    import_rates(path)
    from adelante.currency.models import ExchangeRate

    assert ExchangeRate.objects.get(currency="GTQ").units_per_usd == Decimal("7.7512")
