"""`adelante figures` gives an initiative's committed and invested totals and a breakdown's
rows in its currency for display, as the portal and the API do (figures.display): in the
table, JSON and CSV; nothing for US$, nor for a total or rows with confidential amounts."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from adelante.commitments.models import Commitment
from adelante.currency.models import ExchangeRate
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative
from tests import builders
from tests.second_initiative import SLUG, primary_record, second_initiative, second_record

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 12, 31)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("figures", "--as-of", DAY.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def in_shillings() -> Initiative:
    primary_record()
    made = second_initiative()
    second_record(made)
    made.display_currency = "KES"
    made.save()
    ExchangeRate.objects.create(
        currency="KES",
        on=datetime.date(2024, 6, 30),
        units_per_usd=Decimal("130.5"),
        source="https://example.org/rates/kes",
    )
    # A later rate than the date asked for is never used.
    ExchangeRate.objects.create(
        currency="KES", on=datetime.date(2025, 1, 2), units_per_usd=Decimal("999"), source="x"
    )
    return made


def test_json_gives_the_total_in_the_initiatives_currency_with_its_rate(in_shillings):
    data = json.loads(run("--initiative", SLUG, "--format", "json"))
    usd = Decimal(data["committed_usd"])
    assert usd > 0
    assert data["display_currency"] == "KES"
    assert Decimal(data["committed_in_display_currency"]) == usd * Decimal("130.5")
    assert Decimal(data["display_rate"]) == Decimal("130.5")
    assert data["display_rate_on"] == "2024-06-30"
    assert data["display_rate_source"] == "https://example.org/rates/kes"


def test_the_table_says_it_in_the_readers_language_and_csv_has_the_fields(in_shillings):
    text = run("--initiative", SLUG)
    assert "≈ KES " in text and "130.5 KES per US$" in text
    assert "(source: https://example.org/rates/kes)" in text
    with translation.override("es"):
        assert "por US$" in run("--initiative", SLUG)
    row = next(csv.DictReader(io.StringIO(run("--initiative", SLUG, "--format", "csv"))))
    assert row["display_currency"] == "KES" and row["display_rate_on"] == "2024-06-30"


def test_nothing_for_a_us_dollar_initiative_or_a_total_with_confidential_amounts(in_shillings):
    data = json.loads(run("--format", "json"))  # the primary initiative: US$
    assert data["display_currency"] is None and data["committed_in_display_currency"] is None
    assert "≈" not in run()
    confidential = json.loads(run("--initiative", SLUG, "--format", "json", "--show-confidential"))
    assert confidential["committed_in_display_currency"] is None


def _invest(initiative: Initiative, amount: str) -> None:
    with scope.within(initiative):
        kenya = Commitment.objects.get(partner__name="Nairobi Mills")
        builders.report(kenya, datetime.date(2024, 6, 30), {"usd_invested": amount})


def test_invested_is_given_in_the_initiatives_currency_at_the_same_rate(in_shillings):
    _invest(in_shillings, "1000.25")
    data = json.loads(run("--initiative", SLUG, "--format", "json"))
    assert data["invested_usd"] == "1000.25"
    # 1000.25 * 130.5 = 130,532.625 → 130,532.62 (half-even).
    assert data["invested_in_display_currency"] == "130532.62"
    text = run("--initiative", SLUG)
    invested_line = text.split("Invested (verified): US$1,000.25\n")[1].splitlines()[0]
    assert invested_line == (
        "≈ KES 130,532.62 at 130.5 KES per US$ on June 30, 2024 "
        "(source: https://example.org/rates/kes)"
    )
    row = next(csv.DictReader(io.StringIO(run("--initiative", SLUG, "--format", "csv"))))
    assert row["invested_in_display_currency"] == "130532.62"


def test_invested_is_public_so_it_is_converted_even_beside_a_confidential_total(in_shillings):
    _invest(in_shillings, "10")
    data = json.loads(run("--initiative", SLUG, "--format", "json", "--show-confidential"))
    assert data["committed_in_display_currency"] is None
    assert data["invested_in_display_currency"] == "1305.00"
    assert data["display_currency"] == "KES" and data["display_rate"] == "130.5000000000"


def test_the_rows_of_a_breakdown_are_given_in_the_initiatives_currency(in_shillings):
    data = json.loads(run("--initiative", SLUG, "--by", "country", "--format", "json"))
    rows = {r["key"]: r for r in data["rows"]}
    assert rows["KE"]["display_currency"] == "KES"
    assert rows["KE"]["committed_in_display_currency"] == "261000000.00"  # 2,000,000 * 130.5
    for r in data["rows"]:
        assert Decimal(r["committed_in_display_currency"]) == (
            Decimal(r["committed_usd"]) * Decimal("130.5")
        ).quantize(Decimal("0.01"))
    table = run("--initiative", SLUG, "--by", "country")
    assert "≈ KES" in table and "261,000,000" in table
    with translation.override("es"):
        assert "261,000,000" in run("--initiative", SLUG, "--by", "country")
    lines = list(
        csv.DictReader(io.StringIO(run("--initiative", SLUG, "--by", "kind", "--format", "csv")))
    )
    assert all(line["display_currency"] == "KES" for line in lines)


def test_no_row_is_converted_for_us_dollars_or_with_confidential_amounts(in_shillings):
    primary = json.loads(run("--by", "country", "--format", "json"))
    assert all(r["committed_in_display_currency"] is None for r in primary["rows"])
    assert "≈" not in run("--by", "country")
    allowed = json.loads(
        run("--initiative", SLUG, "--by", "country", "--format", "json", "--show-confidential")
    )
    assert all(r["committed_in_display_currency"] is None for r in allowed["rows"])
    assert all(r["display_currency"] is None for r in allowed["rows"])
