"""A small record with every kind of figure a report shows, built at known moments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from adelante.catalogue.models import Metric
from adelante.commitments.choices import MoneyKind, Relation, StatementFigure
from adelante.commitments.models import OfficialStatement, Source, Target
from adelante.money.qualifiers import AmountQualifier
from adelante.progress.models import ReportStatus
from tests import builders

FIRST = datetime.date(2022, 6, 7)
SECOND = datetime.date(2023, 2, 6)
AS_OF = datetime.date(2023, 9, 30)
H2 = datetime.date(2022, 12, 31)
H3 = datetime.date(2023, 6, 30)


def at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


@pytest.fixture
def record():
    """Five partners over two rounds, verified progress, targets and official statements."""
    with at(noon(FIRST)):
        alpha = builders.commitment(
            "Alpha Cafés",
            "312345678.90",
            FIRST,
            countries={"GT": Decimal(60), "SV": Decimal(40)},
            qualifier=AmountQualifier.AT_LEAST,
            kind=MoneyKind.CAPITAL_INVESTMENT,
            focus=["financial_inclusion", "agriculture"],
        )
        beta = builders.commitment(
            "Beta Fundación",
            "45500000",
            FIRST,
            countries=["HN"],
            kind=MoneyKind.PROGRAMME,
            focus=["women"],
            partner_type="foundation",
        )
        gamma = builders.commitment("Gamma", None, FIRST, countries=[])
        Source.objects.create(
            commitment=alpha, url="https://example.org/alpha-cafes", title="Alpha news"
        )
        Source.objects.create(commitment=beta, url="https://example.org/beta", title="")
        OfficialStatement.objects.create(
            stated_on=FIRST,
            metric="cumulative_committed_usd",
            value=Decimal("1900000000"),
            unit="USD",
            qualifier="at_least",
            source_url="https://example.org/fact-sheet-2022",
            figure=StatementFigure.COMMITTED_USD,
        )
    with at(noon(SECOND)):
        builders.commitment("Alpha Cafés", "312345678.90", SECOND, relation=Relation.RESTATEMENT)
        epsilon = builders.commitment(
            "Epsilon Bank", "77000000", SECOND, countries=["GT", "HN"], kind=MoneyKind.LENDING
        )
        OfficialStatement.objects.create(
            stated_on=SECOND,
            metric="cumulative_committed_usd",
            value=Decimal("4200000000"),
            unit="USD",
            qualifier="at_least",
            source_url="https://example.org/fact-sheet-2023",
            figure=StatementFigure.COMMITTED_USD,
        )
        Target.objects.create(
            commitment=alpha,
            metric=Metric.objects.get(code="people_trained"),
            value=Decimal(12000),
            by_date=datetime.date(2024, 6, 30),
        )
        Target.objects.create(
            commitment=epsilon,
            metric=Metric.objects.get(code="people_financially_included"),
            value=Decimal(50000),
        )
    with at(noon(datetime.date(2023, 2, 20))):
        builders.report(alpha, H2, {"usd_invested": "12345678.90", "people_trained": "2500"})
        builders.report(beta, H2, {"usd_invested": "1000000", "women_reached": "700"})
    with at(noon(datetime.date(2023, 8, 1))):
        builders.report(alpha, H3, {"usd_invested": "23456789.10", "people_trained": "4100"})
        builders.report(beta, H3, {"usd_invested": "9999999"}, status=ReportStatus.SUBMITTED)
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "epsilon": epsilon}
