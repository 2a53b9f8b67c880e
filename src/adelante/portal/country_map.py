"""The map of the three countries, shaded by the amount committed to each: an SVG drawn on
the server from the by-country breakdown (the same figures call as the chart and its table)
and the Natural Earth outlines that scripts/build_map.py converted once (data/, committed).

Drawn on the server, the map needs no script, is the same picture in the page and in its SVG
download, and its table alternative is the by-country table beside it."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

from adelante.commitments.choices import Country
from adelante.figures.labels import row_labels
from adelante.figures.results import Breakdown, BreakdownRow
from adelante.money.formatting import format_usd, with_qualifier

OUTLINES = Path(__file__).resolve().parent / "data" / "central_america_map.json"

#: Light to dark: a country's shade says which quarter of the largest amount it reaches.
#: The darkest two carry white text (contrast ≥ 4.5:1); every shade is told apart by its label.
SHADES = ("#e3ecf7", "#a9c4e6", "#3f78c0", "#0b4a8c")
NO_AMOUNT = "#f4f6f9"
#: Label size in the map's units (600 wide): about 12 px on a 375 px phone.
LABEL_SIZE = 21


@functools.cache
def outlines() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(OUTLINES.read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    #: The amount as the by-country table words it ("withheld (confidential)" included).
    amount: str
    fill: str
    ink: str
    current: bool


def shade(amount: Decimal | None, largest: Decimal) -> str:
    """The fill of a country: none for no (or a withheld) amount, else its quarter of the
    largest amount of the three."""
    if amount is None or amount <= 0 or largest <= 0:
        return NO_AMOUNT
    quarter = min(int(amount / largest * 4 - Decimal("0.000001")), 3)
    return SHADES[max(quarter, 0)]


def map_areas(breakdown: Breakdown, current: str | None = None) -> tuple[MapArea, ...]:
    """The three countries' rows of the by-country breakdown, shaded for the map."""
    labels = row_labels(breakdown)
    rows: dict[str, BreakdownRow] = {
        row.key: row for row in breakdown.rows if row.key in Country.values
    }
    amounts = [row.amount_usd for row in rows.values() if row.amount_usd is not None]
    largest = max(amounts, default=Decimal(0))
    areas = []
    for code in sorted(Country.values):
        row = rows.get(code)
        amount = row.amount_usd if row is not None else Decimal(0)
        if row is not None and (row.suppressed or row.amount_usd is None):
            text = str(_("withheld (confidential)"))
            amount = None
        else:
            text = with_qualifier(
                format_usd(amount or Decimal(0), compact=True),
                row.qualifier if row is not None else "exact",
            )
        fill = shade(amount, largest)
        areas.append(
            MapArea(
                code=code,
                name=labels.get(code) or str(Country(code).label),
                amount=text,
                fill=fill,
                ink="#ffffff" if fill in SHADES[2:] else "#1b2330",
                current=code == current,
            )
        )
    return tuple(areas)


def map_svg(areas: tuple[MapArea, ...], title: str) -> str:
    """The map as a standalone SVG document (the page inlines the same markup)."""
    shapes = outlines()
    width, height = shapes["width"], shapes["height"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'class="country-map" role="img" aria-labelledby="country-map-title">',
        f'<title id="country-map-title">{escape(title)}</title>',
        f'<rect width="{width:g}" height="{height:g}" fill="#eef4fa"/>',
    ]
    parts += [
        f'<path d="{d}" fill="#ffffff" stroke="#9aa6b5" stroke-width="0.8"/>'
        for d in shapes["context"]
    ]
    for area in areas:
        outline = shapes["countries"][area.code]
        stroke = (
            ' stroke="#b3470b" stroke-width="3"'
            if area.current
            else (' stroke="#1b2330" stroke-width="1"')
        )
        parts.append(
            f'<path d="{outline["path"]}" fill="{area.fill}"{stroke}>'
            f"<title>{escape(area.name)}: {escape(area.amount)}</title></path>"
        )
    for area in areas:
        x, y = shapes["countries"][area.code]["label"]
        x, y = float(x), float(y)
        # El Salvador is too small for its name: it is written on the sea to its south.
        if area.code == "SV":
            y += 2.2 * LABEL_SIZE
            ink = "#1b2330"
        else:
            ink = area.ink
        halo = "#ffffff" if ink != "#ffffff" else "#0b2a4a"
        # Kept inside the picture: a long amount in words is moved in from the edge, not cut.
        half = max(len(area.name), len(area.amount)) * LABEL_SIZE * 0.3
        x = min(max(x, half + 4), shapes["width"] - half - 4)
        y = min(y, shapes["height"] - 2 * LABEL_SIZE - 6)
        parts.append(
            f'<text x="{x:g}" y="{y:g}" text-anchor="middle" font-family="system-ui, sans-serif" '
            f'font-size="{LABEL_SIZE}" fill="{ink}" stroke="{halo}" stroke-width="3" '
            f'paint-order="stroke" stroke-linejoin="round">'
            f'<tspan x="{x:g}" font-weight="700">{escape(area.name)}</tspan>'
            f'<tspan x="{x:g}" dy="{LABEL_SIZE + 2}">{escape(area.amount)}</tspan></text>'
        )
    credit = escape(_("Outlines: Natural Earth"))
    parts.append(
        f'<text x="{width - 6:g}" y="{height - 6:g}" text-anchor="end" font-size="10" '
        f'font-family="system-ui, sans-serif" fill="#4a5568">{credit}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
