"""What the overview page shows, gathered from the figures module (no figure is computed here)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max

from adelante.commitments.choices import StatementFigure
from adelante.commitments.models import Round
from adelante.figures.committed import committed, committed_by
from adelante.figures.labels import row_labels
from adelante.figures.reached import invested
from adelante.figures.reconcile import reconcile
from adelante.figures.results import Breakdown, Committed, Reached, Reconciliation


@dataclass(frozen=True)
class Overview:
    as_of: datetime.date | None
    committed: Committed | None
    invested: Reached | None
    official: Reconciliation | None
    by_round: Breakdown | None
    by_country: Breakdown | None
    round_labels: dict[str, str]
    country_labels: dict[str, str]


def latest_round_date() -> datetime.date | None:
    return Round.objects.aggregate(latest=Max("announced_on"))["latest"]


def overview(as_of: datetime.date | None = None) -> Overview:
    as_of = as_of or latest_round_date()
    if as_of is None:
        return Overview(None, None, None, None, None, None, {}, {})
    statements = [r for r in reconcile(as_of) if r.figure == StatementFigure.COMMITTED_USD]
    by_round = committed_by("round", as_of)
    by_country = committed_by("country", as_of)
    return Overview(
        as_of=as_of,
        committed=committed(as_of),
        invested=invested(as_of),
        official=statements[-1] if statements else None,
        by_round=by_round,
        by_country=by_country,
        round_labels=row_labels(by_round),
        country_labels=row_labels(by_country),
    )
