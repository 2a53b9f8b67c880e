"""The commitments that count as of a date, one line each, as the record stood (rules 2, 6, 7).

Documents that list commitments (progress reports, round fact sheets, partner scorecards) read
them here, so that a listed amount is the amount that the totals add up, and a confidential
amount is never shown for one commitment or one partner, to any audience (rule 7).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from adelante.commitments.choices import Relation
from adelante.commitments.models import NEW_MONEY_Q
from adelante.figures.audience import Audience
from adelante.figures.committed import _amount_aggregates, _qualifier, counted, without_amount
from adelante.figures.record import Record
from adelante.money.qualifiers import AmountQualifier, TotalQualifier


@dataclass(frozen=True)
class SourceLink:
    url: str
    title: str


@dataclass(frozen=True)
class CommitmentLine:
    """One commitment as published: amounts in US$, confidential amounts withheld."""

    reference: str
    partner: str
    partner_slug: str
    round_slug: str
    round_label: str
    round_on: datetime.date | None
    announced_on: datetime.date | None
    title: str
    summary: str
    kind: str
    relation: str
    status: str
    #: The US$ amount; None when undisclosed or confidential.
    amount_usd: Decimal | None
    #: The amount qualifier (exact, at least, about, up to, undisclosed, confidential).
    qualifier: str
    #: Whether the amount adds to the public committed total (new money with a public
    #: amount; never a confidential one, whether or not the record has its amount).
    counts_in_total: bool
    #: Country codes, each with its share in percent (None: no share stated).
    countries: tuple[tuple[str, Decimal | None], ...]
    focus: tuple[str, ...]
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    sources: tuple[SourceLink, ...]
    #: The Spanish of the round's label, the title and the summary ("" where none was written).
    round_label_es: str = ""
    title_es: str = ""
    summary_es: str = ""


@dataclass(frozen=True)
class PartnerTotal:
    """New money one partner committed as of a date. Public: without its confidential
    amounts (counted in `commitments_confidential`). Allowed roles: None (suppressed) when it
    would include a confidential amount (one partner is fewer than three contributors)."""

    partner_slug: str
    as_of: datetime.date
    recorded_on: datetime.date | None
    amount_usd: Decimal | None
    qualifier: TotalQualifier
    commitments: int
    commitments_without_amount: int
    restatements: int
    suppressed: bool
    commitments_confidential: int = 0
    audience: Audience = Audience.PUBLIC


def commitment_lines(
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    round_id: int | None = None,
    partner_id: int | None = None,
) -> tuple[CommitmentLine, ...]:
    """Every commitment that counts as of the date (optionally of one round or one partner),
    ordered by announcement date, partner and reference."""
    record = Record(recorded_on)
    base = counted(as_of, record)
    if round_id is not None:
        base = base.filter(round_id=round_id)
    if partner_id is not None:
        base = base.filter(partner_id=partner_id)
    ids = base.values("id")
    rows = list(
        base.values(
            "id",
            "reference",
            "partner_id",
            "round_id",
            "announced_on",
            "title",
            "title_es",
            "summary",
            "summary_es",
            "kind",
            "relation",
            "status",
            "amount_usd",
            "qualifier",
            "starts_on",
            "ends_on",
        )
    )
    partners = {
        p["id"]: p
        for p in record.partners()
        .filter(id__in=base.values("partner_id"))
        .values("id", "name", "slug")
    }
    rounds = {
        r["id"]: r
        for r in record.rounds()
        .filter(id__in=base.values("round_id"))
        .values("id", "slug", "label", "label_es", "announced_on")
    }
    countries: dict[int, list[tuple[str, Decimal | None]]] = defaultdict(list)
    for share in (
        record.country_shares()
        .filter(commitment_id__in=ids)
        .values("commitment_id", "country", "share_percent")
        .order_by("commitment_id", "country")
    ):
        countries[share["commitment_id"]].append((share["country"], share["share_percent"]))
    focus: dict[int, list[str]] = defaultdict(list)
    for link in (
        record.focus_links()
        .filter(commitment_id__in=ids)
        .values("commitment_id", "focusarea__code")
        .order_by("commitment_id", "focusarea__code")
    ):
        focus[link["commitment_id"]].append(link["focusarea__code"])
    sources: dict[int, list[SourceLink]] = defaultdict(list)
    for source in (
        record.sources()
        .filter(commitment_id__in=ids)
        .values("commitment_id", "url", "title")
        .order_by("commitment_id", "id")
    ):
        sources[source["commitment_id"]].append(SourceLink(source["url"], source["title"]))

    lines = [_line(row, partners, rounds, countries, focus, sources) for row in rows]
    lines.sort(
        key=lambda x: (x.announced_on or datetime.date.min, x.partner.casefold(), x.reference)
    )
    return tuple(lines)


def _line(
    row: dict[str, Any],
    partners: dict[int, dict[str, Any]],
    rounds: dict[int, dict[str, Any]],
    countries: dict[int, list[tuple[str, Decimal | None]]],
    focus: dict[int, list[str]],
    sources: dict[int, list[SourceLink]],
) -> CommitmentLine:
    partner = partners.get(row["partner_id"], {"name": "", "slug": ""})
    the_round = rounds.get(
        row["round_id"], {"slug": "", "label": "", "label_es": "", "announced_on": None}
    )
    hidden = row["qualifier"] == AmountQualifier.CONFIDENTIAL
    return CommitmentLine(
        reference=row["reference"],
        partner=partner["name"],
        partner_slug=partner["slug"],
        round_slug=the_round["slug"],
        round_label=the_round["label"],
        round_on=the_round["announced_on"],
        announced_on=row["announced_on"],
        title=row["title"],
        summary=row["summary"],
        kind=row["kind"],
        relation=row["relation"],
        status=row["status"],
        amount_usd=None if hidden else row["amount_usd"],
        qualifier=row["qualifier"],
        counts_in_total=(
            row["relation"] != Relation.RESTATEMENT and not hidden and row["amount_usd"] is not None
        ),
        countries=tuple(countries.get(row["id"], ())),
        focus=tuple(focus.get(row["id"], ())),
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        sources=tuple(sources.get(row["id"], ())),
        round_label_es=the_round["label_es"],
        title_es=row["title_es"],
        summary_es=row["summary_es"],
    )


def partner_total(
    partner_id: int,
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    audience: Audience = Audience.PUBLIC,
) -> PartnerTotal:
    """One partner's new money as of a date, by the rules of `committed` (restatements count
    zero, qualifiers travel). Public: its confidential amounts left out and counted apart.
    Allowed roles: withheld when it includes a confidential amount."""
    record = Record(recorded_on)
    mine = counted(as_of, record).filter(partner_id=partner_id)
    values = mine.aggregate(
        **_amount_aggregates(NEW_MONEY_Q, audience=audience),
        commitments=Count("id"),
        restatements=Count("id", filter=~NEW_MONEY_Q),
        new_money=Count("id", filter=NEW_MONEY_Q),
        confidential_amounts=Count(
            "id",
            filter=NEW_MONEY_Q
            & Q(qualifier=AmountQualifier.CONFIDENTIAL, amount_usd__isnull=False),
        ),
    )
    slug = record.partners().filter(id=partner_id).values_list("slug", flat=True).first() or ""
    suppressed = audience.includes_confidential and bool(values["confidential_amounts"])
    return PartnerTotal(
        partner_slug=slug,
        as_of=as_of,
        recorded_on=recorded_on,
        amount_usd=None if suppressed else values["amount"],
        qualifier=_qualifier(values),
        commitments=values["commitments"],
        commitments_without_amount=without_amount(values, values["new_money"], audience),
        restatements=values["restatements"],
        suppressed=suppressed,
        commitments_confidential=values["confidential"],
        audience=audience,
    )
