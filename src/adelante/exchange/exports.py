"""Bulk downloads of the published record: CSV (one file per table, zipped or in a folder),
XLSX (one sheet per table), JSON, and the Frictionless data package (`datapackage`).

Every writer streams: rows come from `tables` in chunks and go out as they are written, so
memory stays constant whatever the size of the record (XLSX goes through openpyxl's
write-only mode, which keeps rows in a temporary file). Free-text cells are escaped against
formula injection (`safety`). Money and other exact numbers are written from Decimal as
plain decimal text, never through a float.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils import timezone

from adelante.errors import Invalid
from adelante.exchange.safety import safe_text
from adelante.exchange.tables import TABLES, Cell, Table
from adelante.initiatives import scope

#: Rows a worksheet can hold (Excel's limit), the header included.
XLSX_MAX_ROWS = 1_048_576
FORMATS = ("csv", "xlsx", "json", "datapackage")

Progress = Callable[[int], None]


class ExportTooLarge(Invalid):
    """The record does not fit the format (an XLSX sheet holds at most 1,048,576 rows)."""


def _noop(n: int) -> None:
    return None


def text_cell(value: Cell, free_text: bool) -> str:
    """A cell as CSV text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return safe_text(text) if free_text else text


def csv_lines(
    table: Table, as_of: datetime.date | None, progress: Progress = _noop
) -> Iterator[str]:
    """The table as CSV text, a chunk of lines at a time (header first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header)
    free = [c.free_text for c in table.columns]
    n = 0
    for row in table.rows(as_of):
        writer.writerow([text_cell(v, f) for v, f in zip(row, free, strict=True)])
        n += 1
        if n % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            progress(1000)
    yield buffer.getvalue()
    progress(n % 1000)


class _Sink(io.RawIOBase):
    """A write-only stream whose bytes are collected and handed on by `drain`."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._parts.append(chunk)
        self._written += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._written

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def zip_stream(
    files: Iterable[tuple[str, Iterable[str]]], progress: Progress = _noop
) -> Iterator[bytes]:
    """A ZIP archive of text files (UTF-8), produced as it is written."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, parts in files:
            with archive.open(name, "w", force_zip64=True) as member:
                for part in parts:
                    member.write(part.encode("utf-8"))
                    data = sink.drain()
                    if data:
                        yield data
            yield sink.drain()
    yield sink.drain()


def csv_zip(
    as_of: datetime.date | None,
    progress: Progress = _noop,
    *,
    extra: Sequence[tuple[str, str]] = (),
) -> Iterator[bytes]:
    """Every table as `<name>.csv` in one ZIP archive (plus `extra` files: name, text)."""
    files: list[tuple[str, Iterable[str]]] = [
        (f"{t.name}.csv", csv_lines(t, as_of, progress)) for t in TABLES
    ]
    files += [(name, [content]) for name, content in extra]
    return zip_stream(files, progress)


def write_csv_folder(
    folder: Path, as_of: datetime.date | None, progress: Progress = _noop
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        path = folder / f"{table.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            for part in csv_lines(table, as_of, progress):
                f.write(part)
        written.append(path)
    return written


def json_stream(as_of: datetime.date | None, progress: Progress = _noop) -> Iterator[str]:
    """The record as one JSON document: {"as_of", "generated", "display_currency", "tables":
    {name: [row, …]}}.

    Rows are objects keyed by column; numbers are decimal strings, dates ISO strings. Amounts
    are in US$; `display_currency` is the initiative's currency for display (ISO 4217).
    """
    head = {
        "as_of": as_of.isoformat() if as_of else None,
        "generated": timezone.now().isoformat(timespec="seconds"),
        "display_currency": scope.initiative_or_primary().display_currency,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "tables": {'
    for index, table in enumerate(TABLES):
        yield ("" if index == 0 else ", ") + json.dumps(table.name) + ": ["
        names = table.header
        n = 0
        for row in table.rows(as_of):
            values = {k: _json_value(v) for k, v in zip(names, row, strict=True)}
            yield ("" if n == 0 else ", ") + json.dumps(values, ensure_ascii=False)
            n += 1
            if n % 1000 == 0:
                progress(1000)
        progress(n % 1000)
        yield "]"
    yield "}}\n"


def _json_value(value: Cell) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def write_xlsx(
    target: IO[bytes] | Path, as_of: datetime.date | None, progress: Progress = _noop
) -> None:
    """One sheet per table (commitments first, so the file imports as it is). Numbers are
    numeric cells, dates date cells, free text escaped."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    for table in TABLES:
        if table.count(as_of) >= XLSX_MAX_ROWS:
            raise ExportTooLarge(
                f"the table {table.name} has more rows than an XLSX sheet holds; use CSV"
            )
    workbook = Workbook(write_only=True)
    for table in TABLES:
        sheet = workbook.create_sheet(table.name[:31])
        sheet.append(table.header)
        free = [c.free_text for c in table.columns]
        n = 0
        for row in table.rows(as_of):
            cells = []
            for value, is_free in zip(row, free, strict=True):
                if isinstance(value, str):
                    # Text is text: never a formula, whatever it starts with.
                    cell = WriteOnlyCell(sheet, value=safe_text(value) if is_free else value)
                    cell.data_type = "s"
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
            n += 1
            if n % 1000 == 0:
                progress(1000)
        progress(n % 1000)
    workbook.save(target)


def total_rows(as_of: datetime.date | None) -> int:
    return sum(table.count(as_of) for table in TABLES)
