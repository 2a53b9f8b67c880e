"""The figures of one country (DOMAIN rules 3, 4 and 7), for the country pages.

A country's committed figure is its row of the by-country breakdown (amounts it takes in full
or by a stated share), so the country page and the overview always agree. Two more parts
concern it without being its own: commitments naming it among several countries with no split
stated (their whole amounts, which count once, in "several countries"), and commitments
naming no country (the region). They are reported beside it, never added to it.

Public figures leave confidential amounts out (each part counts them apart); for the roles
allowed to see them, the parts include them, suppressed where they would reveal fewer than
three partners' confidential amounts (rule 7).

Progress reports are not broken down by country, so invested is reported for the same three
groups of commitments, without splitting any commitment's value between countries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from adelante.commitments.models import NEW_MONEY_Q
from adelante.figures.audience import Audience
from adelante.figures.committed import (
    CONFIDENTIAL_Q,
    REGIONAL,
    _amount_aggregates,
    _qualifier,
    committed_by,
    counted,
)
from adelante.figures.disclosure import revealing
from adelante.figures.reached import invested
from adelante.figures.record import Record
from adelante.figures.results import BreakdownRow, Reached
from adelante.money.qualifiers import TotalQualifier


@dataclass(frozen=True)
class CountryPart:
    """Committed new money of a group of commitments; the amount is None when suppressed."""

    amount_usd: Decimal | None
    qualifier: TotalQualifier
    commitments: int
    suppressed: bool = False
    #: Of `commitments`, those with a confidential amount (public: not in `amount_usd`).
    confidential: int = 0


@dataclass(frozen=True)
class CountryFigures:
    country: str
    as_of: datetime.date
    recorded_on: datetime.date | None
    #: The country's row of `committed_by("country")`: amounts it takes in full or by share.
    allocated: CountryPart
    #: New money of commitments naming it among several countries without a split.
    shared: CountryPart
    #: New money of commitments naming no country (the regional row of the breakdown).
    regional: CountryPart
    #: Invested (verified) by commitments naming only this country.
    invested_alone: Reached
    #: Invested by commitments naming this country and others (whole values, not split).
    invested_with_others: Reached
    #: Invested by commitments naming no country.
    invested_regional: Reached
    #: Organisations with a counted commitment naming this country or the region.
    partners: int
    #: Counted commitments naming this country (restatements included).
    commitments: int
    #: Counted commitments naming no country.
    regional_commitments: int
    audience: Audience = Audience.PUBLIC


def _part(row: BreakdownRow | None) -> CountryPart:
    if row is None:
        return CountryPart(Decimal("0.00"), TotalQualifier.EXACT, 0)
    return CountryPart(
        row.amount_usd, row.qualifier, row.commitments, row.suppressed, row.confidential
    )


def country_figures(
    country: str,
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    audience: Audience = Audience.PUBLIC,
) -> CountryFigures:
    record = Record(recorded_on)
    breakdown = committed_by("country", as_of, recorded_on=recorded_on, audience=audience)
    rows = {row.key: row for row in breakdown.rows}
    shares = record.country_shares()
    # EXISTS / NOT EXISTS, never NOT IN (subquery): PostgreSQL plans them as (anti-)joins,
    # whereas NOT IN rescans its subquery per row once it outgrows work_mem.
    named_here = Exists(shares.filter(commitment_id=OuterRef("id"), country=country))
    named_any = Exists(shares.filter(commitment_id=OuterRef("id")))
    share_here = shares.filter(country=country)
    elsewhere = Exists(
        shares.filter(commitment_id=OuterRef("commitment_id")).exclude(country=country)
    )
    unsplit = Exists(
        shares.filter(commitment_id=OuterRef("id"), country=country, share_percent__isnull=True)
    )
    base = counted(as_of, record)
    naming = base.filter(named_here)
    regional = base.filter(~named_any)
    shared = _shared(base.filter(NEW_MONEY_Q).filter(unsplit), audience)
    concerning = base.filter(named_here | ~named_any)
    return CountryFigures(
        country=country,
        as_of=as_of,
        recorded_on=recorded_on,
        allocated=_part(rows.get(country)),
        shared=shared,
        regional=_part(rows.get(REGIONAL)),
        # Every commitment's progress, counted or not, as `invested` itself does: the three
        # parts of a country and the other countries' parts never miss a verified value.
        invested_alone=invested(
            as_of,
            recorded_on=recorded_on,
            within=share_here.filter(~elsewhere).values("commitment_id"),
        ),
        invested_with_others=invested(
            as_of,
            recorded_on=recorded_on,
            within=share_here.filter(elsewhere).values("commitment_id"),
        ),
        invested_regional=invested(
            as_of,
            recorded_on=recorded_on,
            within=record.commitments().filter(~named_any).values("id"),
        ),
        partners=concerning.aggregate(n=Count("partner_id", distinct=True))["n"],
        commitments=naming.count(),
        regional_commitments=regional.count(),
        audience=audience,
    )


def _shared(cells: QuerySet[Any], audience: Audience) -> CountryPart:
    """One cell. Public: without confidential amounts. Allowed roles: with them, suppressed
    when they come from fewer than three partners."""
    values = cells.aggregate(commitments=Count("id"), **_amount_aggregates(audience=audience))
    hidden = False
    if audience.includes_confidential:
        holding = cells.filter(CONFIDENTIAL_Q, amount_usd__isnull=False).order_by()
        partners = frozenset(holding.values_list("partner_id", flat=True).distinct())
        hidden = revealing(partners)
    return CountryPart(
        amount_usd=None if hidden else values["amount"],
        qualifier=_qualifier(values),
        commitments=values["commitments"],
        suppressed=hidden,
        confidential=values["confidential"],
    )
