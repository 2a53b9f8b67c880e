"""A country's figures: its breakdown row, and beside it the shared and regional parts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from adelante.figures.audience import Audience
from adelante.figures.committed import REGIONAL, committed_by
from adelante.figures.country import country_figures
from adelante.figures.reached import invested
from adelante.money.qualifiers import AmountQualifier
from tests import builders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 6, 7)
H1 = datetime.date(2022, 12, 31)


@pytest.fixture
def record():
    split = builders.commitment(
        "Split", "100", DAY, countries={"GT": Decimal(60), "SV": Decimal(40)}
    )
    alone = builders.commitment("Alone", "10", DAY, countries=["GT"])
    multi = builders.commitment("Multi", "30", DAY, countries=["GT", "HN"])
    region = builders.commitment("Region", "11", DAY, countries=[])
    builders.commitment("Elsewhere", "5", DAY, countries=["SV"])
    builders.report(split, H1, {"usd_invested": "8"})
    builders.report(alone, H1, {"usd_invested": "3"})
    builders.report(multi, H1, {"usd_invested": "4"})
    builders.report(region, H1, {"usd_invested": "2"})


def test_the_country_row_and_the_parts_beside_it(record):
    gt = country_figures("GT", H1)
    rows = {r.key: r for r in committed_by("country", H1).rows}
    assert gt.allocated.amount_usd == rows["GT"].amount_usd == Decimal("70.00")
    assert gt.shared.amount_usd == Decimal("30.00")
    assert gt.shared.commitments == 1
    assert gt.regional.amount_usd == rows[REGIONAL].amount_usd == Decimal("11.00")
    assert gt.commitments == 3
    assert gt.regional_commitments == 1
    assert gt.partners == 4  # Split, Alone, Multi and the regional one


def test_invested_by_the_commitments_that_concern_it_never_split(record):
    gt = country_figures("GT", H1)
    assert gt.invested_alone.value == Decimal("3.00")
    assert gt.invested_with_others.value == Decimal("12.00")  # Split and Multi, whole values
    assert gt.invested_regional.value == Decimal("2.00")
    hn = country_figures("HN", H1)
    assert hn.invested_alone.value == 0
    assert hn.invested_with_others.value == Decimal("4.00")
    # Alone, with others and regional parts of all countries cover every verified value.
    total = invested(H1).value
    alone = sum(country_figures(c, H1).invested_alone.value for c in ("GT", "SV", "HN"))
    mixed = {"Split": Decimal(8), "Multi": Decimal(4)}
    assert alone + sum(mixed.values()) + gt.invested_regional.value == total


def test_a_confidential_amount_is_left_out_of_the_public_shared_part():
    builders.commitment(
        "Secret", "30", DAY, countries=["GT", "HN"], qualifier=AmountQualifier.CONFIDENTIAL
    )
    builders.commitment("Open", "5", DAY, countries=["GT", "HN"])
    gt = country_figures("GT", DAY)
    assert gt.shared.amount_usd == Decimal("5.00") and not gt.shared.suppressed
    assert (gt.shared.commitments, gt.shared.confidential) == (2, 1)


def test_for_allowed_roles_a_small_shared_cell_with_a_confidential_amount_is_suppressed():
    builders.commitment(
        "Secret", "30", DAY, countries=["GT", "HN"], qualifier=AmountQualifier.CONFIDENTIAL
    )
    gt = country_figures("GT", DAY, audience=Audience.CONFIDENTIAL_ALLOWED)
    assert gt.shared.suppressed and gt.shared.amount_usd is None
    assert gt.shared.commitments == 1


def test_before_anything_was_announced():
    builders.commitment("Later", "10", DAY, countries=["GT"])
    gt = country_figures("GT", DAY - datetime.timedelta(days=1))
    assert gt.allocated.amount_usd == 0 and gt.commitments == 0 and gt.partners == 0


def test_as_recorded_on_an_earlier_day(record):
    # Everything was recorded today: on an earlier day the record was empty.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    gt = country_figures("GT", H1, recorded_on=yesterday)
    assert gt.commitments == 0 and gt.partners == 0 and gt.invested_alone.value == 0
    today = country_figures("GT", H1, recorded_on=timezone.localdate())
    live = country_figures("GT", H1)
    assert (today.allocated, today.shared, today.partners, today.commitments) == (
        live.allocated,
        live.shared,
        live.partners,
        live.commitments,
    )
    assert today.invested_with_others.value == live.invested_with_others.value
