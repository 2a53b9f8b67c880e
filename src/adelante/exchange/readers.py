"""Reading an input file (CSV or XLSX) into rows of text cells with their line numbers.

The format follows the content: a ZIP archive (what an XLSX file is) is read as XLSX, the
sheet asked for or the first; anything else is read as delimited text. The reader works out,
and says (`Table.reading`), what people's files actually are (docs/import.md, "Files"):

- the encoding: UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark (Excel's
  "Unicode Text"), or Windows-1252 when the bytes are not UTF-8 (never silently; refused when
  the text then holds characters that suggest yet another encoding);
- the separator: comma, semicolon or tab, decided from the header line;
- the header line: the first of the first lines that names the file's known columns, so title
  rows above it are skipped.

When no header can be found, one problem names the likely cause rather than many misleading
ones. Cells come back as stripped strings; numbers and dates that a spreadsheet stored as such
are written out the way the CSV format expects them (``150000000``, ``2021-05-27``) and marked
as typed, so that both formats go through the same checks (`exchange.formats`).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import warnings
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from adelante.exchange.problems import WHOLE_FILE, ImportRejected, Problem, Problems
from adelante.exchange.safety import QUOTE, unescape
from adelante.uploads import sheets
from adelante.uploads.archives import Refused

ZIP_MAGIC = b"PK\x03\x04"
# Compound-file header of the old binary Excel format (.xls).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv", ""}
#: The separators a text file may use, in the order preferred when the header does not decide.
SEPARATORS = (",", ";", "\t")
#: How many lines (records) from the top may hold title rows above the header.
HEADER_SEARCH = 10
#: Characters of Windows-1252's 0x80-0x9F range that Spanish or English text does use; any other
#: one in a file that is not UTF-8 suggests another encoding (Mac Roman, DOS), so it is refused.
#: The usual ones: the euro sign, curly quotes, dashes, the ellipsis, the bullet, the trademark.
CP1252_USUAL = set("\u20ac\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u2122")
CP1252_ODD = (
    {bytes([byte]).decode("cp1252", errors="ignore") for byte in range(0x80, 0xA0)}
    - CP1252_USUAL
    - {""}
)


@dataclass(frozen=True)
class Row:
    """A data row: its line (CSV) or row number (XLSX), and its cells by column name."""

    line: int
    cells: dict[str, str]
    typed: frozenset[str] = field(default=frozenset(), compare=False)
    """Columns whose value the spreadsheet stored as a number or a date (XLSX)."""

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    """The header and the non-blank data rows of a file, and how it was read."""

    file: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    header_line: int = 1
    reading: tuple[str, ...] = ()
    """What the reader found out about the file (separator, encoding, …), for the dry run."""
    problems: tuple[Problem, ...] = ()
    """Problems of rows found while the file was read (`exchange.loading`), reported with the
    problems of the rows' cells."""
    merged: tuple[tuple[int, int], ...] = ()
    """Exact duplicate rows merged into an earlier one: (line, line of the earlier row)."""

    def has(self, column: str) -> bool:
        return column in self.columns


def read_table(
    path: Path,
    *,
    file: str | None = None,
    sheet: str | None = None,
    known: Collection[str] = (),
) -> Table:
    """Read a CSV or XLSX file. Raises ImportRejected if it cannot be read as either.

    `file` is how problems name the file (default: the path as given). In a workbook, the
    sheet named `sheet` is read if there is one (as in a bulk download, which has a sheet per
    table), otherwise the first. `known`: the column names the file may have, by which the
    header line and the separator are found; without them, the header is the first line.
    """
    name = file if file is not None else str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = _("cannot read the file: %(error)s") % {"error": exc.strerror}
        raise _rejected(name, 1, reason) from None
    reading: list[str] = []
    if data.startswith(ZIP_MAGIC):
        raw_rows, sheet_name = _xlsx_rows(data, name, sheet)
        reading.append(_("XLSX, sheet “%(sheet)s”") % {"sheet": sheet_name})
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
        text, encoding = decode(data, name)
        separator = _separator(text, known)
        raw_rows = _csv_rows(text, name, separator)
        reading += [SEPARATOR_NAMES[separator](), encoding]
    return _table(name, raw_rows, known, reading)


def _rejected(file: str, line: int, reason: str) -> ImportRejected:
    return ImportRejected([Problem(file, line, WHOLE_FILE, reason)])


# -- Text: encoding, separator ---------------------------------------------------------------


