"""A document in one language: a list of blocks that every format renders the same way.

`compose` writes every label, number and date into these blocks; the HTML, PDF and DOCX
renderers only lay them out, so the three formats show the same text and the same figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""


@dataclass(frozen=True)
class Heading:
    block: ClassVar[str] = "heading"
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    block: ClassVar[str] = "paragraph"
    text: str
    note: bool = False


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Facts:
    """Headline figures: a label, the figure, and what it is made of."""

    block: ClassVar[str] = "facts"
    items: tuple[Fact, ...]


@dataclass(frozen=True)
class Table:
    block: ClassVar[str] = "table"
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    #: Columns holding figures (right-aligned).
    numeric: tuple[int, ...] = ()
    #: A closing row (the total), or None.
    total: tuple[Cell, ...] | None = None
    note: str = ""
    #: Relative column widths for the paginated formats.
    widths: tuple[float, ...] | None = None
    #: False when a heading just above says the same (the caption stays for screen readers).
    show_caption: bool = True


@dataclass(frozen=True)
class Chart:
    block: ClassVar[str] = "chart"
    title: str
    #: What the chart shows, in words (alt text; the table beside it has the figures).
    alt: str
    png: bytes
    svg: str


@dataclass(frozen=True)
class Links:
    block: ClassVar[str] = "links"
    items: tuple[Cell, ...]


Block = Heading | Paragraph | Facts | Table | Chart | Links


@dataclass(frozen=True)
class Document:
    language: str
    kind: str
    title: str
    subtitle: tuple[str, ...]
    blocks: tuple[Block, ...]
    #: The edition's dates and checksum, printed at the end and in every page's footer.
    colophon: tuple[str, ...]
    footer: str
    as_of: datetime.date
    recorded_on: datetime.date
    checksum: str
    #: A file name without extension, e.g. "progress-2023-02-06-es".
    stem: str
    keywords: tuple[str, ...] = field(default=())
