"""The explorer's selection as CSV (streamed, constant memory) and XLSX (openpyxl, write-only).

Columns are stable machine names, so scripts keep working across languages and releases.
A confidential amount is never written (blank amounts, qualifier "confidential"). Text cells
that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return)
get a leading apostrophe, so a partner's text can never become a formula on a reader's machine.
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

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


#: Each column's heading in the reader's language, in the spreadsheet (the CSV keeps the
#: stable machine names, and the workbook lists them on its second sheet).
COLUMN_LABELS: dict[str, Any] = {
    "reference": _("Reference"),
    "url": _("Web page"),
    "partner": _("Partner"),
    "partner_type": _("Type of partner"),
    "round": _("Round"),
    "announced_on": _("Announced on"),
    "title": _("Title"),
    "summary": _("Summary"),
    "kind": _("Kind of money"),
    "relation": _("Relation to an earlier commitment"),
    "relates_to": _("Earlier commitment"),
    "status": _("Status"),
    "withdrawn_on": _("Withdrawn on"),
    "qualifier": _("How the amount was stated"),
    "amount_usd": _("Amount (US$)"),
    "currency": _("Currency"),
    "amount": _("Amount (in its currency)"),
    "countries": _("Countries"),
    "shares_percent": _("Shares (%)"),
    "focus_areas": _("Focus areas"),
    "starts_on": _("Starts on"),
    "ends_on": _("Ends on"),
}
#: Spreadsheet number formats: amounts with thousands separators and cents, ISO dates.
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def xlsx_file(
    table: Iterable[list[Cell]], title: str, columns: Iterable[str] = COLUMNS
) -> IO[bytes]:
    """A workbook whose first sheet (`title`) has the table under headings in the reader's
    language (frozen, with a filter on every column; amounts and dates formatted as such),
    and whose second sheet names each column's stable machine name (as in the CSV).
    Written row by row to a temporary file (rewound)."""
    names = list(columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_name(title))
    sheet.freeze_panes = "A2"
    sheet.append([str(COLUMN_LABELS.get(name, name)) for name in names])
    count = 0
    for cells in table:
        sheet.append([_typed(sheet, cell) for cell in cells])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(names), 1))}{count + 1}"
    about = workbook.create_sheet(_sheet_name(str(_("Columns"))))
    about.append([str(_("Heading")), str(_("Name in the CSV and the API"))])
    for name in names:
        about.append([str(COLUMN_LABELS.get(name, name)), name])
    out = tempfile.TemporaryFile()  # noqa: SIM115 (returned open; the response closes it)
    workbook.save(out)
    out.seek(0)
    return out


def _sheet_name(title: str) -> str:
    # A sheet's name: at most 31 characters, none of []:*?/\.
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"


def _typed(sheet: Any, cell: Cell) -> Any:
    """Amounts and dates as numbers and dates the spreadsheet formats; the rest as is."""
    if isinstance(cell, Decimal):
        typed = WriteOnlyCell(sheet, value=cell)
        typed.number_format = MONEY_FORMAT
        return typed
    if isinstance(cell, datetime.date):
        typed = WriteOnlyCell(sheet, value=cell)
        typed.number_format = DATE_FORMAT
        return typed
    return cell
