"""The picture a shared link shows (Open Graph and Twitter cards): the page's headline figure,
drawn on the server as a 1200 by 630 PNG in the reader's language.

Drawn with matplotlib's Agg renderer and its own DejaVu Sans (accents everywhere, no new
dependency); the view that serves it is a portal page, so a card is drawn once per record
state and language, and answers conditional requests with 304 (docs/portal.md, "Sharing").
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import Any

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

WIDTH, HEIGHT, DPI = 1200, 630, 100
INK = "#1f2933"
ACCENT = "#2f6f8f"
MUTED = "#52606d"
PAPER = "#ffffff"

_STYLE: Any = {"font.family": "DejaVu Sans"}


@dataclass(frozen=True)
class Card:
    #: Whose figure it is: the page's subject ("Guatemala", a partner's name).
    title: str
    #: The figure itself, formatted with its qualifier ("at least US$3,641,600,000").
    figure: str
    #: What the figure is ("Committed as of 2 December 2026 · 48 commitments").
    caption: str
    #: The site's name, at the top.
    site: str


def png(card: Card) -> bytes:
    """The card as a PNG image of WIDTH by HEIGHT pixels."""
    with rc_context(_STYLE):
        figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor=PAPER)
        figure.patches.append(_band(figure))
        figure.text(0.06, 0.86, card.site, fontsize=22, color=PAPER, weight="bold")
        title = textwrap.shorten(card.title, width=80, placeholder="…")
        figure.text(
            0.06, 0.66, "\n".join(textwrap.wrap(title, 40)), fontsize=30, color=INK, va="top"
        )
        figure.text(
            0.06, 0.30, card.figure, fontsize=_figure_size(card.figure), color=ACCENT, weight="bold"
        )
        figure.text(
            0.06,
            0.14,
            "\n".join(textwrap.wrap(card.caption, 80)),
            fontsize=18,
            color=MUTED,
            va="top",
        )
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _band(figure: Figure) -> Rectangle:
    return Rectangle(
        (0, 0.8), 1, 0.2, transform=figure.transFigure, facecolor=ACCENT, edgecolor="none"
    )


def _figure_size(text: str) -> int:
    # As large as fits the width: long qualified amounts get a smaller type.
    return 56 if len(text) <= 24 else 44 if len(text) <= 32 else 34
