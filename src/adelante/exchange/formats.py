"""Numbers and dates as people's files write them, decided per file and said (docs/import.md).

A file's numbers are read with a decimal point or a decimal comma, with thousands separators
(`1,500,000.00`, `1.500.000,00`, `1 500 000`) and, in US-dollar columns, a currency sign or code
(`$`, `US$`, `USD`). Which mark is the decimal one is decided for the whole file, never cell by
cell: by the numbers that can only be read one way (`1,50`, `1,500,000`, `1.500,00`). A file
whose only numbers could be read either way (`1,500` alone) is refused with the cause named,
and so is a file that writes them both ways.

Dates are `YYYY-MM-DD`, or `dd/mm/yyyy` and `mm/dd/yyyy` (also with `.` or `-`) when the
file decides which: with the day-first option, or when some date has a day above 12 in one of
the two places and none in the other. Otherwise the file is refused with the cause named.

A last row labelled Total (Totales, Suma …) is skipped when it is the sum of the rows above it,
and is an error otherwise. Every cell is rewritten as the plain format (`1500000.00`,
`2024-03-27`) that `exchange.cells` then checks; a cell that fits no format is left as written,
for the cell check to name. Spreadsheet cells stored as numbers or dates are already plain.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from adelante.exchange.columns import Columns
from adelante.exchange.problems import WHOLE_FILE, ImportRejected, Problem
from adelante.exchange.readers import Row, Table

_DOLLARS_BEFORE = re.compile(r"^(?:US\s?\$|U\$S|USD|\$)\s*", re.IGNORECASE)
_DOLLARS_AFTER = re.compile(r"\s*(?:US\s?\$|USD|\$)$", re.IGNORECASE)
_SPACED = re.compile(r"^[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$")
_POINT = re.compile(r"^(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_COMMA = re.compile(r"^(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,\d+)?$")
_GROUPED = re.compile(r"\d[.,]\d{3}(?:\D|$)")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
#: Labels of a total row, without accents and case.
TOTAL_WORDS = {"total", "totales", "totals", "total general", "grand total", "suma", "sum"}

POINT = "."
COMMA = ","


@dataclass(frozen=True)
class _Number:
    """A number cell: where it is, its sign and digits, and how each decimal mark reads it."""

    line: int
    column: str
    text: str
    sign: str
    as_point: str | None
    as_comma: str | None

    @property
    def decides(self) -> str | None:
        """The decimal mark this number shows the file uses, if it can be read only one way."""
        if self.as_point is not None and self.as_comma is None:
            return POINT
        if self.as_comma is not None and self.as_point is None:
            return COMMA
        return None

    @property
    def ambiguous(self) -> bool:
        return (
            self.as_point is not None
            and self.as_comma is not None
            and Decimal(self.as_point) != Decimal(self.as_comma)
        )


def interpret(table: Table, columns: Columns, *, day_first: bool = False) -> Table:
    """The table with its numbers and dates in the plain format, and what was found said in
    `reading`. Raises ImportRejected when the file's format cannot be decided."""
    notes: list[str] = []
    cells = {id(row): dict(row.cells) for row in table.rows}
    _numbers(table, columns, cells, notes)
    _dates(table, columns, cells, notes, day_first=day_first)
    rows = tuple(
        replace(row, cells=cells[id(row)]) if cells[id(row)] != row.cells else row
        for row in table.rows
    )
    rows = _total_row(table.file, rows, columns, notes)
    return replace(table, rows=rows, reading=table.reading + tuple(notes))


# -- Numbers ---------------------------------------------------------------------------------


