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
from adelante.figures.committed import committed, committed_by
from adelante.figures.display import (
    breakdown_in_display_currency,
    committed_in_display_currency,
    display_currency,
    display_rate,
    from_usd,
    in_currency,
    invested_in_display_currency,
    rate_by,
)
from adelante.figures.reached import invested, reached
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


# -- Invested and the breakdowns (the same rule) --------------------------------------------


def _coastal(currency: str = "KES") -> Initiative:
    return Initiative.objects.create(slug="coastal", name="Coastal", display_currency=currency)


@pytest.mark.django_db
def test_invested_is_read_at_the_same_rate_as_committed():
    made = _coastal()
    rate("KES", FEB, "129.5", "February")
    rate("KES", datetime.date(2023, 4, 30), "140", "April: after the date")
    with scope.within(made):
        alpha = builders.commitment("Alpha", "1000", FEB, countries=["KE"])
        builders.report(alpha, FEB, {"usd_invested": "250.25"})
        figure = invested(MAR)
        total = committed(MAR)
    converted = invested_in_display_currency(figure, made.pk)
    assert converted is not None
    # 250.25 * 129.5 = 32,407.375 → 32,407.38 (half-even).
    assert (converted.currency, converted.amount, converted.amount_usd) == (
        "KES",
        Decimal("32407.38"),
        Decimal("250.25"),
    )
    assert converted.rate == committed_in_display_currency(total, made.pk).rate  # type: ignore[union-attr]
    assert figure.value == Decimal("250.25")  # the US$ figure is left as it was


@pytest.mark.django_db
def test_invested_gets_nothing_for_us_dollars_or_without_a_rate_and_other_metrics_are_refused():
    made = _coastal("USD")
    rate("KES", FEB, "100")
    with scope.within(made):
        alpha = builders.commitment("Alpha", "1000", FEB, countries=["KE"])
        builders.report(alpha, FEB, {"usd_invested": "10", "people_trained": "5"})
        figure = invested(MAR)
        people = reached("people_trained", MAR)
    assert invested_in_display_currency(figure, made.pk) is None
    made.display_currency = "TZS"
    made.save()
    assert invested_in_display_currency(figure, made.pk) is None
    with pytest.raises(ValueError, match="people_trained"):
        invested_in_display_currency(people, made.pk)


@pytest.mark.django_db
def test_invested_is_read_as_recorded_on_its_day():
    with at(EARLY):
        made = _coastal("USD")
        with scope.within(made):
            alpha = builders.commitment("Alpha", "1000", FEB, countries=["KE"])
            builders.report(alpha, FEB, {"usd_invested": "100"})
        rate("KES", FEB, "129.5")
    with at(LATER):
        made.display_currency = "KES"
        made.save()
    with scope.within(made):
        then = invested(MAR, recorded_on=datetime.date(2023, 6, 1))
        now = invested(MAR)
    assert invested_in_display_currency(then, made.pk) is None
    found = invested_in_display_currency(now, made.pk)
    assert found is not None and found.amount == Decimal("12950.00")


@pytest.mark.django_db
def test_every_row_of_a_breakdown_and_its_total_are_read_at_one_rate():
    made = _coastal()
    rate("KES", FEB, "129.5", "February")
    with scope.within(made):
        builders.commitment("Alpha", "1000.25", FEB, countries=["KE"])
        builders.commitment("Beta", "3", FEB, countries=["TZ"])
        breakdown = committed_by("country", MAR)
    converted = breakdown_in_display_currency(breakdown, made.pk)
    assert converted is not None
    assert converted.currency == "KES" and converted.rate.on == FEB
    # 1000.25 * 129.5 = 129,532.375 → 129,532.38; 3 * 129.5 = 388.50.
    assert {k: v for k, v in converted.rows.items() if v} == {
        "KE": Decimal("129532.38"),
        "TZ": Decimal("388.50"),
    }
    assert converted.total is not None
    assert converted.total.amount == Decimal("129920.88")
    assert converted.total.amount_usd == breakdown.total.amount_usd  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_breakdown_reads_the_rate_once_whatever_its_rows(django_assert_max_num_queries):
    made = _coastal()
    rate("KES", FEB, "100")
    with scope.within(made):
        for n, code in enumerate(("KE", "TZ", "UG", "GT", "RW", "BI")):
            builders.commitment(f"Partner {n}", "10", FEB, countries=[code])
        by_country = committed_by("country", MAR)
    assert len([row for row in by_country.rows if row.amount_usd]) == 6
    # The initiative's currency and its rate: two reads, not one per row.
    with django_assert_max_num_queries(2):
        converted = breakdown_in_display_currency(by_country, made.pk)
    assert converted is not None and len(converted.rows) == len(by_country.rows)


