"""The map of the initiative's countries, shaded by the amount committed to each: an SVG drawn
on the server from the by-country breakdown (the same figures call as the chart and its table)
and the Natural Earth outlines of every country that scripts/build_map.py converted once
(data/world_outlines.json, committed), projected here to fit the initiative's countries.

Drawn on the server, the map needs no script, is the same picture in the page and in its SVG
download, and its table alternative is the by-country table beside it. A country with no
outline (a code the outlines lack) is in the table only."""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.html import escape
from django.utils.translation import gettext as _

from adelante.figures.labels import row_labels
from adelante.figures.results import Breakdown, BreakdownRow
from adelante.initiatives.countries import country_name
from adelante.initiatives.country_keys import initiative_countries
from adelante.money.formatting import format_usd, with_qualifier

OUTLINES = Path(__file__).resolve().parent / "data" / "world_outlines.json"

Ring = tuple[tuple[float, float], ...]

#: The picture's width in its own units; its height follows the countries' shape.
WIDTH = 600.0
HEIGHTS = (260.0, 900.0)
#: Space around the countries, as a fraction of their extent, and the least extent shown
#: (degrees): a small country is seen with its neighbours.
MARGIN = 0.12
LEAST_SPAN = 4.0
#: Width of a label's letter, as a share of its size (system-ui, bold): a country narrower
#: than its name has the name written below it, on the sea or its neighbour (El Salvador).
LETTER = 0.55

#: Light to dark: a country's shade says which quarter of the largest amount it reaches.
#: The darkest two carry white text (contrast ≥ 4.5:1); every shade is told apart by its label.
SHADES = ("#e3ecf7", "#a9c4e6", "#3f78c0", "#0b4a8c")
NO_AMOUNT = "#f4f6f9"
#: Label size in the map's units (600 wide): about 12 px on a 375 px phone.
LABEL_SIZE = 21


@functools.cache
def outlines() -> dict[str, tuple[Ring, ...]]:
    """Every country's rings, in degrees (longitude, latitude), by ISO alpha-2 code."""
    loaded = json.loads(OUTLINES.read_text(encoding="utf-8"))
    found: dict[str, tuple[Ring, ...]] = {}
    for code, rings in loaded["countries"].items():
        decoded = []
        for steps in rings:
            lon = lat = 0
            points = []
            for i in range(0, len(steps), 2):
                lon += steps[i]
                lat += steps[i + 1]
                points.append((lon / 100, lat / 100))
            decoded.append(tuple(points))
        found[code] = tuple(decoded)
    return found


def _area(ring: Ring) -> float:
    return abs(
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
    )


def _extent(rings: tuple[Ring, ...]) -> tuple[float, float, float, float]:
    """West, east, south, north of a country's main rings (a tenth of its largest or more:
    an overseas island does not stretch the map across an ocean)."""
    largest = max(_area(r) for r in rings)
    main = [p for r in rings if _area(r) >= largest / 10 for p in r]
    lons, lats = [p[0] for p in main], [p[1] for p in main]
    return min(lons), max(lons), min(lats), max(lats)


@dataclass(frozen=True)
class Outline:
    path: str
    #: The centre of the country's largest ring's box, its width and its lowest point: where
    #: the name is written (inside, or below when the name is wider than the country).
    centre: tuple[float, float]
    width: float
    bottom: float


@dataclass(frozen=True)
class Picture:
    width: float
    height: float
    countries: dict[str, Outline]
    #: The neighbours in the window, drawn in grey so the countries are seen where they are.
    context: tuple[str, ...]


@functools.cache
def picture(codes: tuple[str, ...]) -> Picture:
    """The countries' outlines projected to fit them with a margin (equirectangular, latitudes
    stretched by 1/cos of the middle latitude: right for a window of a few countries, with no
    projection library), and their neighbours in the window."""
    shapes = outlines()
    drawn = [code for code in codes if code in shapes]
    if not drawn:
        return Picture(WIDTH, HEIGHTS[0], {}, ())
    extents = [_extent(shapes[code]) for code in drawn]
    west, east = min(e[0] for e in extents), max(e[1] for e in extents)
    south, north = min(e[2] for e in extents), max(e[3] for e in extents)
    lon_span = max(east - west, LEAST_SPAN) * (1 + 2 * MARGIN)
    lat_span = max(north - south, LEAST_SPAN / 2) * (1 + 2 * MARGIN)
    middle_lon, middle_lat = (west + east) / 2, (south + north) / 2
    stretch = 1 / max(math.cos(math.radians(middle_lat)), 0.2)
    height = WIDTH * lat_span * stretch / lon_span
    if height > HEIGHTS[1]:
        lon_span *= height / HEIGHTS[1]
    elif height < HEIGHTS[0]:
        lat_span *= HEIGHTS[0] / height
    per_degree = WIDTH / lon_span
    height = min(max(height, HEIGHTS[0]), HEIGHTS[1])
    left, top = middle_lon - lon_span / 2, middle_lat + lat_span / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        x = (lon - left) * per_degree
        y = (top - lat) * per_degree * stretch
        # Points outside are kept just outside the picture: inside it the shape is the same.
        return min(max(x, -10.0), WIDTH + 10), min(max(y, -10.0), height + 10)

    def path(rings: tuple[Ring, ...]) -> str:
        parts = []
        for ring in rings:
            points: list[tuple[float, float]] = []
            for lon, lat in ring:
                x, y = project(lon, lat)
                point = (round(x, 1), round(y, 1))
                if not points or points[-1] != point:
                    points.append(point)
            if len(set(points)) >= 3:
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        return "".join(parts)

    def inside(rings: tuple[Ring, ...]) -> bool:
        w, e, s, n = _extent(rings)
        right, bottom = left + lon_span, top - lat_span
        return e >= left and w <= right and n >= bottom and s <= top

    countries = {}
    for code in drawn:
        largest = max(shapes[code], key=_area)
        xs, ys = zip(*(project(lon, lat) for lon, lat in largest), strict=True)
        centre = (round((min(xs) + max(xs)) / 2, 1), round((min(ys) + max(ys)) / 2, 1))
        countries[code] = Outline(
            path(shapes[code]), centre, round(max(xs) - min(xs), 1), round(max(ys), 1)
        )
    context = tuple(
        path(rings)
        for code, rings in sorted(shapes.items())
        if code not in countries and inside(rings)
    )
    return Picture(WIDTH, round(height, 1), countries, tuple(p for p in context if p))


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    #: The amount as the by-country table words it ("withheld (confidential)" included).
    amount: str
    fill: str
    ink: str
    current: bool
    #: Whether the outlines have the country: if not, it is in the table only.
    outlined: bool = True


