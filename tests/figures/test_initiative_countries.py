"""Countries come from the initiative in scope (issue 14, item 2): an initiative with four
countries, one outside Central America, has a by-country row for each and the "several
countries" and "regional" rows, with no country named in code."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from adelante.commitments.selectors import CommitmentFilter, select_commitments
from adelante.figures.committed import MULTI_COUNTRY, REGIONAL, committed, committed_by
from adelante.figures.country import country_figures
from adelante.figures.labels import row_labels
from adelante.initiatives import scope
from adelante.initiatives.country_keys import country_choices, country_key, country_keys
from adelante.initiatives.models import Initiative, InitiativeCountry
from tests import builders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 5)
LATER = datetime.date(2024, 12, 31)


def four_countries() -> Initiative:
    made = Initiative.objects.create(slug="four-countries", name="Four countries", position=1)
    for position, code in enumerate(("KE", "GT", "SV", "HN")):
        InitiativeCountry.objects.create(initiative=made, code=code, position=position)
    return made


@pytest.fixture
def four():
    initiative = four_countries()
    with scope.within(initiative):
        builders.commitment("Nairobi Co", "100", DAY, countries=["KE"])
        builders.commitment("Guate Co", "10", DAY, countries=["GT"])
        builders.commitment("Split Co", "50", DAY, countries={"SV": Decimal(60), "HN": Decimal(40)})
        builders.commitment("Both Co", "30", DAY, countries=["KE", "GT"])
        builders.commitment("Region Co", "7", DAY, countries=[])
    # The primary initiative's commitment is in none of the four-country figures.
    builders.commitment("Primary Co", "1000", datetime.date(2023, 1, 9), countries=["GT"])
    return initiative


def test_the_keys_are_the_initiatives_countries_then_the_two_groups(four):
    with scope.within(four):
        assert country_keys() == ("KE", "GT", "SV", "HN", MULTI_COUNTRY, REGIONAL)
        assert country_key("ke") == "KE" and country_key("Regional") == REGIONAL
        assert country_key("MX") is None
        with translation.override("es"):
            assert dict(country_choices())["KE"] == "Kenia"
    assert country_keys() == ("GT", "SV", "HN", MULTI_COUNTRY, REGIONAL)
    assert country_key("ke") is None  # not a country of the primary initiative
    assert country_keys(four)[0] == "KE"


def test_a_row_per_country_then_several_and_regional(four):
    with scope.within(four):
        breakdown = committed_by("country", LATER)
        rows = {row.key: row.amount_usd for row in breakdown.rows}
        assert rows == {
            "KE": Decimal("100.00"),
            "GT": Decimal("10.00"),
            "SV": Decimal("30.00"),
            "HN": Decimal("20.00"),
            MULTI_COUNTRY: Decimal("30.00"),
            REGIONAL: Decimal("7.00"),
        }
        assert [row.key for row in breakdown.rows][-2:] == [MULTI_COUNTRY, REGIONAL]
        assert sum(rows.values()) == committed(LATER).amount_usd == Decimal("197.00")
        with translation.override("es"):
            assert row_labels(breakdown)["KE"] == "Kenia"
        kenya = country_figures("KE", LATER)
        assert kenya.allocated.amount_usd == Decimal("100.00")
        assert kenya.shared.amount_usd == Decimal("30.00")
        assert kenya.regional.amount_usd == Decimal("7.00")
        named = select_commitments(CommitmentFilter(country="KE"))
        assert {c.partner.name for c in named} == {"Nairobi Co", "Both Co"}
    primary = {row.key for row in committed_by("country", LATER).rows}
    assert primary == {"GT"}


def test_a_fourth_country_added_to_the_primary_initiative_is_a_key_at_once(four):
    assert country_key("KE") is None
    InitiativeCountry.objects.create(initiative=scope.primary(), code="KE", position=3)
    assert country_keys() == ("GT", "SV", "HN", "KE", MULTI_COUNTRY, REGIONAL)


@st.composite
def four_geographies(draw):
    countries = draw(st.lists(st.sampled_from(["KE", "GT", "SV", "HN"]), unique=True))
    if len(countries) < 2 or draw(st.booleans()):
        return countries
    cuts = sorted(
        draw(
            st.lists(st.integers(0, 100), min_size=len(countries) - 1, max_size=len(countries) - 1)
        )
    )
    bounds = [0, *cuts, 100]
    return {c: Decimal(bounds[i + 1] - bounds[i]) for i, c in enumerate(countries)}


class FourCountryProperties(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(
            st.tuples(four_geographies(), st.integers(1, 10**9), st.integers(0, 400)),
            max_size=8,
        )
    )
    def test_rows_are_the_initiatives_keys_and_add_up_to_the_total(self, specs):
        initiative = four_countries()
        with scope.within(initiative):
            for n, (countries, cents, day) in enumerate(specs):
                builders.commitment(
                    f"Partner {n}",
                    Decimal(cents).scaleb(-2),
                    DAY + datetime.timedelta(days=day),
                    countries=countries,
                )
            breakdown = committed_by("country", LATER)
            assert breakdown.total is not None
            assert {row.key for row in breakdown.rows} <= set(country_keys())
            assert sum(row.amount_usd for row in breakdown.rows) == breakdown.total.amount_usd
        # The primary initiative's figures hold none of them.
        assert committed(LATER).commitments == 0