@pytest.mark.django_db
def test_a_breakdown_with_confidential_amounts_gets_nothing_nor_do_its_rows():
    made = _coastal()
    rate("KES", FEB, "100")
    with scope.within(made):
        builders.commitment("Alpha", "1000", FEB, countries=["KE"])
        builders.commitment(
            "Secret", "555", FEB, countries=["KE"], qualifier=AmountQualifier.CONFIDENTIAL
        )
        allowed = committed_by("country", MAR, audience=Audience.CONFIDENTIAL_ALLOWED)
        public = committed_by("country", MAR)
        focus = committed_by("focus", MAR)
    assert breakdown_in_display_currency(allowed, made.pk) is None
    converted = breakdown_in_display_currency(public, made.pk)
    assert converted is not None and converted.rows["KE"] == Decimal("100000.00")
    # Rows that overlap have no total, and so none in the currency.
    overlapping = breakdown_in_display_currency(focus, made.pk)
    assert overlapping is not None and overlapping.total is None


@pytest.mark.django_db
def test_a_breakdown_gets_nothing_for_us_dollars_or_before_any_rate():
    made = _coastal()
    rate("KES", MAR, "100")
    with scope.within(made):
        builders.commitment("Alpha", "1000", FEB, countries=["KE"])
        early = committed_by("country", FEB)
    assert breakdown_in_display_currency(early, made.pk) is None
    assert display_rate(made.pk, FEB) is None and display_rate(made.pk, MAR) is not None
    made.display_currency = "USD"
    made.save()
    assert display_rate(made.pk, MAR) is None


class DisplayOfTotalsProperties(TestCase):
    """Whatever the amounts and the rate: each converted figure is from_usd of its US$
    figure at the one rate, the US$ figures are those the figures module gives, and without a
    rate there is nothing."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(cents.filter(lambda c: c > 0), min_size=1, max_size=4),
        cents,
        st.one_of(st.none(), rates),
    )
    def test_each_figure_is_its_us_dollar_figure_at_the_rate(self, amounts, spent, units):
        made = _coastal()
        if units is not None:
            rate("KES", FEB, str(units))
        with scope.within(made):
            made_commitments = [
                builders.commitment(f"P{n}", amount, FEB, countries=[("KE", "TZ", "UG")[n % 3]])
                for n, amount in enumerate(amounts)
            ]
            builders.report(made_commitments[0], FEB, {"usd_invested": spent})
            total = committed(MAR)
            money_in = invested(MAR)
            breakdown = committed_by("country", MAR)
        figures = (
            committed_in_display_currency(total, made.pk),
            invested_in_display_currency(money_in, made.pk),
            breakdown_in_display_currency(breakdown, made.pk),
        )
        if units is None:
            assert figures == (None, None, None)
            return
        in_committed, in_invested, in_rows = figures
        assert in_committed is not None and in_invested is not None and in_rows is not None
        assert (in_committed.amount_usd, in_invested.amount_usd) == (total.amount_usd, spent)
        assert in_committed.amount == from_usd(total.amount_usd, units)
        assert in_invested.amount == from_usd(spent, units)
        for row in breakdown.rows:
            expected = None if row.amount_usd is None else from_usd(row.amount_usd, units)
            assert in_rows.rows[row.key] == expected
        assert in_rows.total == in_committed