def shade(amount: Decimal | None, largest: Decimal) -> str:
    """The fill of a country: none for no (or a withheld) amount, else its quarter of the
    largest amount of the initiative's countries."""
    if amount is None or amount <= 0 or largest <= 0:
        return NO_AMOUNT
    quarter = min(int(amount / largest * 4 - Decimal("0.000001")), 3)
    return SHADES[max(quarter, 0)]


def map_areas(
    breakdown: Breakdown, current: str | None = None, countries: tuple[str, ...] | None = None
) -> tuple[MapArea, ...]:
    """The countries' rows of the by-country breakdown, shaded for the map: `countries`, or
    the initiative in scope's (by code, as the table lists them)."""
    codes = sorted(countries if countries is not None else initiative_countries())
    labels = row_labels(breakdown)
    rows: dict[str, BreakdownRow] = {row.key: row for row in breakdown.rows if row.key in codes}
    amounts = [row.amount_usd for row in rows.values() if row.amount_usd is not None]
    largest = max(amounts, default=Decimal(0))
    shapes = outlines()
    areas = []
    for code in codes:
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
                name=labels.get(code) or country_name(code),
                amount=text,
                fill=fill,
                ink="#ffffff" if fill in SHADES[2:] else "#1b2330",
                current=code == current,
                outlined=code in shapes,
            )
        )
    return tuple(areas)


def drawable(areas: tuple[MapArea, ...]) -> bool:
    """Whether the map has a country to draw (else the page shows its table alone)."""
    return any(area.outlined for area in areas)


def map_svg(areas: tuple[MapArea, ...], title: str) -> str:
    """The map as a standalone SVG document (the page inlines the same markup)."""
    drawn = tuple(area for area in areas if area.outlined)
    shapes = picture(tuple(area.code for area in drawn))
    width, height = shapes.width, shapes.height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'class="country-map" role="img" aria-labelledby="country-map-title">',
        f'<title id="country-map-title">{escape(title)}</title>',
        f'<rect width="{width:g}" height="{height:g}" fill="#eef4fa"/>',
    ]
    parts += [
        f'<path d="{d}" fill="#ffffff" stroke="#9aa6b5" stroke-width="0.8"/>'
        for d in shapes.context
    ]
    for area in drawn:
        stroke = (
            ' stroke="#b3470b" stroke-width="3"'
            if area.current
            else (' stroke="#1b2330" stroke-width="1"')
        )
        parts.append(
            f'<path d="{shapes.countries[area.code].path}" fill="{area.fill}"{stroke}>'
            f"<title>{escape(area.name)}: {escape(area.amount)}</title></path>"
        )
    placed: list[tuple[float, float, float, float]] = []
    for area in drawn:
        outline = shapes.countries[area.code]
        x, y = outline.centre
        # A country narrower than its name has it written below, in dark ink.
        below = outline.width < len(area.name) * LABEL_SIZE * LETTER
        if below:
            y = outline.bottom + 1.2 * LABEL_SIZE
        ink = "#1b2330" if below else area.ink
        halo = "#ffffff" if ink != "#ffffff" else "#0b2a4a"
        # Kept inside the picture: a long amount in words is moved in from the edge, not cut.
        half = max(len(area.name), len(area.amount)) * LABEL_SIZE * 0.3
        x = min(max(x, half + 4), width - half - 4)
        y = min(max(y, LABEL_SIZE + 4), height - 2 * LABEL_SIZE - 6)
        box = (x - half, y - LABEL_SIZE, x + half, y + LABEL_SIZE + 4)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            # Countries close together on a wide map: the name that would cover another's is
            # left to the outline's own title (shown on hover) and the table.
            continue
        placed.append(box)
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
