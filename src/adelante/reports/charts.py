"""Charts drawn into the documents: PNG for PDF and DOCX, SVG inline for HTML.

matplotlib's object-oriented API with the Agg renderer (no pyplot, no display, thread-safe)
and its own DejaVu Sans font, so accents render everywhere. Figures are converted to float
here for drawing only; every number printed on a chart is formatted from the exact Decimal.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from matplotlib import rc_context
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from adelante.reports.document import Chart

INK = "#1f2933"
BAR = "#2f6f8f"
MUTED = "#7b8794"
SERIES_COLOURS = ("#2f6f8f", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#9b2c2c")

_STYLE: Any = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "svg.hashsalt": "adelante",
    "svg.fonttype": "path",
}


def _save(figure: Figure, title: str, alt: str) -> Chart:
    png, svg = io.BytesIO(), io.StringIO()
    with rc_context(_STYLE):
        figure.savefig(png, format="png", dpi=150, metadata={"Software": None})
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    text = svg.getvalue()
    start = text.find("<svg")
    return Chart(title=title, alt=alt, png=png.getvalue(), svg=text[start:] if start >= 0 else "")


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[Decimal],
    value_texts: Sequence[str],
    alt: str,
) -> Chart:
    """Horizontal bars, largest first as given, each labelled with its formatted figure."""
    n = max(len(labels), 1)
    with rc_context(_STYLE):
        figure = Figure(figsize=(7.0, 0.8 + 0.42 * n))
        ax = figure.subplots()
        positions = list(range(len(labels)))[::-1]
        drawn = [float(v) for v in values]  # drawing only
        ax.barh(positions, drawn, color=BAR, height=0.6)
        ax.set_yticks(positions, labels=[_short(label) for label in labels])
        top = max(drawn, default=0.0) or 1.0
        for y, x, text in zip(positions, drawn, value_texts, strict=True):
            ax.text(x + top * 0.01, y, text, va="center", fontsize=8, color=INK)
        ax.set_xlim(0, top * 1.35)
        ax.set_xticks([])
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        figure.tight_layout()
    return _save(figure, title, alt)


def line_chart(
    title: str,
    series: Sequence[tuple[str, Sequence[tuple[datetime.date, Decimal]], Callable[[Decimal], str]]],
    day: Callable[[datetime.date], str],
    alt: str,
) -> Chart:
    """One small panel per series, each in its own unit: (label, points, number format).

    Axis numbers and dates are written by the given functions, in the document's language."""
    panels = max(len(series), 1)
    with rc_context(_STYLE):
        figure = Figure(figsize=(7.0, 1.2 + 1.9 * panels))
        axes = figure.subplots(panels, 1, squeeze=False)[:, 0]
        for i, (ax, (label, points, number)) in enumerate(zip(axes, series, strict=False)):
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            xs = [float(date2num(p[0])) for p in points]
            ys = [float(p[1]) for p in points]  # drawing only
            ax.plot(xs, ys, marker="o", color=colour, linewidth=1.8)
            last = number(points[-1][1]) if points else ""
            ax.set_title(f"{label}: {last}", loc="left", fontsize=9, color=INK)
            ax.set_ylim(bottom=0)
            ax.set_xticks(xs, labels=[day(p[0]) for p in points])
            ax.yaxis.set_major_formatter(
                FuncFormatter(lambda value, _pos, f=number: f(Decimal(str(float(value)))))
            )
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            ax.tick_params(axis="x", labelsize=7)
        figure.tight_layout()
    return _save(figure, title, alt)


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
