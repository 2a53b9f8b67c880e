"""Checking an input file's rows before anything is written: its columns, each row, rows that
repeat an earlier row (exactly, or its identity), and dates too far in the future. Every
problem is gathered; then the file is rejected (`ImportRejected`) or its rows go on to be
planned."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from adelante.exchange.columns import Columns
from adelante.exchange.counting import CHECKED, counted
from adelante.exchange.problems import WHOLE_FILE, Problem, Problems
from adelante.exchange.readers import Row, Table

_Read = TypeVar("_Read")


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
    problems.extend(table.problems)
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


def without_duplicates(table: Table, *, allow: bool) -> Table:
    """The table without rows that repeat an earlier row exactly (every cell the same).

    Such a row is a problem naming both lines, or, with `allow` (--allow-duplicates), merged
    into the earlier row: counted once, and said in the summary (`Table.merged`)."""
    first: dict[frozenset[tuple[str, str]], int] = {}
    kept: list[Row] = []
    merged: list[tuple[int, int]] = []
    problems: list[Problem] = []
    for row in table.rows:
        key = frozenset((c, v) for c, v in row.cells.items() if v)
        earlier = first.get(key)
        if earlier is None:
            first[key] = row.line
            kept.append(row)
        elif allow:
            merged.append((row.line, earlier))
        else:
            problems.append(
                Problem(
                    table.file,
                    row.line,
                    WHOLE_FILE,
                    _(
                        "exactly the same row as line %(line)d; remove one, or import with "
                        "--allow-duplicates to count it once"
                    )
                    % {"line": earlier},
                )
            )
    return replace(
        table,
        rows=tuple(kept),
        merged=table.merged + tuple(merged),
        problems=table.problems + tuple(problems),
    )


def future_limit(today: datetime.date) -> datetime.date:
    """The latest date accepted without --allow-future: a year after today."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def future_dates(table: Table, dates: tuple[str, ...], *, allow: bool) -> Table:
    """Dates more than a year after today are problems (a typing slip: 2099 for 2019),
    unless `allow` (--allow-future)."""
    if allow:
        return table
    limit = future_limit(timezone.localdate())
    problems: list[Problem] = []
    for row in table.rows:
        for column in dates:
            text = row.get(column)
            if len(text) < 7 or not text[:4].isdigit():
                continue
            try:
                # YYYY-MM: the month's first day is what must not be too far ahead.
                day = datetime.date.fromisoformat(text if len(text) > 7 else f"{text}-01")
            except ValueError:
                continue  # the cell check says what is wrong with it
            if day > limit:
                problems.append(
                    Problem(
                        table.file,
                        row.line,
                        column,
                        _(
                            "%(date)s is more than a year in the future; check the year, or "
                            "import with --allow-future if it is right"
                        )
                        % {"date": text},
                    )
                )
    return replace(table, problems=table.problems + tuple(problems))
