"""The overview's charts: what each one plots, as a table (the page's text alternative and the
chart's CSV download) and as the JSON the chart script draws. Every value comes from one
figures call; nothing here computes a figure, it only lays the answers out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from adelante.figures.committed import committed_by
from adelante.figures.labels import round_names, row_labels
from adelante.figures.results import Breakdown
from adelante.figures.timeline import Timeline, committed_timeline
from adelante.money.formatting import as_stated, format_usd, with_qualifier
from adelante.portal.caching import remembered
from adelante.portal.downloads import Cell

#: Chart name (in URLs) → breakdown dimension; "committed-over-time" is the timeline.
BREAKDOWN_CHARTS = {
    "committed-by-country": "country",
    "committed-by-kind": "kind",
    "committed-by-focus": "focus",
    "committed-by-partner-type": "partner-type",
}
TIMELINE_CHART = "committed-over-time"
CHARTS = (TIMELINE_CHART, *BREAKDOWN_CHARTS)

BREAKDOWN_COLUMNS = ("key", "label", "amount_usd", "qualifier", "commitments", "suppressed")
TIMELINE_COLUMNS = (
    "series",
    "date",
    "label",
    "amount_usd",
    "qualifier",
    "commitments",
    "source_url",
)


@dataclass(frozen=True)
class ChartTable:
    """A chart's data as rows of cells under stable column names (the CSV)."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def breakdown_table(name: str, breakdown: Breakdown) -> ChartTable:
    labels = row_labels(breakdown)
    rows: list[tuple[Cell, ...]] = [
        (
            row.key,
            labels[row.key],
            row.amount_usd,
            row.qualifier,
            str(row.commitments),
            "yes" if row.suppressed else "no",
        )
        for row in breakdown.rows
    ]
    if breakdown.total is not None:
        total = breakdown.total
        rows.append(
            (
                "total",
                _("Total"),
                total.amount_usd,
                total.qualifier,
                str(total.commitments_with_amount + total.commitments_without_amount),
                "no",
            )
        )
    return ChartTable(name, BREAKDOWN_COLUMNS, tuple(rows))


def timeline_table(timeline: Timeline) -> ChartTable:
    rows: list[tuple[Cell, ...]] = [
        (
            "itemised",
            point.day,
            "; ".join(round_names(point.rounds, point.rounds_es)),
            point.amount_usd,
            point.qualifier,
            str(point.commitments),
            "",
        )
        for point in timeline.points
    ]
    rows += [
        ("official", s.day, _("Official statement"), s.value, s.qualifier, "", s.source_url)
        for s in timeline.statements
    ]
    return ChartTable(TIMELINE_CHART, TIMELINE_COLUMNS, tuple(rows))


def chart_titles() -> dict[str, str]:
    """Each chart's title, in the active language (the page's headings and the SVG's)."""
    return {
        TIMELINE_CHART: _("Committed over time"),
        "committed-by-country": _("Committed by country"),
        "committed-by-kind": _("Committed by kind of money"),
        "committed-by-focus": _("Committed by focus area"),
        "committed-by-partner-type": _("Committed by type of partner"),
    }


def chart_drawing(
    name: str, as_of: datetime.date, recorded_on: datetime.date | None
) -> dict[str, Any]:
    """What a chart by name (`CHARTS`) draws, from the same figures calls as the page."""
    title = chart_titles()[name]
    if name == TIMELINE_CHART:
        return timeline_chart(remembered(committed_timeline, as_of, recorded_on=recorded_on), title)
    breakdown = remembered(committed_by, BREAKDOWN_CHARTS[name], as_of, recorded_on=recorded_on)
    return breakdown_chart(breakdown, title)


def chart_table(name: str, as_of: datetime.date, recorded_on: datetime.date | None) -> ChartTable:
    """The table of a chart by name (`CHARTS`), from the same figures call as the page."""
    if name == TIMELINE_CHART:
        return timeline_table(committed_timeline(as_of, recorded_on=recorded_on))
    dimension = BREAKDOWN_CHARTS[name]
    return breakdown_table(name, committed_by(dimension, as_of, recorded_on=recorded_on))


# -- What the chart script draws ------------------------------------------------------------


def breakdown_chart(breakdown: Breakdown, title: str) -> dict[str, Any]:
    """Bars for the rows with a published amount; suppressed rows are named in the table."""
    labels = row_labels(breakdown)
    shown = [row for row in breakdown.rows if row.amount_usd is not None]
    return {
        "kind": "bar",
        "title": title,
        "labels": [labels[row.key] for row in shown],
        "datasets": [
            {
                "label": _("Committed (US$)"),
                "values": [str(row.amount_usd) for row in shown],
                "texts": [
                    with_qualifier(format_usd(row.amount_usd or Decimal(0)), row.qualifier)
                    for row in shown
                ],
            }
        ],
    }


def timeline_chart(timeline: Timeline, title: str) -> dict[str, Any]:
    """The itemised total as steps on a true time axis (ISO days: the script spaces them by
    the days between), and the official statements as points on their own days.

    The last point (the page's date) is drawn only where it says something: a total that
    changed after the last round (a withdrawal). Otherwise the line ends at the last round
    or statement, instead of a flat line to today; the table below the chart still lists it."""
    points = list(timeline.points)
    stated_days = {s.day for s in timeline.statements}
    if len(points) > 1:
        last, before = points[-1], points[-2]
        if (
            not last.rounds
            and last.day not in stated_days
            and (last.amount_usd, last.qualifier) == (before.amount_usd, before.qualifier)
        ):
            points.pop()
    return {
        "kind": "line",
        "title": title,
        "datasets": [
            {
                "label": _("Itemised in the record"),
                "points": [
                    {
                        "day": point.day.isoformat(),
                        "date": date_format(point.day, "DATE_FORMAT"),
                        "value": str(point.amount_usd),
                        "text": with_qualifier(format_usd(point.amount_usd), point.qualifier),
                    }
                    for point in points
                ],
            },
            {
                "label": _("Official statements"),
                "points_only": True,
                "points": [
                    {
                        "day": s.day.isoformat(),
                        "date": date_format(s.day, "DATE_FORMAT"),
                        "value": str(s.value),
                        "text": as_stated(format_usd(s.value), s.qualifier),
                    }
                    for s in timeline.statements
                ],
            },
        ],
    }
