"""The committed figure's `display_currency` (docs/api.md): the total in the initiative's
currency for display, with the rate, its day and its source; null for US$ and without a
rate. amount_usd stays the figure."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from adelante.currency.models import ExchangeRate
from adelante.figures.committed import committed
from adelante.figures.display import committed_in_display_currency
from adelante.initiatives import scope
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
