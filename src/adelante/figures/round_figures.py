"""The figures of one announcement round (DOMAIN rules 2, 5 and 7), for the round pages.

The round's committed figure is its row of the by-round breakdown, so the round page and the
overview agree (suppression included). Beside it: the official statements published on the
round's date, each with the record's figure for it (`reconcile_on`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from adelante.commitments.models import NEW_MONEY_Q
from adelante.figures.committed import committed_by, counted
from adelante.figures.reconcile import new_partners_on, reconcile_on
from adelante.figures.record import Record
from adelante.figures.results import Reconciliation
from adelante.money.qualifiers import TotalQualifier


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


def round_figures(
    round_id: int, as_of: datetime.date, *, recorded_on: datetime.date | None = None
) -> RoundFigures:
    record = Record(recorded_on)
    day = record.rounds().values_list("announced_on", flat=True).get(id=round_id)
    row = next(
        (
            r
            for r in committed_by("round", as_of, recorded_on=recorded_on).rows
            if r.key == str(round_id)
        ),
        None,
    )
    mine = counted(as_of, record).filter(round_id=round_id)
    counts = mine.aggregate(
        commitments=Count("id"),
        restatements=Count("id", filter=~NEW_MONEY_Q),
        partners=Count("partner_id", distinct=True),
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
        statements=reconcile_on(day, recorded_on=recorded_on) if announced else (),
    )
