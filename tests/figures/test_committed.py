"""DOMAIN rule 2: committed as of a date."""

import datetime
from decimal import Decimal

import pytest

from adelante.commitments.choices import Relation, Status
from adelante.figures.audience import Audience
from adelante.figures.committed import committed
from adelante.money.qualifiers import AmountQualifier, TotalQualifier
from tests import builders

pytestmark = pytest.mark.django_db

MAY = datetime.date(2021, 5, 27)
DEC = datetime.date(2021, 12, 13)
JUN = datetime.date(2022, 6, 7)


def test_sums_new_money_announced_by_the_date():
    builders.commitment("Alpha", "100.10", MAY)
    builders.commitment("Beta", "200.20", DEC)
    builders.commitment("Gamma", "5000", JUN)

    assert committed(MAY).amount_usd == Decimal("100.10")
    assert committed(DEC).amount_usd == Decimal("300.30")
    assert committed(DEC - datetime.timedelta(days=1)).amount_usd == Decimal("100.10")
    assert committed(JUN).amount_usd == Decimal("5300.30")
    assert committed(MAY - datetime.timedelta(days=1)).commitments == 0


def test_restatement_counts_zero_but_is_a_commitment():
    first = builders.commitment("Millicom", "700", JUN)
    builders.commitment(
        "Millicom", "700", DEC + datetime.timedelta(days=400), relation=Relation.RESTATEMENT
    )
    later = committed(datetime.date(2023, 12, 31))
    assert later.amount_usd == first.amount_usd
    assert later.commitments == 2
    assert later.restatements == 1
    assert later.partners == 1


def test_increase_counts_its_own_amount():
    builders.commitment("Millicom", "700", JUN)
    builders.commitment(
        "Millicom", "350", DEC + datetime.timedelta(days=400), relation=Relation.INCREASE
    )
    assert committed(datetime.date(2023, 12, 31)).amount_usd == Decimal("1050.00")


def test_withdrawn_counts_until_withdrawal():
    builders.commitment("Alpha", "100", MAY)
    builders.commitment("Beta", "50", MAY, status=Status.WITHDRAWN, withdrawn_on=JUN)
    assert committed(DEC).amount_usd == Decimal("150.00")
    assert committed(JUN).amount_usd == Decimal("100.00")
    assert committed(JUN).partners == 1


def test_proposals_do_not_count():
    builders.commitment("Alpha", "100", MAY, status=Status.PROPOSED)
    builders.commitment("Beta", "100", MAY, status=Status.UNDER_REVIEW)
    assert committed(JUN).commitments == 0


def test_commitments_without_amount_are_counted_not_guessed():
    builders.commitment("Alpha", "100", MAY)
    builders.commitment("Beta", None, MAY)
    builders.commitment("Gamma", None, MAY, relation=Relation.RESTATEMENT)
    result = committed(MAY)
    assert result.amount_usd == Decimal("100.00")
    assert result.commitments == 3
    assert result.commitments_with_amount == 1
    assert result.commitments_without_amount == 1
    assert result.partners == 3


@pytest.mark.parametrize(
    ("qualifiers", "expected"),
    [
        ((AmountQualifier.EXACT, AmountQualifier.EXACT), TotalQualifier.EXACT),
        ((AmountQualifier.EXACT, AmountQualifier.AT_LEAST), TotalQualifier.AT_LEAST),
        ((AmountQualifier.EXACT, AmountQualifier.UP_TO), TotalQualifier.UP_TO),
        ((AmountQualifier.AT_LEAST, AmountQualifier.UP_TO), TotalQualifier.ABOUT),
        ((AmountQualifier.ABOUT, AmountQualifier.EXACT), TotalQualifier.ABOUT),
        ((AmountQualifier.CONFIDENTIAL, AmountQualifier.EXACT), TotalQualifier.EXACT),
    ],
)
def test_total_carries_the_qualifier(qualifiers, expected):
    for n, qualifier in enumerate(qualifiers):
        builders.commitment(f"Partner {n}", "10", MAY, qualifier=qualifier)
    assert committed(MAY).qualifier == expected


def test_a_restated_at_least_amount_does_not_qualify_the_total():
    builders.commitment("Alpha", "10", MAY)
    builders.commitment(
        "Alpha", "10", DEC, relation=Relation.RESTATEMENT, qualifier=AmountQualifier.AT_LEAST
    )
    assert committed(DEC).qualifier == TotalQualifier.EXACT


def test_confidential_amounts_are_left_out_of_the_public_total_and_counted():
    # Rule 7 (non-interference): the public total is the same whatever the secret is.
    builders.commitment("Alpha", "10", MAY, qualifier=AmountQualifier.AT_LEAST)
    builders.commitment("Beta", "990", MAY, qualifier=AmountQualifier.CONFIDENTIAL)
    builders.commitment("Gamma", None, MAY, qualifier=AmountQualifier.CONFIDENTIAL)
    builders.commitment("Delta", None, MAY)
    total = committed(MAY)
    assert total.amount_usd == Decimal("10.00")
    assert total.qualifier == TotalQualifier.AT_LEAST
    assert (
        total.commitments_with_amount,
        total.commitments_without_amount,
        total.commitments_confidential,
    ) == (1, 1, 2)


def test_allowed_roles_get_the_total_with_confidential_amounts():
    builders.commitment("Alpha", "10", MAY)
    builders.commitment("Beta", "990", MAY, qualifier=AmountQualifier.CONFIDENTIAL)
    builders.commitment("Gamma", None, MAY, qualifier=AmountQualifier.CONFIDENTIAL)
    total = committed(MAY, audience=Audience.CONFIDENTIAL_ALLOWED)
    assert total.amount_usd == Decimal("1000.00")
    assert (
        total.commitments_with_amount,
        total.commitments_without_amount,
        total.commitments_confidential,
    ) == (2, 1, 2)


def test_sums_are_exact_decimals_at_scale_of_cents():
    for n in range(10):
        builders.commitment(f"P{n}", "0.10", MAY)
    total = committed(MAY).amount_usd
    assert isinstance(total, Decimal)
    assert total == Decimal("1.00")


def test_large_amounts_stay_exact():
    builders.commitment("Alpha", "123456789012345.67", MAY)
    builders.commitment("Beta", "0.01", MAY)
    assert committed(MAY).amount_usd == Decimal("123456789012345.68")
