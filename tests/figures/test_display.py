"""A US$ figure in an initiative's currency for display (docs/figures.md, "In the initiative's
currency"): the record's latest rate on or before the date, as recorded on the day asked for;
nothing for US$ or without a rate; the US$ figure never changes."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from adelante.currency.conversion import to_usd
from adelante.currency.models import ExchangeRate
from adelante.figures.audience import Audience
from adelante.figures.committed import committed
from adelante.figures.display import (
    committed_in_display_currency,
    display_currency,
    from_usd,
    in_currency,
    rate_by,
)
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative
from adelante.money.qualifiers import AmountQualifier
from tests import builders

FEB = datetime.date(2023, 2, 28)
MAR = datetime.date(2023, 3, 31)
EARLY = datetime.datetime(2023, 4, 1, 9, tzinfo=datetime.UTC)
LATER = datetime.datetime(2024, 1, 15, 12, tzinfo=datetime.UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


def rate(currency: str, on: datetime.date, units: str, source: str = "https://example.org/r"):
    return ExchangeRate.objects.create(
        currency=currency, on=on, units_per_usd=Decimal(units), source=source
    )


def test_an_amount_is_multiplied_by_the_rate_half_even_to_the_cent():
    assert from_usd(Decimal("1000.00"), Decimal("129.5")) == Decimal("129500.00")
    # 0.25 * 0.5 = 0.125 → 0.12; 0.27 * 0.5 = 0.135 → 0.14 (half to even).
    assert from_usd(Decimal("0.25"), Decimal("0.5")) == Decimal("0.12")
    assert from_usd(Decimal("0.27"), Decimal("0.5")) == Decimal("0.14")


@pytest.mark.django_db
def test_the_latest_rate_on_or_before_the_date_is_used():
    rate("KES", datetime.date(2023, 1, 31), "124.0", "January")
    rate("KES", FEB, "129.5", "February")
    rate("KES", MAR, "132.0", "March")
    found = in_currency(Decimal("1000.00"), "kes", datetime.date(2023, 3, 15))
    assert found is not None
    assert (found.currency, found.amount, found.amount_usd) == (
        "KES",
        Decimal("129500.00"),
        Decimal("1000.00"),
    )
    assert (found.rate.units_per_usd, found.rate.on, found.rate.source) == (
        Decimal("129.5"),
        FEB,
        "February",
    )
    # On the rate's own day, that rate.
    on_day = in_currency(Decimal("1000.00"), "KES", MAR)
    assert on_day is not None and on_day.rate.on == MAR


@pytest.mark.django_db
def test_nothing_is_shown_for_us_dollars_or_without_a_rate_by_the_date():
    rate("USD", FEB, "1")
    rate("KES", MAR, "132.0")
    assert in_currency(Decimal("1000.00"), "USD", MAR) is None
    assert in_currency(Decimal("1000.00"), "KES", FEB) is None  # only a later rate
    assert in_currency(Decimal("1000.00"), "EUR", MAR) is None  # no rate at all
    # Another currency's rate is never taken.
    assert rate_by("TZS", MAR) is None


@pytest.mark.django_db
def test_the_rate_is_read_as_the_record_stood_on_the_day():
    with at(EARLY):
        made = rate("KES", FEB, "129.5", "first source")
    with at(LATER):
        made.units_per_usd = Decimal("130.25")
        made.source = "corrected source"
        made.save()
        rate("KES", MAR, "132.0")
    recorded = datetime.date(2023, 4, 1)
    then = in_currency(Decimal("100.00"), "KES", datetime.date(2023, 12, 31), recorded_on=recorded)
    assert then is not None
    assert (then.amount, then.rate.units_per_usd, then.rate.source, then.rate.on) == (
        Decimal("12950.00"),
        Decimal("129.5"),
        "first source",
        FEB,
    )
    now = in_currency(Decimal("100.00"), "KES", datetime.date(2023, 12, 31))
    assert now is not None and (now.amount, now.rate.on) == (Decimal("13200.00"), MAR)
    # Before the rate was recorded at all: nothing.
    before = datetime.date(2023, 3, 31)
    assert in_currency(Decimal("100.00"), "KES", MAR, recorded_on=before) is None


@pytest.mark.django_db
def test_the_initiatives_currency_is_read_as_recorded_on_the_day():
    with at(EARLY):
        made = Initiative.objects.create(slug="coastal", name="Coastal", display_currency="USD")
    with at(LATER):
        made.display_currency = "KES"
        made.save()
    assert display_currency(made.pk) == "KES"
    assert display_currency(made.pk, recorded_on=datetime.date(2023, 6, 1)) == "USD"
    # Not yet in the record: US$ (nothing converted).
    assert display_currency(made.pk, recorded_on=datetime.date(2022, 1, 1)) == "USD"


@pytest.mark.django_db
def test_only_a_public_total_is_converted_and_its_confidential_amounts_stay_out():
    made = Initiative.objects.create(slug="coastal", name="Coastal", display_currency="KES")
    rate("KES", FEB, "100")
    with scope.within(made):
        builders.commitment("Alpha", "1000", FEB, countries=["KE"])
        builders.commitment(
            "Secret", "555", FEB, countries=["KE"], qualifier=AmountQualifier.CONFIDENTIAL
        )
        public = committed(MAR)
        allowed = committed(MAR, audience=Audience.CONFIDENTIAL_ALLOWED)
    converted = committed_in_display_currency(public, made.pk)
    assert converted is not None
    assert (converted.amount, converted.amount_usd) == (Decimal("100000.00"), public.amount_usd)
    assert committed_in_display_currency(allowed, made.pk) is None


@pytest.mark.django_db
def test_a_us_dollar_initiatives_total_is_not_converted():
    made = Initiative.objects.create(slug="plain", name="Plain")
    rate("KES", FEB, "100")
    with scope.within(made):
        total = committed(MAR)
    assert committed_in_display_currency(total, made.pk) is None


cents = st.integers(min_value=0, max_value=10**15).map(lambda c: Decimal(c).scaleb(-2))
rates = st.decimals(
    min_value=Decimal("0.0000000001"), max_value=Decimal("100000"), places=10, allow_nan=False
).filter(lambda r: r > 0)


@given(cents, cents, rates)
def test_the_amount_in_the_currency_never_falls_as_the_us_dollar_amount_grows(a, b, units):
    low, high = sorted((a, b))
    assert from_usd(low, units) <= from_usd(high, units)


@given(rates)
def test_zero_stays_zero(units):
    assert from_usd(Decimal("0.00"), units) == 0


@given(cents, rates)
def test_the_amount_is_exact_to_the_cent(amount, units):
    result = from_usd(amount, units)
    assert isinstance(result, Decimal)
    assert result == result.quantize(Decimal("0.01"))
    assert abs(result - amount * units) <= Decimal("0.005")


@given(cents, st.decimals(min_value=1, max_value=100000, places=4))
def test_converting_back_gives_the_us_dollar_amount_within_a_cent(amount, units):
    assert abs(to_usd(from_usd(amount, units), units) - amount) <= Decimal("0.01")


DAYS = st.integers(0, 800)
START = datetime.date(2022, 1, 1)


class DisplayProperties(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(DAYS, unique=True, max_size=6),
        DAYS,
        cents,
        st.sampled_from(["USD", "KES", "usd"]),
    )
    def test_the_rate_used_is_never_after_the_date_and_the_us_dollar_figure_never_changes(
        self, rate_days, as_of_day, amount, currency
    ):
        for n, day in enumerate(rate_days):
            rate("KES", START + datetime.timedelta(days=day), f"{100 + n}.5")
            rate("USD", START + datetime.timedelta(days=day), "1")
        as_of = START + datetime.timedelta(days=as_of_day)
        found = in_currency(amount, currency, as_of)
        earlier = [d for d in rate_days if d <= as_of_day]
        if currency.upper() == "USD" or not earlier:
            assert found is None
            return
        assert found is not None
        assert found.rate.on == START + datetime.timedelta(days=max(earlier))
        assert found.rate.on <= as_of
        assert found.amount_usd == amount
        assert found.amount == from_usd(amount, found.rate.units_per_usd)
