"""The committed and invested figures' `display_currency` (docs/api.md): the total in the
initiative's currency for display, with the rate, its day and its source; null for US$ and
without a rate; a breakdown's rate once at its top and each row's `display_amount`. amount_usd
stays the figure."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from adelante.commitments.models import Commitment
from adelante.currency.models import ExchangeRate
from adelante.figures.committed import committed
from adelante.figures.display import committed_in_display_currency, from_usd
from adelante.initiatives import scope
from tests import builders
from tests.api.conftest import get_json
from tests.second_initiative import ON, SLUG, second_initiative, second_record

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/synthetic-rates"
AFTER = (ON + datetime.timedelta(days=30)).isoformat()


@pytest.fixture
def second():
    initiative = second_initiative()
    second_record(initiative)
    initiative.display_currency = "KES"
    initiative.save()
    ExchangeRate.objects.create(currency="KES", on=ON, units_per_usd=Decimal("129.5"),
                                source=SOURCE)  # fmt: skip
    return initiative


def test_the_committed_total_says_it_in_the_initiatives_currency(client, second):
    got = get_json(client, f"/api/v1/figures/committed?initiative={SLUG}&as_of={AFTER}")
    assert got["amount_usd"] == "6200000.00"
    assert got["display_currency"] == {
        "code": "KES",
        "amount": "802900000.00",
        "rate": "129.5000000000",
        "rate_on": ON.isoformat(),
        "source": SOURCE,
    }
    with scope.within(second):
        expected = committed_in_display_currency(
            committed(datetime.date.fromisoformat(AFTER)), second.pk
        )
    assert expected is not None and str(expected.amount) == got["display_currency"]["amount"]


def test_the_total_of_a_breakdown_says_it_too(client, second):
    got = get_json(client, f"/api/v1/figures/committed/by/country?initiative={SLUG}&as_of={AFTER}")
    assert got["total"]["display_currency"]["amount"] == "802900000.00"


def test_it_is_null_for_us_dollars_and_before_any_rate(client, second):
    primary = get_json(client, f"/api/v1/figures/committed?as_of={AFTER}")
    assert primary["display_currency"] is None
    before = (ON - datetime.timedelta(days=1)).isoformat()
    early = get_json(client, f"/api/v1/figures/committed?initiative={SLUG}&as_of={before}")
    assert early["display_currency"] is None


def test_it_is_null_for_a_currency_without_a_rate(client, second):
    second.display_currency = "TZS"
    second.save()
    got = get_json(client, f"/api/v1/figures/committed?initiative={SLUG}&as_of={AFTER}")
    assert got["display_currency"] is None


def test_as_recorded_on_an_earlier_day_it_is_the_currency_and_rate_of_that_day(client):
    with time_machine.travel(datetime.datetime(2024, 5, 1, 9, tzinfo=datetime.UTC), tick=False):
        initiative = second_initiative()
        second_record(initiative)
    with time_machine.travel(datetime.datetime(2024, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        initiative.display_currency = "KES"
        initiative.save()
        ExchangeRate.objects.create(currency="KES", on=ON, units_per_usd=Decimal("129.5"),
                                    source=SOURCE)  # fmt: skip
    url = f"/api/v1/figures/committed?initiative={SLUG}&as_of={AFTER}"
    assert get_json(client, f"{url}&recorded_on=2024-05-15")["display_currency"] is None
    assert get_json(client, f"{url}&recorded_on=2024-06-02")["display_currency"]["code"] == "KES"


# -- Invested and the breakdowns' rows --------------------------------------------------------


def test_invested_says_it_in_the_initiatives_currency_too(client, second):
    with scope.within(second):
        builders.report(
            Commitment.objects.get(partner__name="Nairobi Mills"), ON, {"usd_invested": "1000.25"}
        )
    got = get_json(client, f"/api/v1/figures/invested?initiative={SLUG}&as_of={AFTER}")
    assert got["value"] == "1000.25"
    # 1000.25 * 129.5 = 129,532.375 → 129,532.38 (half-even).
    assert got["display_currency"] == {
        "code": "KES",
        "amount": "129532.38",
        "rate": "129.5000000000",
        "rate_on": ON.isoformat(),
        "source": SOURCE,
    }
    graded = get_json(
        client,
        f"/api/v1/figures/invested?initiative={SLUG}&as_of={AFTER}&grade=independently_verified",
    )
    assert graded["value"] == "0.00" and graded["display_currency"]["amount"] == "0.00"


def test_invested_is_null_for_us_dollars_and_before_any_rate(client, second):
    assert get_json(client, f"/api/v1/figures/invested?as_of={AFTER}")["display_currency"] is None
    before = (ON - datetime.timedelta(days=1)).isoformat()
    early = get_json(client, f"/api/v1/figures/invested?initiative={SLUG}&as_of={before}")
    assert early["display_currency"] is None


@pytest.mark.parametrize("dimension", ["country", "kind", "round", "partner-type", "focus"])
def test_every_row_of_a_breakdown_has_its_amount_at_the_one_rate(client, second, dimension):
    url = f"/api/v1/figures/committed/by/{dimension}?initiative={SLUG}&as_of={AFTER}"
    got = get_json(client, url)
    assert got["display_currency"] == {
        "code": "KES",
        "rate": "129.5000000000",
        "rate_on": ON.isoformat(),
        "source": SOURCE,
    }
    for row in got["rows"]:
        assert row["display_amount"] == str(
            from_usd(Decimal(row["amount_usd"]), Decimal("129.5"))
        ), row
    if got["total"] is not None:
        assert got["total"]["display_currency"]["amount"] == "802900000.00"


def test_the_rows_by_country_are_hand_computed(client, second):
    got = get_json(client, f"/api/v1/figures/committed/by/country?initiative={SLUG}&as_of={AFTER}")
    rows = {row["key"]: row["display_amount"] for row in got["rows"] if row["amount_usd"] != "0.00"}
    assert rows == {
        "KE": "259000000.00",  # 2,000,000 * 129.5
        "TZ": "194250000.00",  # 1,500,000 * 129.5
        "UG": "194250000.00",
        "GT": "90650000.00",  # 700,000 * 129.5
        "regional": "64750000.00",  # 500,000 * 129.5
    }


def test_a_breakdown_reads_the_rate_once(client, second):
    url = f"/api/v1/figures/committed/by/country?initiative={SLUG}&as_of={AFTER}"
    with CaptureQueriesContext(connection) as queries:
        assert len(get_json(client, url)["rows"]) > 3
    rates = [q["sql"] for q in queries.captured_queries if "units_per_usd" in q["sql"]]
    assert len(rates) == 1, rates


def test_a_breakdown_has_no_rate_and_null_rows_for_us_dollars_or_before_any_rate(client, second):
    primary = get_json(client, f"/api/v1/figures/committed/by/kind?as_of={AFTER}")
    assert primary["display_currency"] is None
    assert all(row["display_amount"] is None for row in primary["rows"])
    before = (ON - datetime.timedelta(days=1)).isoformat()
    early = get_json(client, f"/api/v1/figures/committed/by/kind?initiative={SLUG}&as_of={before}")
    assert early["display_currency"] is None and early["total"]["display_currency"] is None
    assert all(row["display_amount"] is None for row in early["rows"])


def test_a_confidential_amount_changes_no_row_in_the_currency(client, second):
    """DOMAIN rule 7: the rows are the public ones, converted."""
    url = f"/api/v1/figures/committed/by/country?initiative={SLUG}&as_of={AFTER}"
    with scope.within(second):
        secret = builders.commitment(
            "Hidden Harbour", "900000", ON, countries=["KE"], qualifier="confidential"
        )
    before = get_json(client, url)
    secret.amount = secret.amount_usd = Decimal("123456789.01")
    secret.save()
    assert get_json(client, url) == before
