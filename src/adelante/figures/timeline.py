"""Committed over time: the itemised total at every round's date, and the official statements
of the committed total beside it (DOMAIN rules 2 and 5), for the overview's first chart."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count

from adelante.commitments.choices import PUBLISHED_STATUSES, StatementFigure
from adelante.commitments.models import NEW_MONEY_Q
from adelante.figures.audience import Audience
from adelante.figures.committed import ZERO, _amount_aggregates, _qualifier
from adelante.figures.record import Record
from adelante.money.qualifiers import TotalQualifier


@dataclass(frozen=True)
class TimelinePoint:
    """What `committed(day)` answers, for one day of the timeline."""

    day: datetime.date
    #: Labels of the rounds announced that day (none for a statement-only or the last day).
    rounds: tuple[str, ...]
    amount_usd: Decimal
    qualifier: TotalQualifier
    commitments: int
    #: New money with a confidential amount (public: not in `amount_usd`).
    confidential: int = 0
    #: The same rounds' labels in Spanish, in the same order ("" where none was written).
    rounds_es: tuple[str, ...] = ()

    @property
    def round_labels(self) -> tuple[tuple[str, str], ...]:
        """Each round's label in English and in Spanish."""
        spanish = (*self.rounds_es, *[""] * (len(self.rounds) - len(self.rounds_es)))
        return tuple(zip(self.rounds, spanish, strict=False))


@dataclass(frozen=True)
class StatedTotal:
    """An official statement of the committed total, as published (never recomputed)."""

    day: datetime.date
    value: Decimal
    qualifier: str
    source_url: str
    #: How precisely the source dated it (`DatePrecision`); `day` is the end of that period,
    #: where a loosely dated statement takes its place on the timeline.
    precision: str = "day"


@dataclass(frozen=True)
class Timeline:
    as_of: datetime.date
    recorded_on: datetime.date | None
    points: tuple[TimelinePoint, ...]
    statements: tuple[StatedTotal, ...]
    audience: Audience = Audience.PUBLIC


def committed_timeline(
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    audience: Audience = Audience.PUBLIC,
) -> Timeline:
    """The committed total at each round date and each statement date up to `as_of`, and at
    `as_of` itself (withdrawals after the last round show there).

    One grouped query instead of one `committed` per day: commitments are grouped by the day
    they start counting and the day they stop (withdrawn); a day's total adds the groups that
    count on it, by the same rule as `committed` (tests hold the two equal).
    """
    record = Record(recorded_on)
    rounds: dict[datetime.date, list[str]] = {}
    rounds_es: dict[datetime.date, list[str]] = {}
    for day, label, label_es in (
        record.rounds()
        .filter(announced_on__lte=as_of)
        .order_by("announced_on", "label")
        .values_list("announced_on", "label", "label_es")
    ):
        rounds.setdefault(day, []).append(label)
        rounds_es.setdefault(day, []).append(label_es)
    statements = tuple(
        StatedTotal(
            s["stated_on"], s["value"], s["qualifier"], s["source_url"], s["date_precision"]
        )
        for s in record.statements()
        .filter(figure=StatementFigure.COMMITTED_USD, stated_on__lte=as_of)
        .order_by("stated_on", "metric", "source_url")
        .values("stated_on", "value", "qualifier", "source_url", "date_precision")
    )
    days = sorted({*rounds, *(s.day for s in statements), as_of})
    groups = list(
        record.commitments()
        .filter(status__in=PUBLISHED_STATUSES, announced_on__lte=as_of)
        .values("announced_on", "withdrawn_on")
        .annotate(commitments=Count("id"), **_amount_aggregates(NEW_MONEY_Q, audience=audience))
        .order_by()
    )
    points = tuple(
        _point(day, tuple(rounds.get(day, ())), groups, tuple(rounds_es.get(day, ())))
        for day in days
    )
    return Timeline(as_of, recorded_on, points, statements, audience)


_SUMMED = ("commitments", "confidential", "n_at_least", "n_about", "n_up_to")


def _point(
    day: datetime.date,
    rounds: tuple[str, ...],
    groups: list[dict[str, Any]],
    rounds_es: tuple[str, ...] = (),
) -> TimelinePoint:
    counting = [
        g
        for g in groups
        if g["announced_on"] <= day and (g["withdrawn_on"] is None or g["withdrawn_on"] > day)
    ]
    summed: dict[str, Any] = {key: sum(g[key] for g in counting) for key in _SUMMED}
    return TimelinePoint(
        day=day,
        rounds=rounds,
        rounds_es=rounds_es,
        amount_usd=sum((g["amount"] for g in counting), ZERO),
        qualifier=_qualifier(summed),
        commitments=summed["commitments"],
        confidential=summed["confidential"],
    )
