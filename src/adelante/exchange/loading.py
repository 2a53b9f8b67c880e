"""An input file read, interpreted and checked as a whole: the one entry point of every
import (commitments, statements, rates) before their rows are checked one by one.

1. `readers.read_table`: the encoding, the separator, the header line (title rows above it).
2. `formats.interpret`: numbers and dates as the file writes them, a total row at the bottom.
3. `row_checks`: rows repeated exactly, dates more than a year ahead.

What was found out is said in the dry run (`Table.reading`, `ImportResult.reading`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from adelante.exchange import formats, row_checks
from adelante.exchange.columns import Columns
from adelante.exchange.readers import Table, read_table


@dataclass(frozen=True)
class ReadOptions:
    """What the person importing says about the file (command-line options, web form)."""

    day_first: bool = False
    """Dates such as 03/04/2024 are day/month/year (--day-first)."""
    allow_duplicates: bool = False
    """Rows repeated exactly are counted once rather than refused (--allow-duplicates)."""
    allow_future: bool = False
    """Dates more than a year ahead are accepted (--allow-future)."""


def load_table(
    path: Path,
    *,
    columns: Columns,
    file: str | None = None,
    sheet: str | None = None,
    options: ReadOptions | None = None,
) -> Table:
    """The file's rows, interpreted, with the problems of whole rows (`Table.problems`) for the
    importer to report with its own. Raises ImportRejected when the file cannot be read."""
    options = options or ReadOptions()
    table = read_table(path, file=file, sheet=sheet, known=columns.known)
    table = formats.interpret(table, columns, day_first=options.day_first)
    table = row_checks.without_duplicates(table, allow=options.allow_duplicates)
    return row_checks.future_dates(
        table, tuple(c for c in columns.dates if table.has(c)), allow=options.allow_future
    )
