"""`adelante figures` gives an initiative's committed total in its currency for display, as
the portal and the API do (figures.display): in the table, JSON and CSV; nothing for US$."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from adelante.currency.models import ExchangeRate
from adelante.initiatives.models import Initiative
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
    assert confidential["display_currency"] is None
