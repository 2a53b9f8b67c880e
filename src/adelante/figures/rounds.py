"""The figures of one announcement round (DOMAIN rules 2, 5 and 7): for the portal's round
pages (`round_figures`, as of any date) and the reports' round fact sheets (`round_sheet`, as
of the round's own date).

A round's committed figure is its row of the by-round breakdown, so the round's figures and
the overview agree, for the same audience (public: without confidential amounts). Beside it:
the official statements published on the round's date, each with the record's figure for it
(`reconcile_on`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from adelante.commitments.choices import Relation
from adelante.commitments.models import NEW_MONEY_Q, announced_by_q
from adelante.figures.audience import Audience
from adelante.figures.committed import CONFIDENTIAL_Q, committed, committed_by, counted
from adelante.figures.listing import CommitmentLine, commitment_lines
from adelante.figures.reconcile import first_announced_on, new_partners_on, reconcile_on
from adelante.figures.record import Record
from adelante.figures.results import BreakdownRow, Committed, Reconciliation
from adelante.money.qualifiers import TotalQualifier


def _round_row(
    round_id: int, as_of: datetime.date, recorded_on: datetime.date | None, audience: Audience
) -> BreakdownRow | None:
    """The round's row of `committed_by("round", as_of)`; None when it counted no new money."""
    by_round = committed_by("round", as_of, recorded_on=recorded_on, audience=audience)
    return next((r for r in by_round.rows if r.key == str(round_id)), None)


# -- The round as of any date (the portal's round pages) -------------------------------------


@dataclass(frozen=True)
class RoundFigures:
    round_id: int
    day: datetime.date
    as_of: datetime.date
    recorded_on: datetime.date | None
    #: False when the round comes after `as_of`: nothing of it counts yet.
    announced: bool
    #: New money of the round's commitments that count as of the date; None when suppressed.
    amount_usd: Decimal | None
    qualifier: TotalQualifier
    suppressed: bool
    #: The round's commitments that count as of the date, restatements included.
    commitments: int
    restatements: int
    #: Organisations with a counted commitment in the round.
    partners: int
    #: Organisations whose first commitment came on the round's date (every round that day).
    new_partners: int
    #: Official statements published on the round's date, beside the record's figures.
    statements: tuple[Reconciliation, ...]
    #: New money of the round with a confidential amount (public: not in `amount_usd`).
    confidential: int = 0
    audience: Audience = Audience.PUBLIC


def round_figures(
    round_id: int,
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    audience: Audience = Audience.PUBLIC,
) -> RoundFigures:
    record = Record(recorded_on)
    day = record.rounds().values_list("announced_on", flat=True).get(id=round_id)
    row = _round_row(round_id, as_of, recorded_on, audience)
    mine = counted(as_of, record).filter(round_id=round_id)
    counts = mine.aggregate(
        commitments=Count("id"),
        restatements=Count("id", filter=~NEW_MONEY_Q),
        partners=Count("partner_id", distinct=True),
        confidential=Count("id", filter=NEW_MONEY_Q & CONFIDENTIAL_Q),
    )
    announced = day <= as_of
    return RoundFigures(
        round_id=round_id,
        day=day,
        as_of=as_of,
        recorded_on=recorded_on,
        announced=announced,
        amount_usd=row.amount_usd if row else Decimal("0.00"),
        qualifier=row.qualifier if row else TotalQualifier.EXACT,
        suppressed=row.suppressed if row else False,
        commitments=counts["commitments"],
        restatements=counts["restatements"],
        partners=counts["partners"],
        new_partners=new_partners_on(day, record) if announced else 0,
        statements=(
            reconcile_on(day, recorded_on=recorded_on, audience=audience) if announced else ()
        ),
        confidential=counts["confidential"],
        audience=audience,
    )


# -- The round as announced (the reports' round fact sheets) ---------------------------------


@dataclass(frozen=True)
class RoundSheet:
    """A round as announced, computed as of its own date."""

    slug: str
    label: str
    announced_on: datetime.date
    recorded_on: datetime.date | None
    #: The round's row of `committed_by("round", ...)` on its date: its new money (suppressed
    #: when it would reveal a confidential amount); None when the round counted no new money.
    new_money: BreakdownRow | None
    #: The partnership's total as of the round's date (this round and every earlier one).
    cumulative: Committed
    commitments: tuple[CommitmentLine, ...]
    #: Partners whose first commitment came in this round (names, as recorded).
    new_partners: tuple[str, ...]
    #: Official statements made on the round's date, beside the record's figures.
    statements: tuple[Reconciliation, ...]
    audience: Audience = Audience.PUBLIC

    @property
    def restatements(self) -> tuple[CommitmentLine, ...]:
        return tuple(c for c in self.commitments if c.relation == Relation.RESTATEMENT)

    @property
    def without_amount(self) -> tuple[CommitmentLine, ...]:
        """New money with no public amount, confidential ones included (listed as such)."""
        return tuple(
            c
            for c in self.commitments
            if c.relation != Relation.RESTATEMENT and not c.counts_in_total
        )


def round_sheet(
    round_id: int,
    *,
    recorded_on: datetime.date | None = None,
    audience: Audience = Audience.PUBLIC,
) -> RoundSheet:
    """The round's figures as of its announcement date. Raises LookupError when the round
    is not in the record (as it stood on `recorded_on`).

    New partners follow `reconcile.first_announced_on`: organisations whose first commitment
    that counts on the round's date was announced that day, and that have one in this round.
    """
    record = Record(recorded_on)
    found = record.rounds().filter(id=round_id).values("slug", "label", "announced_on").first()
    if found is None:
        raise LookupError(round_id)
    day: datetime.date = found["announced_on"]
    row = _round_row(round_id, day, recorded_on, audience)
    lines = commitment_lines(day, recorded_on=recorded_on, round_id=round_id)
    firsts = first_announced_on(day, record).values("partner_id")
    in_round = record.commitments().filter(announced_by_q(day), round_id=round_id)
    new_ids = in_round.filter(partner_id__in=firsts).values("partner_id")
    names = sorted(
        record.partners().filter(id__in=new_ids).values_list("name", flat=True),
        key=str.casefold,
    )
    statements = reconcile_on(day, recorded_on=recorded_on, audience=audience)
    return RoundSheet(
        slug=found["slug"],
        label=found["label"],
        announced_on=day,
        recorded_on=recorded_on,
        new_money=row,
        cumulative=committed(day, recorded_on=recorded_on, audience=audience),
        commitments=lines,
        new_partners=tuple(names),
        statements=statements,
        audience=audience,
    )
