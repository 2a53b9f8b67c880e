"""Checking an input file's rows before anything is written: its columns, each row, and rows
that repeat an earlier row's identity. Every problem is gathered; then the file is rejected
(`ImportRejected`) or its rows go on to be planned."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.utils.translation import gettext as _

from adelante.exchange.columns import Columns
from adelante.exchange.counting import CHECKED, counted
from adelante.exchange.problems import Problems
from adelante.exchange.readers import Row, Table

_Read = TypeVar("_Read")


def no_bar(progress: bool) -> bool | None:
    """tqdm's `disable` for a progress bar asked for or not: None lets tqdm show the bar only
    on a terminal."""
    return None if progress else True


def checked_rows(
    table: Table,
    columns: Columns,
    read_row: Callable[[Row, Problems], _Read | None],
    *,
    progress: bool,
    identity: Callable[[_Read], Hashable],
    repeated: Callable[[_Read, int], tuple[str, str]],
) -> list[_Read]:
    """The table's rows as `read_row` reads them (None: the row has a problem, which it adds).

    A row with the identity of an earlier row is a problem too: `repeated(row, first_line)`
    gives the column it is in and the reason. Raises ImportRejected with every problem."""
    problems = Problems(table.file)
    columns.check(table, problems)
    problems.raise_if_any()
    rows: list[_Read] = []
    first_line: dict[Hashable, int] = {}
    rows_read = counted(
        table.rows, stage=CHECKED, desc=_("Checking"), unit=_("rows"), progress=progress
    )
    for raw in rows_read:
        row = read_row(raw, problems)
        if row is None:
            continue
        key = identity(row)
        if key in first_line:
            problems.add(raw.line, *repeated(row, first_line[key]))
            continue
        first_line[key] = raw.line
        rows.append(row)
    problems.raise_if_any()
    return rows
