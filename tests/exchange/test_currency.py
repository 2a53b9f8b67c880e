"""An amount in another currency is converted at the rate of the announcement date, exactly."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from adelante.commitments.models import Commitment
from adelante.currency.models import ExchangeRate
from adelante.exchange.commitments_import import import_commitments
from tests.exchange.conftest import (
    COMMITMENT_COLUMNS,
    commitment,
    run_import,
    table_counts,
    write_csv,
)

pytestmark = pytest.mark.django_db

COLUMNS = (*COMMITMENT_COLUMNS, "amount", "currency", "shares")
DAY = datetime.date(2024, 3, 1)


@pytest.fixture
def rates():
    ExchangeRate.objects.create(
        currency="GTQ", on=DAY, units_per_usd=Decimal("7.7512"), source="Banguat"
    )
    ExchangeRate.objects.create(
        currency="GTQ",
        on=DAY - datetime.timedelta(days=1),
        units_per_usd=Decimal("7.9"),
        source="Banguat",
    )


def test_amount_in_quetzales_is_converted_at_the_rate_of_its_date(rates, tmp_path):
    path = write_csv(
        tmp_path / "gtq.csv",
        [
            commitment(
                amount_usd="",
                amount="1000000.50",
                currency="gtq",
                countries="GT;SV",
                shares="GT:60;SV:40",
            )
        ],
        COLUMNS,
    )
    import_commitments(path)

    made = Commitment.objects.get()
    expected = (Decimal("1000000.50") / Decimal("7.7512")).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )
    assert expected == Decimal("129012.35")
    assert (made.amount, made.currency, made.amount_usd) == (Decimal("1000000.50"), "GTQ", expected)
    assert made.exchange_rate == ExchangeRate.objects.get(on=DAY)
    assert made.qualifier == "exact"
    shares = dict(made.countries.values_list("country", "amount_usd"))
    assert shares == {"GT": Decimal("77407.41"), "SV": Decimal("51604.94")}
    assert sum(shares.values()) == expected
    assert all(isinstance(v, Decimal) for v in shares.values())


def test_amount_in_us_dollars_through_the_amount_column(tmp_path):
    path = write_csv(
        tmp_path / "usd.csv", [commitment(amount_usd="", amount="12.34", currency="USD")], COLUMNS
    )
    import_commitments(path)
    made = Commitment.objects.get()
    assert (made.amount, made.currency, made.amount_usd, made.exchange_rate) == (
        Decimal("12.34"),
        "USD",
        Decimal("12.34"),
        None,
    )


def test_no_rate_on_the_announcement_date_is_an_error(rates, tmp_path):
    path = write_csv(
        tmp_path / "gtq.csv",
        [commitment(announced_on="2024-03-02", amount_usd="", amount="100", currency="GTQ")],
        COLUMNS,
    )
    before = table_counts()
    run = run_import("commitments", path)
    assert run.stderr == (
        f"{path}:2: currency: no exchange rate for GTQ on 2024-03-02; import one first "
        "(adelante import rates)\n"
    )
    assert table_counts() == before


def test_a_corrected_rate_reconverts_the_commitments_that_used_it(rates, tmp_path):
    path = write_csv(
        tmp_path / "gtq.csv", [commitment(amount_usd="", amount="775.12", currency="GTQ")], COLUMNS
    )
    import_commitments(path)
    assert Commitment.objects.get().amount_usd == Decimal("100.00")
    corrected = tmp_path / "rates.csv"
    corrected.write_text(
        "currency,date,units_per_usd,source\nGTQ,2024-03-01,7.7500,Banguat (corrected)\n",
        encoding="utf-8",
    )
    run = run_import("rates", corrected, "--dry-run")
    assert "converts 1 commitment again at the corrected rate" in run.stdout
    assert Commitment.objects.get().amount_usd == Decimal("100.00")

    run = run_import("rates", corrected)
    made = Commitment.objects.get()
    assert made.amount_usd == Decimal("100.02")
    assert made.countries.get().amount_usd == Decimal("100.02")
    assert made.history.latest().history_change_reason == "import rates.csv"
    # The commitments file, imported again, agrees with the corrected rate: nothing changes.
    before = table_counts()
    assert import_commitments(path).unchanged == 1
    assert table_counts() == before


def test_restating_an_amount_in_another_currency_updates_amount_rate_and_shares(rates, tmp_path):
    import_commitments(write_csv(tmp_path / "usd.csv", [commitment(amount_usd="100")], COLUMNS))
    gtq = write_csv(
        tmp_path / "gtq.csv", [commitment(amount_usd="", amount="7751.20", currency="GTQ")], COLUMNS
    )
    result = import_commitments(gtq)
    assert result.rows[0].changes == (
        "amount",
        "currency",
        "amount_usd",
        "exchange_rate",
        "countries",
    )
    made = Commitment.objects.get()
    assert (made.amount, made.currency, made.amount_usd) == (
        Decimal("7751.20"),
        "GTQ",
        Decimal("1000.00"),
    )
    assert made.exchange_rate == ExchangeRate.objects.get(on=DAY)
    assert made.countries.get().amount_usd == Decimal("1000.00")
    assert made.history.latest().exchange_rate_id == made.exchange_rate_id
