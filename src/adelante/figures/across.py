"""Committed across initiatives: a pledge announced under several initiatives counted once
(docs/figures.md, "Across initiatives"; docs/initiatives.md, "One pledge, several initiatives").

The total across initiatives is `figures.committed.committed` computed in the scope
`ACROSS`, where the commitments linked as the same pledge as another (`SamePledge.commitment`)
are left out and the one they are counted as stays. Each initiative's own total still counts
its own commitment. So the total across is the sum of the initiatives' totals less the amounts
of the linked commitments that count; what was left out is said beside the total
(`figures.labels.across_sentence`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from adelante.figures.audience import Audience
from adelante.figures.committed import committed
from adelante.figures.results import Committed
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative


@dataclass(frozen=True)
class InitiativeTotal:
    initiative: Initiative
    committed: Committed


@dataclass(frozen=True)
class CommittedAcross:
    """The total across initiatives, each initiative's, and what counting once left out."""

    total: Committed
    by_initiative: list[InitiativeTotal]
    #: Commitments counted in their initiative's total but not again across initiatives
    #: (each is the same pledge as one that is counted).
    counted_once: int
    #: Their US$ amounts (in the initiatives' totals, not added again across them).
    counted_once_usd: Decimal

    @property
    def sum_of_initiatives(self) -> Decimal:
        return sum((row.committed.amount_usd for row in self.by_initiative), Decimal("0.00"))


def committed_across(
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    audience: Audience = Audience.PUBLIC,
) -> CommittedAcross:
    """New money committed as of a date across every initiative, a same pledge counted once."""
    with scope.within(scope.ACROSS):
        total = committed(as_of, recorded_on=recorded_on, audience=audience)
    rows = []
    for initiative in Initiative.objects.listed():
        with scope.within(initiative):
            rows.append(
                InitiativeTotal(
                    initiative, committed(as_of, recorded_on=recorded_on, audience=audience)
                )
            )
    # Every commitment is under exactly one initiative: what the initiatives count and the
    # total across does not is exactly the linked commitments that count on the day.
    counted_once = sum(row.committed.commitments for row in rows) - total.commitments
    left_out = sum((row.committed.amount_usd for row in rows), Decimal("0.00")) - total.amount_usd
    return CommittedAcross(
        total=total, by_initiative=rows, counted_once=counted_once, counted_once_usd=left_out
    )