def decode(data: bytes, file: str) -> tuple[str, str]:
    """The file's text and the name of its encoding. Raises ImportRejected when it is not
    text, or when its encoding cannot be told for sure."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise _rejected(
                file, 1, _("starts like UTF-16 text (Excel “Unicode Text”) but is not valid UTF-16")
            ) from None
    if _looks_like_utf16(data):
        raise _rejected(
            file,
            1,
            _(
                "this file seems to be UTF-16 text without a byte-order mark; save it as CSV "
                "UTF-8, or as Excel “Unicode Text”"
            ),
        )
    try:
        text = data.decode("utf-8-sig")
        encoding = "UTF-8"
    except UnicodeDecodeError as exc:
        text = _windows_1252(data, exc, file)
        encoding = "Windows-1252"
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _rejected(file, line, _("not a text file (it contains NUL bytes)"))
    return text, encoding


def _looks_like_utf16(data: bytes) -> bool:
    """Text of mostly ASCII characters in UTF-16 has a NUL byte in every other position."""
    sample = data[:400]
    if len(sample) < 8:
        return False
    odd, even = sample[1::2], sample[0::2]
    return odd.count(0) > 0.8 * len(odd) or even.count(0) > 0.8 * len(even)


def _windows_1252(data: bytes, error: UnicodeDecodeError, file: str) -> str:
    """The bytes as Windows-1252 (what Excel writes as "CSV" on Windows in Spanish or English),
    or ImportRejected naming why that would be a guess."""
    first_bad = data[error.start]
    line = data[: error.start].count(b"\n") + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _rejected(
            file,
            line,
            _("neither UTF-8 nor Windows-1252 text (byte 0x%(byte)02x); save the file as CSV UTF-8")
            % {"byte": data[exc.start]},
        ) from None
    odd = next((c for c in text if c in CP1252_ODD), None)
    between = _SIGN_BETWEEN_LETTERS.search(text)
    if odd is None and between is not None:
        odd = between.group(1)
    if odd is not None:
        at = text.index(odd)
        raise _rejected(
            file,
            text[:at].count("\n") + 1,
            _(
                "not UTF-8 text (byte 0x%(byte)02x on line %(line)d), and read as Windows-1252 it "
                "holds “%(char)s”, which suggests another encoding (Mac or DOS); save the file as "
                "CSV UTF-8"
            )
            % {"byte": first_bad, "line": line, "char": odd},
        )
    return text


#: A sign of Latin-1's upper half between two letters ("Fundaci¢n"): a letter of another
#: encoding (DOS, Mac) read as Windows-1252. The ordinal signs ª and º are usual.
_SIGN_BETWEEN_LETTERS = re.compile(
    r"[^\W\d_]([\u00a1-\u00a9\u00ab-\u00b9\u00bb-\u00bf\u00d7\u00f7])[^\W\d_]"
)

SEPARATOR_NAMES = {
    ",": lambda: _("comma-separated"),
    ";": lambda: _("semicolon-separated"),
    "\t": lambda: _("tab-separated"),
}


def _separator(text: str, known: Collection[str]) -> str:
    """The separator with which a header naming the most known columns is found; without one,
    the separator the first non-blank line holds most of (a comma when it holds none)."""
    best, best_score = "", 0
    if known:
        for separator in SEPARATORS:
            found = _find_header(_first_records(text, separator), known)
            if found is not None and found[1] > best_score:
                best, best_score = separator, found[1]
    if best:
        return best
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {s: first.count(s) for s in SEPARATORS}
    most = max(SEPARATORS, key=lambda s: counts[s])
    return most if counts[most] else ","


def _first_records(text: str, separator: str) -> list[tuple[int, list[str]]]:
    """The first records of the text, with their lines, read leniently (for looking only)."""
    head = "\n".join(text.splitlines()[: HEADER_SEARCH * 4])
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=separator)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
            if len(records) >= HEADER_SEARCH:
                break
    except csv.Error:
        pass
    return records


def _known_count(cells: Iterable[str], known: Collection[str]) -> int:
    return len({c.strip().casefold() for c in cells} & set(known))


def _find_header(
    records: Sequence[tuple[int, list[str]]], known: Collection[str]
) -> tuple[int, int] | None:
    """(index, number of known columns) of the first record naming at least two known columns
    (one, if only one is known), among the first ones."""
    need = min(2, len(known))
    for index, (_line, cells) in enumerate(records[:HEADER_SEARCH]):
        count = _known_count(cells, known)
        if count >= need:
            return index, count
    return None


def _csv_rows(text: str, file: str, separator: str) -> list[tuple[int, list[str | Typed]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[tuple[int, list[str | Typed]]] = []
    start = 1
    try:
        for cells in reader:
            row: list[str | Typed] = list(cells)
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _rejected(file, start, _("not valid CSV: %(error)s") % {"error": exc}) from None
    return rows


# -- Spreadsheets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Typed:
    """A spreadsheet cell's number or date, written as the CSV format writes it."""

    text: str


def _xlsx_rows(
    data: bytes, file: str, wanted: str | None = None
) -> tuple[list[tuple[int, list[str | Typed]]], str]:
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
        title = str(sheet.title)
    except Refused as refused:
        raise _rejected(file, 1, refused.reason) from None
    finally:
        workbook.close()
    return rows, title


