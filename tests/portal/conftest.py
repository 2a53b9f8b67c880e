"""A small record with every case the portal must show: shares, several countries, the region,
a confidential amount, a restatement, a withdrawal, a proposal (never public), an amount in
another currency, targets, verified progress, aliases, official statements, and a partner
whose name is a script tag."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from adelante.catalogue.models import Metric
from adelante.commitments.choices import MoneyKind, Relation, StatementFigure, Status
from adelante.commitments.models import Commitment, OfficialStatement, Source, Target
from adelante.currency.models import ExchangeRate
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import PartnerAlias
from adelante.partners.naming import normalise
from tests import builders

MAY = datetime.date(2021, 5, 27)
DEC = datetime.date(2021, 12, 13)
JUN = datetime.date(2022, 6, 7)
FEB = datetime.date(2023, 2, 6)
H2 = datetime.date(2022, 12, 31)
H3 = datetime.date(2023, 6, 30)
SCRIPT = "<script>alert(1)</script>"


@dataclass
class PortalRecord:
    alpha: Commitment
    beta: Commitment
    secret: Commitment
    restated: Commitment
    withdrawn: Commitment
    proposal: Commitment
    pesos: Commitment
    regional: Commitment
    evil: Commitment


@pytest.fixture
def record(db) -> PortalRecord:
    alpha = builders.commitment(
        "Alpha Corp",
        "300000000",
        MAY,
        countries={"GT": Decimal(60), "SV": Decimal(40)},
        kind=MoneyKind.CAPITAL_INVESTMENT,
        focus=["financial_inclusion", "agriculture"],
    )
    beta = builders.commitment(
        "Beta Foundation",
        "40000000",
        DEC,
        countries=["GT", "HN"],
        qualifier=AmountQualifier.AT_LEAST,
        kind=MoneyKind.PROGRAMME,
        partner_type="foundation",
        focus=["agriculture"],
    )
    secret = builders.commitment(
        "Gamma Bank",
        "12345678",
        JUN,
        countries=["HN"],
        qualifier=AmountQualifier.CONFIDENTIAL,
        kind=MoneyKind.LENDING,
    )
    restated = builders.commitment(
        "Alpha Corp", "300000000", JUN, countries=["GT"], relation=Relation.RESTATEMENT
    )
    restated.relates_to = alpha
    restated.save()
    withdrawn = builders.commitment(
        "Delta Ltd", "5000000", DEC, status=Status.WITHDRAWN, withdrawn_on=JUN
    )
    proposal = builders.commitment("Epsilon Proposals", "999", FEB, status=Status.PROPOSED)
    rate = ExchangeRate.objects.create(
        currency="GTQ", on=FEB, units_per_usd=Decimal("7.8"), source="Banco de Guatemala"
    )
    pesos = builders.commitment("Zeta Quetzal", "1000000", FEB, countries=["GT"])
    pesos.currency, pesos.amount, pesos.exchange_rate = "GTQ", Decimal("7800000"), rate
    pesos.save()
    regional = builders.commitment("Eta Regional", None, FEB, countries=[])
    evil = builders.commitment(SCRIPT, "1000", FEB, countries=["SV"])
    evil.title = '=HYPERLINK("http://evil.example")'
    evil.summary = "@SUM(1+1) " + SCRIPT
    evil.save()
    PartnerAlias.objects.create(
        partner=alpha.partner, name="Alphabet Soup", normalised_name=normalise("Alphabet Soup")
    )
    Source.objects.create(commitment=alpha, url="https://example.org/alpha", title="Alpha release")
    Target.objects.create(
        commitment=alpha, metric=Metric.objects.get(code="people_trained"), value=Decimal(1000)
    )
    builders.report(alpha, H2, {"usd_invested": "1000000", "people_trained": "300"})
    builders.report(alpha, H3, {"usd_invested": "2500000"})
    builders.report(beta, H2, {"usd_invested": "700000"})
    builders.report(beta, H3, {"usd_invested": "900000"}, status="submitted")
    for day, value, figure, metric in (
        (MAY, "750000000", StatementFigure.COMMITTED_USD, "cumulative_committed_usd"),
        (FEB, "4200000000", StatementFigure.COMMITTED_USD, "cumulative_committed_usd"),
        (FEB, "950000000", StatementFigure.ROUND_COMMITTED_USD, "new_commitments_usd"),
        (FEB, "650000000", StatementFigure.INVESTED_USD, "invested_to_date_usd"),
        (FEB, "77", "", "partners_at_ceo_convening"),
    ):
        OfficialStatement.objects.create(
            stated_on=day,
            metric=metric,
            value=Decimal(value),
            unit="USD" if figure else "count",
            qualifier="at_least",
            source_url=f"https://example.org/{metric}/{day}",
            figure=figure,
        )
    return PortalRecord(alpha, beta, secret, restated, withdrawn, proposal, pesos, regional, evil)


def figure(page: str, name: str) -> str:
    """The text of the element marked data-figure="name" (tags stripped, spaces collapsed)."""
    found = re.search(rf'data-figure="{re.escape(name)}"[^>]*>(.*?)</', page, re.S)
    assert found, f"no figure {name!r} on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def cell(page: str, attribute: str, key: str) -> str:
    found = re.search(rf'{attribute}="{re.escape(key)}"[^>]*>(.*?)</td>', page, re.S)
    assert found, f"no cell {attribute}={key!r} on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def number_in(text: str, language: str = "en") -> Decimal:
    """The number in a formatted text ("at least US$1,234.50", "al menos US$1,234.50"): both
    languages write numbers alike (Spanish as in Latin America, CLDR es_419)."""
    found = re.search(r"\d[\d.,\u00a0\u202f]*", text)
    assert found, f"no number in {text!r}"
    digits = re.sub(r"[\u00a0\u202f]", "", found.group(0)).rstrip(".,")
    return Decimal(digits.replace(",", ""))
