"""`import_statements`: official statements (CSV or XLSX) into the record, all or nothing.

A statement is identified by its date, metric and source URL; its value is stored verbatim.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from adelante.commitments.choices import StatementFigure, StatementQualifier
from adelante.commitments.models import OfficialStatement
from adelante.exchange import cells
from adelante.exchange.columns import Columns
from adelante.exchange.loading import ReadOptions, load_table
from adelante.exchange.problems import CellError, Problems
from adelante.exchange.readers import Row, Table
from adelante.exchange.results import ImportResult, Outcome, RowOutcome
from adelante.exchange.row_checks import checked_rows
from adelante.exchange.saving import create_or_update, differences, import_reason, planned
from adelante.initiatives import scope

COLUMNS = Columns(
    required=("date", "metric", "value", "unit", "qualifier", "note", "source_url"),
    # `initiative`: the slug, as downloads write it; the one the file is imported into.
    optional=("figure", "initiative"),
    numbers=("value",),
    dates=("date",),
)

#: Which computed figure a statement's metric states, for reconciliation (docs/import.md).
#: Other metrics reconcile with nothing until staff choose a figure in the admin.
FIGURE_OF_METRIC: dict[str, str] = {
    "cumulative_committed_usd": StatementFigure.COMMITTED_USD,
    "new_commitments_usd": StatementFigure.ROUND_COMMITTED_USD,
    "companies_and_orgs_with_commitments": StatementFigure.PARTNERS,
    "new_companies_committing": StatementFigure.ROUND_NEW_PARTNERS,
    "invested_to_date_usd": StatementFigure.INVESTED_USD,
}

#: Figures a file may name. "reached" also needs a catalogue metric, chosen in the admin.
IMPORTABLE_FIGURES = tuple(f for f in StatementFigure.values if f != StatementFigure.REACHED)


@dataclass(frozen=True)
class StatementRow:
    line: int
    stated_on: datetime.date
    date_precision: str
    metric: str
    value: Decimal
    unit: str
    qualifier: str
    note: str
    source_url: str
    figure: str | None
    """As the file's figure column states it; None when it states none."""

    @property
    def identity(self) -> tuple[datetime.date, str, str]:
        return (self.stated_on, self.metric, self.source_url)

    @property
    def key(self) -> str:
        return f"{self.stated_on.isoformat()} {self.metric} {self.source_url}"


def import_statements(
    path: Path | str,
    *,
    dry_run: bool = False,
    progress: bool = False,
    name: str | None = None,
    reason: str | None = None,
    options: ReadOptions | None = None,
) -> ImportResult:
    """Import an official-statements file. Raises ImportRejected, having written nothing, if
    any row has a problem. With `dry_run`, works out what would change and writes nothing."""
    path = Path(path)
    table = load_table(path, columns=COLUMNS, file=name, sheet="statements", options=options)
    reason = import_reason(path, name, reason)
    rows = _read_rows(table, progress)
    plans = planned(
        lambda: _plan(table, rows), lambda plans: _write(plans, reason), dry_run=dry_run
    )
    return _result(table, plans, dry_run=dry_run)


def _write(plans: list[StatementPlan], reason: str) -> None:
    for plan in plans:
        create_or_update(OfficialStatement, plan.existing, plan.values, plan.changes, reason)


@dataclass(frozen=True)
class StatementPlan:
    row: StatementRow
    existing: OfficialStatement | None
    values: dict[str, Any]
    changes: tuple[str, ...]


def _read_rows(table: Table, progress: bool) -> list[StatementRow]:
    # The file is imported into the initiative in scope (looked up once, not per row).
    initiative = scope.initiative_or_primary().slug
    return checked_rows(
        table,
        COLUMNS,
        lambda raw, problems: _read_row(raw, problems, initiative),
        progress=progress,
        identity=lambda row: row.identity,
        repeated=lambda row, first: (
            "metric",
            _("the same date, metric and source as line %(line)d") % {"line": first},
        ),
    )


def _read_row(raw: Row, problems: Problems, initiative: str) -> StatementRow | None:
    values: dict[str, Any] = {}
    readers: dict[str, Any] = {
        "initiative": lambda v: cells.initiative(v, initiative),
        "date": cells.stated_date,
        "metric": _metric,
        "value": lambda v: cells.number(v, places=4, max_digits=24),
        "unit": lambda v: cells.text(v, max_length=30, required=True),
        "qualifier": lambda v: cells.choice(v, StatementQualifier.values),
        "note": lambda v: v,
        "source_url": lambda v: cells.url(v, required=True),
        "figure": lambda v: cells.choice(v, IMPORTABLE_FIGURES) if v else None,
    }
    for column, read in readers.items():
        try:
            values[column] = read(raw.get(column))
        except CellError as exc:
            problems.add(raw.line, column, exc.reason)
    if len(values) < len(readers):
        return None
    values.pop("initiative")
    stated_on, precision = values["date"]
    return StatementRow(
        line=raw.line,
        stated_on=stated_on,
        date_precision=precision,
        metric=values["metric"],
        value=values["value"],
        unit=values["unit"],
        qualifier=values["qualifier"],
        note=values["note"],
        source_url=values["source_url"],
        figure=values["figure"],
    )


def _metric(value: str) -> str:
    metric = cells.text(value, max_length=200, required=True)
    if not all(c.isascii() and (c.islower() or c.isdigit() or c == "_") for c in metric):
        raise CellError(
            _("“%(value)s” is not a snake_case name (lower-case letters, digits and _)")
            % {"value": value}
        )
    return metric


def figure_for(metric: str) -> str:
    """The computed figure a metric states by default ('' for none)."""
    return FIGURE_OF_METRIC.get(metric, "")


def _plan(table: Table, rows: list[StatementRow]) -> list[StatementPlan]:
    metrics = {row.metric for row in rows}
    existing = {
        (s.stated_on, s.metric, s.source_url): s
        # Statements are the initiative's: the same statement under another one is another.
        for s in OfficialStatement.objects.filter(scope.initiative_q(), metric__in=metrics)
    }
    plans: list[StatementPlan] = []
    for row in rows:
        found = existing.get(row.identity)
        values: dict[str, Any] = {
            "date_precision": row.date_precision,
            "value": row.value,
            "unit": row.unit,
            "qualifier": row.qualifier,
            "note": row.note,
        }
        # The figure: as the file names it; empty or without a figure column, the metric's
        # default, except that without the column a statement that exists keeps staff's choice.
        if row.figure is not None:
            values["figure"] = row.figure
        elif found is None or table.has("figure"):
            values["figure"] = figure_for(row.metric)
        if found is None:
            values.update(stated_on=row.stated_on, metric=row.metric, source_url=row.source_url)
            plans.append(StatementPlan(row, None, values, ()))
        else:
            plans.append(StatementPlan(row, found, values, tuple(differences(found, values))))
    return plans


def _result(table: Table, plans: list[StatementPlan], *, dry_run: bool) -> ImportResult:
    outcomes = []
    for plan in plans:
        if plan.existing is None:
            outcome = Outcome.NEW
        else:
            outcome = Outcome.CHANGED if plan.changes else Outcome.UNCHANGED
        outcomes.append(RowOutcome(plan.row.line, plan.row.key, outcome, plan.changes))
    return ImportResult.of(table, dry_run=dry_run, rows=tuple(outcomes))