def _numbers(
    table: Table, columns: Columns, cells: dict[int, dict[str, str]], notes: list[str]
) -> None:
    wanted = [c for c in columns.numbers if table.has(c)]
    found: list[tuple[Row, _Number]] = []
    signs = spaces = False
    for row in table.rows:
        for column in wanted:
            text = row.get(column)
            if not text or column in row.typed:
                continue
            number, signed, spaced = _number(row.line, column, text, column in columns.dollars)
            signs |= signed
            spaces |= spaced
            if number is not None:
                found.append((row, number))
    mark = _decimal_mark(table.file, [n for _row, n in found])
    for row, number in found:
        plain = number.as_comma if mark == COMMA else number.as_point
        if plain is None:
            plain = number.as_point if number.as_comma is None else number.as_comma
        if plain is not None:
            cells[id(row)][number.column] = number.sign + plain
    if mark == COMMA:
        notes.append(_("decimal comma"))
    elif mark == POINT and any(n.decides == POINT for _r, n in found):
        notes.append(_("decimal point"))
    if any(_GROUPED.search(n.text) for _r, n in found if n.decides is not None or mark):
        notes.append(_("thousands separators"))
    if spaces:
        notes.append(_("spaces between thousands"))
    if signs:
        notes.append(_("currency signs ($, US$, USD) taken out"))


def _number(line: int, column: str, text: str, dollars: bool) -> tuple[_Number | None, bool, bool]:
    """The cell as a number (None: not one), whether a currency sign was taken off, and
    whether spaces separated its thousands."""
    body = text.strip()
    sign = ""
    if body[:1] in ("+", "-"):
        sign, body = body[:1], body[1:].strip()
    signed = False
    if dollars:
        stripped = _DOLLARS_AFTER.sub("", _DOLLARS_BEFORE.sub("", body))
        signed = stripped != body
        body = stripped
        if signed and not sign and body[:1] in ("+", "-"):
            sign, body = body[:1], body[1:].strip()
    sign = sign.replace("+", "")
    spaced = bool(_SPACED.match(body))
    if spaced:
        body = re.sub(r"[ \u00a0\u202f]", "", body)
    as_point = body.replace(",", "") if _POINT.match(body) else None
    as_comma = body.replace(".", "").replace(",", ".") if _COMMA.match(body) else None
    if as_point is None and as_comma is None:
        return None, signed, spaced
    return _Number(line, column, text, sign, as_point, as_comma), signed, spaced


def _decimal_mark(file: str, numbers: list[_Number]) -> str | None:
    """The file's decimal mark, from the numbers that can be read only one way."""
    first: dict[str, _Number] = {}
    for number in numbers:
        mark = number.decides
        if mark is not None and mark not in first:
            first[mark] = number
    if len(first) == 2:
        point, comma = first[POINT], first[COMMA]
        raise ImportRejected(
            [
                Problem(
                    file,
                    comma.line,
                    comma.column,
                    _(
                        "the file writes numbers two ways: “%(point)s” (line %(point_line)d) "
                        "with a decimal point, “%(comma)s” with a decimal comma; write them all "
                        "one way"
                    )
                    % {"point": point.text, "point_line": point.line, "comma": comma.text},
                )
            ]
        )
    if first:
        return next(iter(first))
    unclear = next((n for n in numbers if n.ambiguous), None)
    if unclear is not None:
        assert unclear.as_point is not None and unclear.as_comma is not None
        readings = sorted((Decimal(unclear.as_point), Decimal(unclear.as_comma)), reverse=True)
        thousands, decimals = (format(r.normalize(), "f") for r in readings)
        mark = "," if "," in unclear.text else "."
        raise ImportRejected(
            [
                Problem(
                    file,
                    unclear.line,
                    unclear.column,
                    _(
                        "“%(text)s” could be %(thousands)s or %(decimals)s, and no number in the "
                        "file shows whether “%(mark)s” separates thousands or decimals; write "
                        "%(thousands)s or %(decimals)s without the separator, or give the "
                        "decimals (e.g. %(example)s)"
                    )
                    % {
                        "text": unclear.text,
                        "thousands": thousands,
                        "decimals": decimals,
                        "mark": mark,
                        "example": unclear.text + (".00" if mark == "," else ",00"),
                    },
                )
            ]
        )
    return None


# -- Dates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Date:
    line: int
    column: str
    text: str
    first: int
    second: int
    year: int


