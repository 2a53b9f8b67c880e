"""What the overview page shows, gathered from the figures module (no figure is computed here)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from adelante.catalogue.models import Metric
from adelante.commitments.choices import StatementFigure
from adelante.commitments.models import Round
from adelante.figures.committed import committed, committed_by
from adelante.figures.display import (
    InDisplayCurrency,
    committed_in_display_currency,
    invested_in_display_currency,
)
from adelante.figures.labels import row_labels
from adelante.figures.ladder import Ladder, ladder
from adelante.figures.reached import INDEPENDENTLY_VERIFIED, invested, reached_all
from adelante.figures.reconcile import latest_reconciled
from adelante.figures.record import Record
from adelante.figures.results import Breakdown, Committed, Reached, Reconciliation
from adelante.figures.timeline import Timeline, committed_timeline
from adelante.initiatives import scope
from adelante.portal import charts
from adelante.portal.caching import remembered
from adelante.portal.country_map import MapArea, map_areas


@dataclass(frozen=True)
class Chart:
    """One chart of the overview: its figures, row labels, drawing data and CSV name."""

    name: str
    title: str
    breakdown: Breakdown | None
    labels: dict[str, str]
    drawing: dict[str, Any]


@dataclass(frozen=True)
class StatedFigure:
    stated_on: datetime.date
    stated_value: Decimal
    stated_qualifier: str
    source_url: str


def latest_stated(
    figure: str, as_of: datetime.date, recorded_on: datetime.date | None
) -> tuple[StatedFigure, ...]:
    """The latest official statements of a figure made by the date, stored verbatim."""
    of_figure = Record(recorded_on).statements().filter(figure=figure, stated_on__lte=as_of)
    latest = of_figure.order_by("-stated_on").values_list("stated_on", flat=True).first()
    return tuple(
        StatedFigure(s["stated_on"], s["value"], s["qualifier"], s["source_url"])
        for s in of_figure.filter(stated_on=latest)
        .order_by("metric", "source_url")
        .values("stated_on", "value", "qualifier", "source_url")
    )


@dataclass(frozen=True)
class Overview:
    as_of: datetime.date
    recorded_on: datetime.date | None
    committed: Committed
    #: The latest official statements of the committed total, each with the gap.
    official: tuple[Reconciliation, ...]
    invested: Reached
    #: The part of `invested` from independently verified reports ("of which").
    invested_verified: Reached
    #: The delivery ladder of the whole record.
    ladder: Ladder
    #: The latest official statements of invested, as published (not reconciled: the card
    #: shows them beside the record's own figure, and reconciling costs a second pass).
    official_invested: tuple[StatedFigure, ...]
    #: People reached (and other catalogue metrics) where verified progress has them.
    reached: tuple[Reached, ...]
    metrics: dict[str, Metric]
    timeline: Timeline
    charts: tuple[Chart, ...]
    #: The three countries shaded by their row of the by-country breakdown.
    country_map: tuple[MapArea, ...]
    #: The committed total in the initiative's currency for display (None: US$, or no rate
    #: by the date); US$ stays the figure.
    committed_display: InDisplayCurrency | None = None
    #: US$ invested in the same currency, at the same rule (None as for `committed_display`).
    invested_display: InDisplayCurrency | None = None


def has_record() -> bool:
    return Round.objects.filter(scope.initiative_q()).exists()


def overview(as_of: datetime.date, recorded_on: datetime.date | None = None) -> Overview:
    titles = charts.chart_titles()
    timeline = remembered(committed_timeline, as_of, recorded_on=recorded_on)
    made = [
        Chart(
            charts.TIMELINE_CHART,
            titles[charts.TIMELINE_CHART],
            None,
            {},
            charts.timeline_chart(timeline, titles[charts.TIMELINE_CHART]),
        )
    ]
    by_country: Breakdown | None = None
    for name, dimension in charts.BREAKDOWN_CHARTS.items():
        breakdown = remembered(committed_by, dimension, as_of, recorded_on=recorded_on)
        if dimension == "country":
            by_country = breakdown
        made.append(
            Chart(
                name,
                titles[name],
                breakdown,
                row_labels(breakdown),
                charts.breakdown_chart(breakdown, titles[name]),
            )
        )
    total = remembered(committed, as_of, recorded_on=recorded_on)
    money_in = remembered(invested, as_of, recorded_on=recorded_on)
    initiative = scope.resolve()
    return Overview(
        as_of=as_of,
        recorded_on=recorded_on,
        committed=total,
        official=remembered(
            latest_reconciled, str(StatementFigure.COMMITTED_USD), as_of, recorded_on=recorded_on
        ),
        invested=money_in,
        invested_verified=remembered(
            invested, as_of, recorded_on=recorded_on, grade=INDEPENDENTLY_VERIFIED
        ),
        ladder=remembered(ladder, as_of, recorded_on=recorded_on),
        official_invested=latest_stated(StatementFigure.INVESTED_USD, as_of, recorded_on),
        reached=remembered(reached_all, as_of, recorded_on=recorded_on),
        metrics={m.code: m for m in Metric.objects.all()},
        timeline=timeline,
        charts=tuple(made),
        country_map=map_areas(by_country) if by_country is not None else (),
        committed_display=(
            committed_in_display_currency(total, initiative.pk) if initiative is not None else None
        ),
        invested_display=(
            invested_in_display_currency(money_in, initiative.pk)
            if initiative is not None
            else None
        ),
    )
