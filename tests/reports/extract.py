"""The text of generated documents, read back the way a reader's tools would read it."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import docx
from pypdf import PdfReader


def squash(text: str) -> str:
    """Runs of whitespace (line breaks, no-break spaces) as one space."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " ")).strip()


class _Tables(HTMLParser):
    """Tables by caption (rows of cell texts), headline facts, links and visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.facts: dict[str, str] = {}
        self.links: list[str] = []
        self.text: list[str] = []
        self._caption: str | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._buffer: list[str] | None = None
        self._dt: str | None = None
        self._dd_figure = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "svg"):
            self._skip += 1
        elif tag == "table":
            self._rows = []
        elif tag == "caption":
            self._buffer = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "dt":
            self._buffer = []
        elif tag == "dd" and attrs.get("class") == "figure":
            self._buffer, self._dd_figure = [], True
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("style", "svg"):
            self._skip -= 1
        elif tag == "caption" and self._buffer is not None:
            self._caption = squash("".join(self._buffer))
            self._buffer = None
        elif tag in ("td", "th") and self._cell is not None and self._rows is not None:
            self._rows[-1].append(squash("".join(self._cell)))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption or f"table {len(self.tables)}"] = self._rows
            self._rows, self._caption = None, None
        elif tag == "dt" and self._buffer is not None:
            self._dt, self._buffer = squash("".join(self._buffer)), None
        elif tag == "dd" and self._dd_figure and self._buffer is not None:
            self.facts[self._dt or ""] = squash("".join(self._buffer))
            self._buffer, self._dd_figure = None, False

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._buffer is not None:
            self._buffer.append(data)


def html(content: bytes) -> _Tables:
    parser = _Tables()
    parser.feed(content.decode())
    return parser


def html_text(content: bytes) -> str:
    return squash(" ".join(html(content).text))


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return squash(" ".join(page.extract_text() for page in reader.pages))


def pdf_metadata(content: bytes) -> dict[str, str]:
    meta = PdfReader(io.BytesIO(content)).metadata or {}
    return {str(k): str(v) for k, v in meta.items()}


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    parts += [p.text for p in document.sections[0].footer.paragraphs]
    return squash(" ".join(parts))


def docx_properties(content: bytes):
    return docx.Document(io.BytesIO(content)).core_properties


def text_of(content: bytes, fmt: str) -> str:
    return {"html": html_text, "pdf": pdf_text, "docx": docx_text}[fmt](content)