def _cell_text(value: object) -> str | Typed:
    """A spreadsheet value as the text a CSV file would hold; numbers and dates marked."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time.min:
            return Typed(value.date().isoformat())
        return Typed(value.isoformat())
    if isinstance(value, datetime.date):
        return Typed(value.isoformat())
    if isinstance(value, int):
        return Typed(str(value))
    if isinstance(value, float):
        # The spreadsheet stored a binary float; its shortest decimal form is what was typed,
        # written out in full (never 1e-05 or 1.5e+16).
        if value.is_integer() and abs(value) < 1e15:
            return Typed(str(int(value)))
        return Typed(format(Decimal(repr(value)), "f"))
    return str(value)


# -- The header and the rows -----------------------------------------------------------------


def _table(
    file: str,
    raw_rows: Sequence[tuple[int, Sequence[str | Typed]]],
    known: Collection[str],
    reading: list[str],
) -> Table:
    problems = Problems(file)
    texts = [(line, [_plain(c) for c in cells]) for line, cells in raw_rows]
    start = _header_index(file, texts, known)
    if start is None:
        raise _rejected(file, 1, _("no header row: the first line must name the columns"))
    header_line, cells = texts[start]
    if header_line > 1:
        reading.append(_("header on line %(line)d") % {"line": header_line})
    header = [cell.strip().casefold() for cell in cells]
    _check_header(header, header_line, problems)
    data_rows = list(_data_rows(header, raw_rows[start + 1 :], problems))
    problems.raise_if_any()
    return Table(
        file,
        tuple(c for c in header if c),
        tuple(data_rows),
        header_line=header_line,
        reading=tuple(reading),
    )


def _plain(cell: str | Typed) -> str:
    return cell.text if isinstance(cell, Typed) else cell


def _header_index(
    file: str, texts: Sequence[tuple[int, list[str]]], known: Collection[str]
) -> int | None:
    """Where the header is: the first line naming known columns, or the first non-blank line
    if it names at least one. Raises ImportRejected naming the likely cause when no line of the
    first ones names any known column."""
    non_blank = [i for i, (_line, cells) in enumerate(texts) if any(c.strip() for c in cells)]
    if not non_blank:
        return None
    if not known:
        return non_blank[0]
    found = _find_header(texts[non_blank[0] :], known)
    if found is not None:
        return non_blank[0] + found[0]
    if _known_count(texts[non_blank[0]][1], known):
        return non_blank[0]
    raise _rejected(file, texts[non_blank[0]][0], _no_header(texts, non_blank, known))


def _no_header(
    texts: Sequence[tuple[int, list[str]]], non_blank: Sequence[int], known: Collection[str]
) -> str:
    """Why no header was found, as far as the first lines tell."""
    first_line, first_cells = texts[non_blank[0]]
    first = " ".join(first_cells)[:80]
    expected = ", ".join(list(known)[:4]) + ", …"
    for index in non_blank[:HEADER_SEARCH]:
        line, cells = texts[index]
        joined = " ".join(cells).casefold()
        named = [k for k in known if re.search(rf"(?<![a-z_]){re.escape(k)}(?![a-z_])", joined)]
        if len(named) >= min(2, len(known)):
            return _(
                "the header seems to be on line %(line)d, but its columns are not separated by "
                "a comma, a semicolon or a tab; save the file as CSV"
            ) % {"line": line}
    if sum(1 for i in non_blank[:HEADER_SEARCH] if len(texts[i][1]) > 1) == 0 and first_line:
        return _(
            "no header found: none of the first %(count)d lines names the columns (%(expected)s), "
            "and no line has a comma, semicolon or tab between cells; the first line reads "
            "“%(first)s”"
        ) % {"count": HEADER_SEARCH, "expected": expected, "first": first}
    return _(
        "no header found: none of the first %(count)d lines names the columns (%(expected)s); "
        "the first line reads “%(first)s”"
    ) % {"count": HEADER_SEARCH, "expected": expected, "first": first}


def _check_header(header: Sequence[str], line: int, problems: Problems) -> None:
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name in seen:
            problems.add(line, name, _("this column appears twice in the header"))
        seen.add(name)


def _data_rows(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str | Typed]]],
    problems: Problems,
) -> Iterator[Row]:
    width = len(header)
    every_column_named = all(header)
    for line, raw in rows:
        cells = [
            cell.text
            if isinstance(cell, Typed)
            # A quote that an export put before text starting like a formula is taken off.
            else (unescape(text) if (text := cell.strip()).startswith(QUOTE) else text)
            for cell in raw
        ]
        if not any(cells):
            continue
        typed = [position for position, cell in enumerate(raw) if isinstance(cell, Typed)]
        typed_columns = frozenset(header[p] for p in typed if p < width and header[p])
        if every_column_named and len(cells) <= width:
            yield Row(line, dict(zip(header, cells, strict=False)), typed_columns)
            continue
        named: dict[str, str] = {}
        for position, value in enumerate(cells):
            column = header[position] if position < width else ""
            if column:
                named[column] = value
            elif value:
                problems.add(
                    line,
                    _("column %(number)d") % {"number": position + 1},
                    _("a value in a column that has no name in the header"),
                )
        yield Row(line, named, typed_columns)
