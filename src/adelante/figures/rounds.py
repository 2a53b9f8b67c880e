"""What one announcement round added: new money, restatements, new partners (rules 2, 5, 7).

The round fact sheets of the reports read this (the portal's round pages read
`figures.round_figures`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Min

from adelante.commitments.choices import Relation
from adelante.commitments.models import announced_by_q
from adelante.figures.committed import committed, committed_by
from adelante.figures.listing import CommitmentLine, commitment_lines
from adelante.figures.reconcile import reconcile
from adelante.figures.record import Record
from adelante.figures.results import BreakdownRow, Committed, Reconciliation


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

    @property
    def restatements(self) -> tuple[CommitmentLine, ...]:
        return tuple(c for c in self.commitments if c.relation == Relation.RESTATEMENT)

    @property
    def without_amount(self) -> tuple[CommitmentLine, ...]:
        return tuple(
            c
            for c in self.commitments
            if c.relation != Relation.RESTATEMENT and not c.counts_in_total
        )


def round_sheet(round_id: int, *, recorded_on: datetime.date | None = None) -> RoundSheet:
    """The round's figures as of its announcement date. Raises LookupError when the round
    is not in the record (as it stood on `recorded_on`).

    New partners follow `reconcile.new_partners_on`: organisations whose first commitment
    that counts on the round's date was announced that day, and that have one in this round.
    """
    record = Record(recorded_on)
    found = record.rounds().filter(id=round_id).values("slug", "label", "announced_on").first()
    if found is None:
        raise LookupError(round_id)
    day: datetime.date = found["announced_on"]
    by_round = committed_by("round", day, recorded_on=recorded_on)
    row = next((r for r in by_round.rows if r.key == str(round_id)), None)
    lines = commitment_lines(day, recorded_on=recorded_on, round_id=round_id)
    firsts = (
        record.commitments()
        .filter(announced_by_q(day))
        .values("partner_id")
        .annotate(first=Min("announced_on"))
        .filter(first=day)
        .values("partner_id")
    )
    in_round = record.commitments().filter(announced_by_q(day), round_id=round_id)
    new_ids = in_round.filter(partner_id__in=firsts).values("partner_id")
    names = sorted(
        record.partners().filter(id__in=new_ids).values_list("name", flat=True),
        key=str.casefold,
    )
    statements = tuple(r for r in reconcile(day, recorded_on=recorded_on) if r.stated_on == day)
    return RoundSheet(
        slug=found["slug"],
        label=found["label"],
        announced_on=day,
        recorded_on=recorded_on,
        new_money=row,
        cumulative=committed(day, recorded_on=recorded_on),
        commitments=lines,
        new_partners=tuple(names),
        statements=statements,
    )
