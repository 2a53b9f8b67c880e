"""Each overview chart as an SVG document, for its "SVG" download: drawn on the server from the
same drawing data the page's chart script gets (charts.py), so the vector picture shows the
same bars, points and words as the canvas, without a browser. (The PNG is the canvas itself.)

Deliberately plain: every label is written above its bar at full width, wrapped, so none is
ever cut; amounts are written in words beside each bar."""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from typing import Any

from django.utils.html import escape

WIDTH = 640
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'
INK = "#1b2330"
MUTED = "#4a5568"
BAR = "#0b5cad"
OFFICIAL = "#a4400e"


def _document(height: float, title: str, body: list[str]) -> str:
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:g}" '
            f'viewBox="0 0 {WIDTH} {height:g}" role="img" aria-label="{escape(title)}">',
            f"<title>{escape(title)}</title>",
            f'<rect width="{WIDTH}" height="{height:g}" fill="#ffffff"/>',
            f'<text x="16" y="28" {FONT} font-size="18" font-weight="700" fill="{INK}">'
            f"{escape(title)}</text>",
            *body,
            "</svg>",
        ]
    )


def bar_svg(drawing: dict[str, Any]) -> str:
    """Horizontal bars, each with its label above it (wrapped) and its amount beside it."""
    dataset = drawing["datasets"][0]
    values = [Decimal(v) for v in dataset["values"]]
    largest = max(values, default=Decimal(0)) or Decimal(1)
    # The longest bar leaves room for the longest amount beside it (about 7.5 px a character
    # at 13 px): no amount is cut at the picture's edge.
    room = WIDTH - 32 - max((len(t) for t in dataset["texts"]), default=0) * 7.5
    y = 48.0
    body: list[str] = []
    for label, value, text in zip(drawing["labels"], values, dataset["texts"], strict=True):
        for line in textwrap.wrap(label, 70) or [""]:
            y += 17
            body.append(
                f'<text x="16" y="{y:g}" {FONT} font-size="14" fill="{INK}">{escape(line)}</text>'
            )
        length = float(value / largest) * room
        body.append(
            f'<rect x="16" y="{y + 6:g}" width="{max(length, 1):.1f}" height="16" fill="{BAR}"/>'
        )
        body.append(
            f'<text x="{16 + length + 6:.1f}" y="{y + 19:g}" {FONT} font-size="13" '
            f'fill="{MUTED}">{escape(text)}</text>'
        )
        y += 34
    return _document(y + 12, drawing["title"], body)


def line_svg(drawing: dict[str, Any]) -> str:
    """The itemised total as steps on a time axis, the official statements as diamonds."""
    itemised, official = drawing["datasets"]
    every = [*itemised["points"], *official["points"]]
    if not every:
        return _document(60, drawing["title"], [])
    days = [datetime.date.fromisoformat(p["day"]).toordinal() for p in every]
    first, last = min(days), max(days)
    span = max(last - first, 1)
    top = max(Decimal(p["value"]) for p in every) or Decimal(1)
    left, right, upper, lower = 24.0, WIDTH - 24.0, 60.0, 300.0

    def x(day: str) -> float:
        return left + (datetime.date.fromisoformat(day).toordinal() - first) / span * (right - left)

    def y(value: str) -> float:
        return lower - float(Decimal(value) / top) * (lower - upper)

    body = [f'<line x1="{left}" y1="{lower}" x2="{right}" y2="{lower}" stroke="{MUTED}"/>']
    steps = []
    for i, point in enumerate(itemised["points"]):
        if i:
            steps.append(f"L{x(point['day']):.1f},{y(itemised['points'][i - 1]['value']):.1f}")
        steps.append(f"{'L' if i else 'M'}{x(point['day']):.1f},{y(point['value']):.1f}")
    if steps:
        body.append(f'<path d="{"".join(steps)}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    for point in itemised["points"]:
        body.append(
            f'<circle cx="{x(point["day"]):.1f}" cy="{y(point["value"]):.1f}" r="4" fill="{BAR}">'
            f"<title>{escape(point['date'])}: {escape(point['text'])}</title></circle>"
        )
    for point in official["points"]:
        cx, cy = x(point["day"]), y(point["value"])
        body.append(
            f'<path d="M{cx:.1f},{cy - 7:.1f}l7,7l-7,7l-7,-7z" fill="{OFFICIAL}">'
            f"<title>{escape(point['date'])}: {escape(point['text'])}</title></path>"
        )
    for year in range(
        datetime.date.fromordinal(first).year + 1, datetime.date.fromordinal(last).year + 1
    ):
        tick = datetime.date(year, 1, 1).isoformat()
        body.append(
            f'<text x="{x(tick):.1f}" y="{lower + 18}" text-anchor="middle" {FONT} font-size="12" '
            f'fill="{MUTED}">{year}</text>'
        )
    legend_y = lower + 44
    body.append(
        f'<circle cx="{left + 5}" cy="{legend_y - 4}" r="4" fill="{BAR}"/>'
        f'<text x="{left + 14}" y="{legend_y}" {FONT} font-size="13" fill="{INK}">'
        f"{escape(itemised['label'])}</text>"
        f'<path d="M{left + 5},{legend_y + 12}l6,6l-6,6l-6,-6z" fill="{OFFICIAL}"/>'
        f'<text x="{left + 14}" y="{legend_y + 22}" {FONT} font-size="13" fill="{INK}">'
        f"{escape(official['label'])}</text>"
    )
    return _document(legend_y + 36, drawing["title"], body)


def chart_svg(drawing: dict[str, Any]) -> str:
    return line_svg(drawing) if drawing["kind"] == "line" else bar_svg(drawing)
