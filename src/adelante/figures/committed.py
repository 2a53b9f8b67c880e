"""Committed figures: the total as of a date and its breakdowns (DOMAIN rules 2, 4 and 7).

Every function takes an `audience` (`figures.audience`): for the public, confidential amounts
are left out of every sum and counted apart (non-interference); for the roles allowed to see
them, they are added in and breakdown cells that would reveal them are suppressed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from adelante.commitments.choices import CountryGroup
from adelante.commitments.models import NEW_MONEY_Q, announced_by_q
from adelante.figures.audience import Audience
from adelante.figures.disclosure import Contributors, suppress
from adelante.figures.record import Record
from adelante.figures.results import Breakdown, BreakdownRow, Committed
from adelante.money.fields import ExactDecimalField
from adelante.money.qualifiers import AmountQualifier, TotalQualifier, combine

ZERO = Decimal("0.00")

DIMENSIONS = ("country", "kind", "round", "partner-type", "focus")
#: The by-country rows beside the countries (the domain's `CountryGroup`).
MULTI_COUNTRY = CountryGroup.MULTI_COUNTRY.value
REGIONAL = CountryGroup.REGIONAL.value
UNCLASSIFIED = "unclassified"

_HAS_AMOUNT = Q(amount_usd__isnull=False)
#: Rows whose amount is confidential (the qualifier says so, whether or not the record has it).
CONFIDENTIAL_Q = Q(qualifier=AmountQualifier.CONFIDENTIAL)


def _money_sum(field: str, filter: Q | None = None) -> Coalesce:
    return Coalesce(Sum(field, filter=filter), Value(0), output_field=ExactDecimalField())


def _amount_aggregates(
    only: Q | None = None, *, audience: Audience = Audience.PUBLIC
) -> dict[str, Any]:
    """Sum of the amounts and counts of their qualifiers, for `aggregate` or `annotate`.

    Rows must carry `amount_usd` and `qualifier` (as fields or annotations). For the public,
    a confidential amount is in no sum and no count but `confidential` (which counts the rows
    whose amount is confidential, by their qualifier alone: never by their amount).
    """
    scope = only if only is not None else Q()
    money = _HAS_AMOUNT & scope
    if not audience.includes_confidential:
        money &= ~CONFIDENTIAL_Q
    counts = {
        f"n_{q}": Count("id", filter=money & Q(qualifier=q))
        for q in (AmountQualifier.AT_LEAST, AmountQualifier.ABOUT, AmountQualifier.UP_TO)
    }
    return {
        "amount": _money_sum("amount_usd", filter=money),
        "with_amount": Count("id", filter=money),
        "confidential": Count("id", filter=scope & CONFIDENTIAL_Q),
        **counts,
    }


def without_amount(values: dict[str, Any], new_money: int, audience: Audience) -> int:
    """New money with no amount in the sum; for the public, confidential ones are apart."""
    apart = 0 if audience.includes_confidential else values["confidential"]
    return int(new_money - values["with_amount"] - apart)


def _qualifier(values: dict[str, Any]) -> TotalQualifier:
    present: list[str] = [
        q
        for q in (AmountQualifier.AT_LEAST, AmountQualifier.ABOUT, AmountQualifier.UP_TO)
        if values[f"n_{q}"]
    ]
    return combine(present)


def counted(as_of: datetime.date, record: Record) -> QuerySet[Any]:
    """Commitments that count as of the date: announced by then, not withdrawn by then."""
    return record.commitments().filter(announced_by_q(as_of))


def committed(
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    audience: Audience = Audience.PUBLIC,
) -> Committed:
    """New money committed as of a date, with the qualifier the total must carry.

    Public: confidential amounts are left out (and counted in `commitments_confidential`).
    """
    rows = counted(as_of, Record(recorded_on))
    return _committed(rows, as_of, recorded_on=recorded_on, audience=audience)


def committed_within(
    selection: QuerySet[Any],
    as_of: datetime.date,
    *,
    audience: Audience = Audience.PUBLIC,
) -> Committed:
    """New money committed as of a date among a selection of the live record's commitments
    (the explorer's filters): the rules of `committed` (restatements count zero, confidential
    amounts left out for the public, the qualifier the total must carry) over those only."""
    rows = counted(as_of, Record(None)).filter(id__in=selection.order_by().values("id"))
    return _committed(rows, as_of, recorded_on=None, audience=audience)


def _committed(
    rows: QuerySet[Any],
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None,
    audience: Audience,
) -> Committed:
    values = rows.aggregate(
        commitments=Count("id"),
        restatements=Count("id", filter=~NEW_MONEY_Q),
        new_money=Count("id", filter=NEW_MONEY_Q),
        partners=Count("partner_id", distinct=True),
        **_amount_aggregates(NEW_MONEY_Q, audience=audience),
    )
    return Committed(
        as_of=as_of,
        recorded_on=recorded_on,
        amount_usd=values["amount"],
        qualifier=_qualifier(values),
        commitments=values["commitments"],
        commitments_with_amount=values["with_amount"],
        commitments_without_amount=without_amount(values, values["new_money"], audience),
        restatements=values["restatements"],
        partners=values["partners"],
        commitments_confidential=values["confidential"],
        audience=audience,
    )


def committed_by(
    dimension: str,
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    audience: Audience = Audience.PUBLIC,
) -> Breakdown:
    """Committed as of a date, broken down by country, kind, round, partner type or focus.

    Country rows plus the multi-country and regional rows add up to the total; focus areas
    overlap, so that breakdown has no total. Public: no cell holds a confidential amount (each
    row counts its confidential ones apart). Confidential-allowed: cells include them, and
    those that would reveal fewer than three partners' confidential amounts are suppressed
    (`disclosure.suppress`).
    """
    record = Record(recorded_on)
    if dimension == "country":
        rows, cells = _by_country(as_of, record, audience)
    elif dimension == "focus":
        rows, cells = _by_focus(as_of, record, audience)
    elif dimension in ("kind", "round", "partner-type"):
        rows, cells = _by_attribute(dimension, as_of, record, audience)
    else:
        raise ValueError(f"unknown dimension {dimension!r}; choose from {', '.join(DIMENSIONS)}")
    additive = dimension != "focus"
    published = tuple(rows)
    if audience.includes_confidential:
        contributors = _confidential_partners(cells)
        published = suppress(rows, contributors, additive=additive)
    total = committed(as_of, recorded_on=recorded_on, audience=audience) if additive else None
    return Breakdown(dimension, as_of, recorded_on, published, total, audience)


def _row_key(value: Any) -> str:
    return str(value) if value is not None else UNCLASSIFIED


def _rows(grouped: Iterable[dict[str, Any]], key: str) -> list[BreakdownRow]:
    return [
        BreakdownRow(
            key=_row_key(values[key]),
            amount_usd=values["amount"],
            qualifier=_qualifier(values),
            commitments=values["commitments"],
            confidential=values["confidential"],
        )
        for values in grouped
    ]


#: The querysets whose rows make up the cells: (rows, the field or annotation naming the cell;
#: None when every row is in one cell, named by the third item). Rows carry `partner_id`,
#: `qualifier` and `amount_usd`.
Cells = list[tuple[QuerySet[Any], str | None, str]]


def _confidential_partners(cells: Cells) -> Contributors:
    """The distinct partners whose confidential amounts each cell holds (allowed roles only:
    the public figures never ask, as they hold no confidential amount)."""
    found: dict[str, set[int]] = defaultdict(set)
    for rows, key, fixed in cells:
        holding = rows.filter(CONFIDENTIAL_Q & _HAS_AMOUNT).order_by()
        if key is None:
            for partner_id in holding.values_list("partner_id", flat=True).distinct():
                found[fixed].add(partner_id)
            continue
        for cell, partner_id in holding.values_list(key, "partner_id").distinct():
            found[_row_key(cell)].add(partner_id)
    return {cell: frozenset(partners) for cell, partners in found.items()}


def _by_attribute(
    dimension: str, as_of: datetime.date, record: Record, audience: Audience
) -> tuple[list[BreakdownRow], Cells]:
    base = counted(as_of, record).filter(NEW_MONEY_Q)
    if dimension == "kind":
        key, cells = "kind", base
    elif dimension == "round":
        key, cells = "round_id", base
    else:
        key, cells = "group", base.annotate(group=record.partner_attr("type"))
    grouped = list(
        cells.values(key)
        .annotate(commitments=Count("id"), **_amount_aggregates(audience=audience))
        .order_by(key)
    )
    return _rows(grouped, key), [(cells, key, "")]


def _by_country(
    as_of: datetime.date, record: Record, audience: Audience
) -> tuple[list[BreakdownRow], Cells]:
    """Country rows, then the multi-country and regional rows, and the rows of their cells.

    Two grouped queries: the country rows with a share, and the commitments that are not
    allocated to countries (several countries without shares: multi-country; no country:
    regional).
    """
    base = counted(as_of, record).filter(NEW_MONEY_Q)
    shares = record.country_shares()
    named = shares.filter(commitment_id=OuterRef("id"))
    unallocated = shares.filter(commitment_id=OuterRef("commitment_id"), share_percent__isnull=True)
    # Allocated through and through: every country row has a share. A `NOT EXISTS` in the
    # WHERE clause, which databases run as one anti-join rather than a probe per commitment.
    allocated_only = named.filter(share_percent__isnull=False).exclude(Exists(unallocated))
    geography = base.exclude(Exists(allocated_only)).annotate(
        cell=Case(When(Exists(named), then=Value(MULTI_COUNTRY)), default=Value(REGIONAL))
    )
    grouped_geo = {
        v["cell"]: v
        for v in geography.values("cell")
        .annotate(commitments=Count("id"), **_amount_aggregates(audience=audience))
        .order_by()
    }
    if record.recorded_on is None:
        # Live rows: filter through the join that also brings the qualifier and the partner.
        rule = _on_related(announced_by_q(as_of) & NEW_MONEY_Q, "commitment")
        in_base = shares.filter(rule)
    else:
        in_base = shares.filter(commitment_id__in=base.values("id"))
    allocated = in_base.filter(share_percent__isnull=False).annotate(
        qualifier=record.commitment_attr("qualifier"),
        partner_id=record.commitment_attr("partner_id"),
    )
    grouped = list(
        allocated.values("country")
        .annotate(commitments=Count("id"), **_amount_aggregates(audience=audience))
        .order_by("country")
    )
    rows = _rows(grouped, "country")
    for key in (MULTI_COUNTRY, REGIONAL):
        cell = grouped_geo.get(key)
        if cell is not None:
            rows.extend(_rows([cell], "cell"))
    return rows, [(allocated, "country", ""), (geography, "cell", "")]


def _on_related(condition: Q, relation: str) -> Q:
    """The same condition, on the fields of a related object."""
    moved = Q()
    moved.connector, moved.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            moved.children.append(_on_related(child, relation))
        else:
            lookup, value = cast(tuple[str, Any], child)
            moved.children.append((f"{relation}__{lookup}", value))
    return moved


def _by_focus(
    as_of: datetime.date, record: Record, audience: Audience
) -> tuple[list[BreakdownRow], Cells]:
    base = counted(as_of, record).filter(NEW_MONEY_Q)
    links = record.focus_links()
    classified = links.filter(commitment_id__in=base.values("id"))
    cells = classified.annotate(
        amount_usd=record.commitment_attr("amount_usd"),
        qualifier=record.commitment_attr("qualifier"),
        partner_id=record.commitment_attr("partner_id"),
    )
    grouped = list(
        cells.values("focusarea__code")
        .annotate(commitments=Count("id"), **_amount_aggregates(audience=audience))
        .order_by("focusarea__code")
    )
    rows = _rows(grouped, "focusarea__code")
    # NOT EXISTS rather than NOT IN (subquery): PostgreSQL plans it as an anti-join, whereas
    # NOT IN becomes a subplan that, once it outgrows work_mem, is scanned again for every
    # commitment (more than fifteen minutes at 500,000 commitments).
    linked = links.filter(commitment_id=OuterRef("id"))
    without_focus = base.filter(~Exists(linked))
    unclassified = without_focus.aggregate(
        commitments=Count("id"), **_amount_aggregates(audience=audience)
    )
    if unclassified["commitments"]:
        rows.append(_rows([{**unclassified, "key": None}], "key")[0])
    return rows, [(cells, "focusarea__code", ""), (without_focus, None, UNCLASSIFIED)]
