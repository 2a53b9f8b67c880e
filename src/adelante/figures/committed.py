"""Committed figures: the total as of a date and its breakdowns (DOMAIN rules 2, 4 and 7)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from adelante.commitments.choices import CountryGroup
from adelante.commitments.models import NEW_MONEY_Q, announced_by_q
from adelante.figures.disclosure import suppress
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


def _money_sum(field: str, filter: Q | None = None) -> Coalesce:
    return Coalesce(Sum(field, filter=filter), Value(0), output_field=ExactDecimalField())


def _amount_aggregates(only: Q | None = None) -> dict[str, Any]:
    """Sum of the amounts and counts of their qualifiers, for `aggregate` or `annotate`.

    Rows must carry `amount_usd` and `qualifier` (as fields or annotations).
    """
    money = _HAS_AMOUNT & only if only is not None else _HAS_AMOUNT
    counts = {
        f"n_{q}": Count("id", filter=money & Q(qualifier=q))
        for q in (AmountQualifier.AT_LEAST, AmountQualifier.ABOUT, AmountQualifier.UP_TO)
    }
    return {
        "amount": _money_sum("amount_usd", filter=money),
        "with_amount": Count("id", filter=money),
        "confidential": Count("id", filter=money & Q(qualifier=AmountQualifier.CONFIDENTIAL)),
        **counts,
    }


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


def committed(as_of: datetime.date, *, recorded_on: datetime.date | None = None) -> Committed:
    """New money committed as of a date, with the qualifier the total must carry."""
    record = Record(recorded_on)
    values = counted(as_of, record).aggregate(
        commitments=Count("id"),
        restatements=Count("id", filter=~NEW_MONEY_Q),
        new_money=Count("id", filter=NEW_MONEY_Q),
        partners=Count("partner_id", distinct=True),
        **_amount_aggregates(NEW_MONEY_Q),
    )
    return Committed(
        as_of=as_of,
        recorded_on=recorded_on,
        amount_usd=values["amount"],
        qualifier=_qualifier(values),
        commitments=values["commitments"],
        commitments_with_amount=values["with_amount"],
        commitments_without_amount=values["new_money"] - values["with_amount"],
        restatements=values["restatements"],
        partners=values["partners"],
    )


def committed_by(
    dimension: str,
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    disclose_confidential: bool = False,
) -> Breakdown:
    """Committed as of a date, broken down by country, kind, round, partner type or focus.

    Country rows plus the multi-country and regional rows add up to the total; focus areas
    overlap, so that breakdown has no total. Unless `disclose_confidential`, cells that would
    reveal one partner's confidential amount are suppressed.
    """
    record = Record(recorded_on)
    if dimension == "country":
        rows, confidential = _by_country(as_of, record)
    elif dimension == "focus":
        rows, confidential = _by_focus(as_of, record)
    elif dimension in ("kind", "round", "partner-type"):
        rows, confidential = _by_attribute(dimension, as_of, record)
    else:
        raise ValueError(f"unknown dimension {dimension!r}; choose from {', '.join(DIMENSIONS)}")
    additive = dimension != "focus"
    published = (
        tuple(rows) if disclose_confidential else suppress(rows, confidential, additive=additive)
    )
    total = committed(as_of, recorded_on=recorded_on) if additive else None
    return Breakdown(dimension, as_of, recorded_on, published, total)


def _rows(grouped: Iterable[dict[str, Any]], key: str) -> list[BreakdownRow]:
    return [
        BreakdownRow(
            key=str(values[key]) if values[key] is not None else UNCLASSIFIED,
            amount_usd=values["amount"],
            qualifier=_qualifier(values),
            commitments=values["commitments"],
        )
        for values in grouped
    ]


def _contributors(cells: QuerySet[Any], key: str, confidential_keys: set[Any]) -> dict[str, int]:
    """Distinct partners of each cell that holds a confidential amount."""
    if not confidential_keys:
        return {}
    grouped = (
        cells.filter(**{f"{key}__in": confidential_keys})
        .values(key)
        .annotate(partners=Count("partner_id", distinct=True))
        .order_by()
    )
    return {str(v[key]): v["partners"] for v in grouped}


def _by_attribute(
    dimension: str, as_of: datetime.date, record: Record
) -> tuple[list[BreakdownRow], dict[str, int]]:
    base = counted(as_of, record).filter(NEW_MONEY_Q)
    if dimension == "kind":
        key, cells = "kind", base
    elif dimension == "round":
        key, cells = "round_id", base
    else:
        key, cells = "group", base.annotate(group=record.partner_attr("type"))
    grouped = list(
        cells.values(key).annotate(commitments=Count("id"), **_amount_aggregates()).order_by(key)
    )
    confidential = _contributors(cells, key, {v[key] for v in grouped if v["confidential"]})
    return _rows(grouped, key), confidential


def _by_country(as_of: datetime.date, record: Record) -> tuple[list[BreakdownRow], dict[str, int]]:
    """Country rows, then the multi-country and regional rows, and their contributors.

    Two grouped queries: the country rows with a share, and the commitments that are not
    allocated to countries (several countries without shares: multi-country; no country:
    regional). Each cell's distinct partners come with its group.
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
        .annotate(
            commitments=Count("id"),
            partners=Count("partner_id", distinct=True),
            **_amount_aggregates(),
        )
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
        .annotate(
            commitments=Count("id"),
            partners=Count("partner_id", distinct=True),
            **_amount_aggregates(),
        )
        .order_by("country")
    )
    rows = _rows(grouped, "country")
    # Distinct partners of each cell that holds a confidential amount.
    confidential = {str(v["country"]): v["partners"] for v in grouped if v["confidential"]}
    for key in (MULTI_COUNTRY, REGIONAL):
        cell = grouped_geo.get(key)
        if cell is not None:
            rows.extend(_rows([cell], "cell"))
            if cell["confidential"]:
                confidential[key] = cell["partners"]
    return rows, confidential


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


def _by_focus(as_of: datetime.date, record: Record) -> tuple[list[BreakdownRow], dict[str, int]]:
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
        .annotate(commitments=Count("id"), **_amount_aggregates())
        .order_by("focusarea__code")
    )
    rows = _rows(grouped, "focusarea__code")
    # NOT EXISTS rather than NOT IN (subquery): PostgreSQL plans it as an anti-join, whereas
    # NOT IN becomes a subplan that, once it outgrows work_mem, is scanned again for every
    # commitment (more than fifteen minutes at 500,000 commitments).
    linked = links.filter(commitment_id=OuterRef("id"))
    unclassified = base.filter(~Exists(linked)).aggregate(
        commitments=Count("id"), **_amount_aggregates()
    )
    if unclassified["commitments"]:
        rows.append(_rows([{**unclassified, "key": None}], "key")[0])
    confidential_keys = {v["focusarea__code"] for v in grouped if v["confidential"]}
    confidential = _contributors(cells, "focusarea__code", confidential_keys)
    return rows, confidential
