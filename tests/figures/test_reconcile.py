"""DOMAIN rule 5: every official statement beside the record's figure and the gap."""

import datetime
from decimal import Decimal

import pytest

from adelante.catalogue.models import Metric
from adelante.commitments.choices import StatementFigure
from adelante.commitments.models import OfficialStatement
from adelante.figures.reconcile import reconcile
from adelante.money.qualifiers import TotalQualifier
from tests import builders

pytestmark = pytest.mark.django_db

MAY = datetime.date(2021, 5, 27)
DEC = datetime.date(2021, 12, 13)


def statement(day, metric, value, figure="", qualifier="at_least", **extra):
    return OfficialStatement.objects.create(
        stated_on=day,
        metric=metric,
        value=Decimal(value),
        unit="USD",
        qualifier=qualifier,
        source_url=f"https://example.org/{metric}/{day}",
        figure=figure,
        **extra,
    )


def test_each_statement_beside_the_figure_for_its_own_date():
    builders.commitment("Alpha", "150", MAY)
    builders.commitment("Beta", "600", DEC)
    builders.commitment("Alpha", "100", DEC)
    statement(MAY, "cumulative_committed_usd", "750", StatementFigure.COMMITTED_USD)
    statement(DEC, "cumulative_committed_usd", "1200", StatementFigure.COMMITTED_USD)
    statement(DEC, "new_commitments_usd", "800", StatementFigure.ROUND_COMMITTED_USD)
    statement(DEC, "companies", "3", StatementFigure.PARTNERS, qualifier="exact")
    statement(DEC, "new_companies", "1", StatementFigure.ROUND_NEW_PARTNERS, qualifier="exact")
    statement(DEC, "convening_participants", "1300")

    rows = {(r.stated_on, r.metric): r for r in reconcile(DEC)}
    may = rows[(MAY, "cumulative_committed_usd")]
    assert may.computed_value == Decimal("150.00")
    assert may.gap == Decimal("600.00")
    dec = rows[(DEC, "cumulative_committed_usd")]
    assert (dec.computed_value, dec.gap) == (Decimal("850.00"), Decimal("350.00"))
    assert dec.computed_qualifier == TotalQualifier.EXACT
    assert rows[(DEC, "new_commitments_usd")].computed_value == Decimal("700.00")
    assert rows[(DEC, "companies")].computed_value == 2
    assert rows[(DEC, "companies")].gap == 1
    assert rows[(DEC, "new_companies")].computed_value == 1
    unbacked = rows[(DEC, "convening_participants")]
    assert unbacked.computed_value is None and unbacked.gap is None


def test_only_statements_made_by_the_date():
    statement(MAY, "cumulative_committed_usd", "750", StatementFigure.COMMITTED_USD)
    statement(DEC, "cumulative_committed_usd", "1200", StatementFigure.COMMITTED_USD)
    assert [r.stated_on for r in reconcile(MAY)] == [MAY]


def test_invested_and_reached_statements():
    alpha = builders.commitment("Alpha", "150", MAY)
    builders.report(alpha, DEC, {"usd_invested": "40", "people_trained": "12"})
    statement(DEC, "invested_to_date_usd", "650", StatementFigure.INVESTED_USD, qualifier="exact")
    statement(
        DEC,
        "people_trained_total",
        "100",
        StatementFigure.REACHED,
        reached_metric=Metric.objects.get(code="people_trained"),
    )
    rows = {r.metric: r for r in reconcile(DEC)}
    assert rows["invested_to_date_usd"].gap == Decimal("610.00")
    assert rows["people_trained_total"].computed_value == Decimal("12.00")
