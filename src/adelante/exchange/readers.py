"""Reading an input file (CSV or XLSX) into rows of text cells with their line numbers.

The format follows the content: a ZIP archive (what an XLSX file is) is read as XLSX, the
first sheet, with the header in row 1; anything else must be UTF-8 text (a byte-order mark is
tolerated) and is read as CSV. Cells come back as stripped strings; numbers and dates that a
spreadsheet stored as such are written out the way the CSV format expects them
(``150000000``, ``2021-05-27``), so both formats go through the same checks.
"""

from __future__ import annotations

import csv
import datetime
import io
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from adelante.exchange.problems import WHOLE_FILE, ImportRejected, Problem, Problems
from adelante.exchange.safety import unescape
from adelante.uploads import sheets
from adelante.uploads.archives import Refused

ZIP_MAGIC = b"PK\x03\x04"
# Compound-file header of the old binary Excel format (.xls).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt", ""}


@dataclass(frozen=True)
class Row:
    """A data row: its line (CSV) or row number (XLSX), and its cells by column name."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    """The header and the non-blank data rows of a file."""

    file: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def has(self, column: str) -> bool:
        return column in self.columns


def read_table(path: Path, *, file: str | None = None, sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file. Raises ImportRejected if it cannot be read as either.

    `file` is how problems name the file (default: the path as given). In a workbook, the
    sheet named `sheet` is read if there is one (as in a bulk download, which has a sheet per
    table), otherwise the first.
    """
    name = file if file is not None else str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = _("cannot read the file: %(error)s") % {"error": exc.strerror}
        raise _rejected(name, 1, reason) from None
    if data.startswith(ZIP_MAGIC):
        raw_rows = _xlsx_rows(data, name, sheet)
    elif data.startswith(OLE2_MAGIC):
        raise _rejected(
            name, 1, _("an old binary Excel file (.xls); save it as XLSX or as CSV (UTF-8)")
        )
    elif path.suffix.lower() in XLSX_SUFFIXES:
        raise _rejected(name, 1, _("not a valid XLSX file"))
    elif path.suffix.lower() not in CSV_SUFFIXES:
        raise _rejected(
            name,
            1,
            _("not a CSV or XLSX file (expected a name ending in .csv or .xlsx, not “%(suffix)s”)")
            % {"suffix": path.suffix},
        )
    else:
        raw_rows = _csv_rows(data, name)
    return _table(name, raw_rows)


def _rejected(file: str, line: int, reason: str) -> ImportRejected:
    return ImportRejected([Problem(file, line, WHOLE_FILE, reason)])


def _csv_rows(data: bytes, file: str) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _rejected(
            file,
            line,
            _("not UTF-8 text (byte 0x%(byte)02x); save the file as CSV UTF-8")
            % {"byte": data[exc.start]},
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _rejected(file, line, _("not a text file (it contains NUL bytes)"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _rejected(file, start, _("not valid CSV: %(error)s") % {"error": exc}) from None
    return rows


def _xlsx_rows(data: bytes, file: str, wanted: str | None = None) -> list[tuple[int, list[str]]]:
    # Imported here: openpyxl is only needed for spreadsheets.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Checked before it is opened: a ZIP bomb or an oversized part refuses the file.
        sheets.check_workbook(data)
    except Refused as refused:
        raise _rejected(file, 1, refused.reason) from None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about spreadsheet features it does not read (validation, styles).
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _rejected(file, 1, _("not a valid XLSX file")) from None
    try:
        if not workbook.worksheets:
            raise _rejected(file, 1, _("the workbook has no sheet"))
        named = [s for s in workbook.worksheets if wanted and s.title.casefold() == wanted]
        sheet = named[0] if named else workbook.worksheets[0]
        # Some programs write wrong sheet dimensions; read every row that holds a value, up to
        # the last one (styled empty rows and columns after it are not read; uploads/sheets.py).
        sheet.reset_dimensions()
        rows = [
            (number, [_cell_text(value) for value in values])
            for number, values in sheets.bounded_rows(data, sheet)
        ]
    except Refused as refused:
        raise _rejected(file, 1, refused.reason) from None
    finally:
        workbook.close()
    return rows


def _cell_text(value: object) -> str:
    """A spreadsheet value as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time.min:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # The spreadsheet stored a binary float; its shortest decimal form is what was typed.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _table(file: str, raw_rows: Sequence[tuple[int, list[str]]]) -> Table:
    problems = Problems(file)
    rows = iter(raw_rows)
    header: list[str] | None = None
    for _line, cells in rows:
        header = [cell.strip().casefold() for cell in cells]
        break
    if header is None or not any(header):
        raise _rejected(file, 1, _("no header row: the first line must name the columns"))
    _check_header(header, problems)
    data_rows = list(_data_rows(header, rows, problems))
    problems.raise_if_any()
    return Table(file, tuple(c for c in header if c), tuple(data_rows))


def _check_header(header: Sequence[str], problems: Problems) -> None:
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name in seen:
            problems.add(1, name, _("this column appears twice in the header"))
        seen.add(name)


def _data_rows(
    header: Sequence[str], rows: Iterable[tuple[int, list[str]]], problems: Problems
) -> Iterator[Row]:
    for line, raw in rows:
        # A quote that an export put before text starting like a formula is taken off again.
        cells = [unescape(cell.strip()) for cell in raw]
        if not any(cells):
            continue
        named: dict[str, str] = {}
        for position, value in enumerate(cells):
            column = header[position] if position < len(header) else ""
            if column:
                named[column] = value
            elif value:
                problems.add(
                    line,
                    _("column %(number)d") % {"number": position + 1},
                    _("a value in a column that has no name in the header"),
                )
        yield Row(line, named)
