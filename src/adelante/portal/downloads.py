"""The explorer's selection as CSV (streamed, constant memory) and XLSX (openpyxl, write-only).

Columns are stable machine names, so scripts keep working across languages and releases.
A confidential amount is never written (blank amounts, qualifier "confidential"). Text cells
that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return)
get a leading apostrophe, so a partner's text can never become a formula on a reader's machine.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from adelante.commitments.models import Commitment
from adelante.commitments.publication import public_amount

COLUMNS = (
    "reference",
    "url",
    "partner",
    "partner_type",
    "round",
    "announced_on",
    "title",
    "summary",
    "kind",
    "relation",
    "relates_to",
    "status",
    "withdrawn_on",
    "qualifier",
    "amount_usd",
    "currency",
    "amount",
    "countries",
    "shares_percent",
    "focus_areas",
    "starts_on",
    "ends_on",
)
#: Beyond this an XLSX file is slow to build and to open; the CSV has no such limit.
XLSX_MAX_ROWS = 100_000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | Decimal | datetime.date | None


def safe_text(value: str) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def rows(selection: QuerySet[Commitment], url_of: Callable[[str], str]) -> Iterator[list[Cell]]:
    """One list of cells per commitment, in the order of `COLUMNS`; text cells made safe."""
    commitments = selection.select_related("partner", "round", "relates_to").prefetch_related(
        "countries", "focus_areas"
    )
    for c in commitments.iterator(chunk_size=1000):
        countries = list(c.countries.all())
        withheld = public_amount(c.qualifier, c.amount_usd) is None
        cells: list[Cell] = [
            c.reference,
            url_of(c.reference),
            c.partner.name,
            c.partner.type,
            c.round.slug if c.round else "",
            c.announced_on,
            c.title,
            c.summary,
            c.kind,
            c.relation,
            c.relates_to.reference if c.relates_to else "",
            c.status,
            c.withdrawn_on,
            c.qualifier,
            None if withheld else c.amount_usd,
            c.currency,
            None if withheld else c.amount,
            ";".join(s.country for s in countries),
            ";".join(
                f"{s.country}:{s.share_percent.normalize():f}"
                for s in countries
                if s.share_percent is not None
            ),
            ";".join(sorted(a.code for a in c.focus_areas.all())),
            c.starts_on,
            c.ends_on,
        ]
        yield [_text(cell) if isinstance(cell, str) else cell for cell in cells]


def _text(value: str) -> str:
    # Control characters first (they are not allowed in a workbook's XML), so that what is
    # left cannot start a formula either.
    return safe_text(ILLEGAL_CHARACTERS_RE.sub("", value))


class _Echo:
    """A file whose write returns the line, so csv.writer feeds a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(table: Iterable[list[Cell]], columns: Iterable[str] = COLUMNS) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(list(columns))  # the BOM lets spreadsheets read UTF-8
    for cells in table:
        yield writer.writerow(["" if cell is None else _csv_cell(cell) for cell in cells])


def _csv_cell(cell: Cell) -> str:
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


def xlsx_file(
    table: Iterable[list[Cell]], title: str, columns: Iterable[str] = COLUMNS
) -> IO[bytes]:
    """A workbook with one sheet, written row by row to a temporary file (rewound)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(columns))
    for cells in table:
        sheet.append(list(cells))
    out = tempfile.TemporaryFile()  # noqa: SIM115 (returned open; the response closes it)
    workbook.save(out)
    out.seek(0)
    return out