def _dates(
    table: Table,
    columns: Columns,
    cells: dict[int, dict[str, str]],
    notes: list[str],
    *,
    day_first: bool,
) -> None:
    wanted = [c for c in columns.dates if table.has(c)]
    found: list[tuple[Row, _Date]] = []
    for row in table.rows:
        for column in wanted:
            text = row.get(column)
            if not text or column in row.typed or _ISO_DAY.match(text):
                continue
            month = _NUMERIC_MONTH.match(text)
            if month:
                cells[id(row)][column] = f"{month.group(2)}-{int(month.group(1)):02d}"
                continue
            match = _NUMERIC_DATE.match(text)
            if match:
                first, second, year = (int(g) for g in match.groups())
                found.append((row, _Date(row.line, column, text, first, second, year)))
    if not found:
        return
    if day_first:
        order_day_first = True
        notes.append(_("dates day/month/year (as asked)"))
    else:
        order_day_first = _date_order(table.file, [d for _row, d in found])
        notes.append(_("dates day/month/year") if order_day_first else _("dates month/day/year"))
    for row, date in found:
        day, number = (date.first, date.second) if order_day_first else (date.second, date.first)
        cells[id(row)][date.column] = f"{date.year:04d}-{number:02d}-{day:02d}"


def _date_order(file: str, dates: list[_Date]) -> bool:
    """Whether the file writes the day first, from the dates that can be read only one way."""
    day_first = next((d for d in dates if d.first > 12 >= d.second), None)
    month_first = next((d for d in dates if d.second > 12 >= d.first), None)
    if day_first is not None and month_first is not None:
        raise ImportRejected(
            [
                Problem(
                    file,
                    month_first.line,
                    month_first.column,
                    _(
                        "the file writes dates two ways: “%(day)s” (line %(day_line)d) day "
                        "first, “%(month)s” month first; write them all one way, or as "
                        "YYYY-MM-DD"
                    )
                    % {
                        "day": day_first.text,
                        "day_line": day_first.line,
                        "month": month_first.text,
                    },
                )
            ]
        )
    if day_first is not None or month_first is not None:
        return day_first is not None
    unclear = next((d for d in dates if d.first != d.second), None)
    if unclear is None:
        return True  # every date has the same day and month: either way reads the same
    raise ImportRejected(
        [
            Problem(
                file,
                unclear.line,
                unclear.column,
                _(
                    "“%(text)s” could be day/month or month/day, and no date in the file has a "
                    "day above 12 to tell; if the dates are day/month, import with the day-first "
                    "option (--day-first), otherwise write them as YYYY-MM-DD"
                )
                % {"text": unclear.text},
            )
        ]
    )


# -- A total row -----------------------------------------------------------------------------


def folded(text: str) -> str:
    """Text without accents, case, surrounding colons and dots, or repeated spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.strip(" :.").split())


def total_label(row: Row) -> str | None:
    """The cell that labels the row a total (“Total”, “Totales”, “Suma” …), if one does."""
    return next((v for v in row.cells.values() if folded(v) in TOTAL_WORDS), None)


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _total_row(
    file: str, rows: tuple[Row, ...], columns: Columns, notes: list[str]
) -> tuple[Row, ...]:
    """The rows without a last row that is the total of the rows above it."""
    if not rows or not columns.totals:
        return rows
    last, above = rows[-1], rows[:-1]
    label = total_label(last)
    others = [c for c in columns.required if c not in columns.totals]
    if label is None or sum(1 for c in others if last.get(c)) > len(others) // 2:
        # A row that fills most columns is a record (of a partner named Total, say).
        return rows
    problems: list[Problem] = []
    given = [c for c in columns.totals if last.get(c)]
    for column in given:
        stated = _amount(last.get(column))
        total = sum((a for r in above if (a := _amount(r.get(column))) is not None), Decimal(0))
        if stated is None or stated != total:
            problems.append(
                Problem(
                    file,
                    last.line,
                    column,
                    _(
                        "this looks like a total row (“%(label)s”), but %(stated)s is not the sum "
                        "of the rows above it, %(total)s; correct it or remove the row"
                    )
                    % {"label": label, "stated": last.get(column), "total": total},
                )
            )
    if not given:
        problems.append(
            Problem(
                file,
                last.line,
                WHOLE_FILE,
                _("this looks like a total row (“%(label)s”) but gives no total; remove the row")
                % {"label": label},
            )
        )
    if problems:
        raise ImportRejected(problems)
    notes.append(_("total row on line %(line)d skipped") % {"line": last.line})
    return above
