"""`import_rates`: exchange rates (CSV or XLSX) into the record, all or nothing.

A rate is identified by its currency and date. Correcting a rate that commitments were
converted at brings their US$ amounts (and country rows) up to date in the same transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante.commitments.amounts import reconvert
from adelante.commitments.models import Commitment
from adelante.currency.models import ExchangeRate
from adelante.exchange import cells
from adelante.exchange.columns import Columns
from adelante.exchange.loading import ReadOptions, load_table
from adelante.exchange.problems import CellError, Problems
from adelante.exchange.readers import Row, Table
from adelante.exchange.results import ImportResult, Outcome, RowOutcome
from adelante.exchange.row_checks import checked_rows
from adelante.exchange.saving import create_or_update, differences, import_reason, planned

COLUMNS = Columns(
    required=("currency", "date", "units_per_usd", "source"),
    numbers=("units_per_usd",),
    dates=("date",),
)


@dataclass(frozen=True)
class RateRow:
    line: int
    currency: str
    on: datetime.date
    units_per_usd: Decimal
    source: str

    @property
    def key(self) -> str:
        return f"{self.currency} {self.on.isoformat()}"


@dataclass(frozen=True)
class RatePlan:
    row: RateRow
    existing: ExchangeRate | None
    values: dict[str, Any]
    changes: tuple[str, ...]
    converted: int
    """How many commitments were converted at this rate (and follow a corrected rate)."""

    @property
    def outcome(self) -> Outcome:
        if self.existing is None:
            return Outcome.NEW
        return Outcome.CHANGED if self.changes else Outcome.UNCHANGED


def import_rates(
    path: Path | str,
    *,
    dry_run: bool = False,
    progress: bool = False,
    name: str | None = None,
    reason: str | None = None,
    options: ReadOptions | None = None,
) -> ImportResult:
    """Import an exchange-rates file. Raises ImportRejected, having written nothing, if any
    row has a problem. With `dry_run`, works out what would change and writes nothing."""
    path = Path(path)
    table = load_table(path, columns=COLUMNS, file=name, sheet="exchange_rates", options=options)
    reason = import_reason(path, name, reason)
    rows = _read_rows(table, progress)
    plans = planned(lambda: _plan(rows), lambda plans: _write(plans, reason), dry_run=dry_run)
    return _result(table, plans, dry_run=dry_run)


def _write(plans: list[RatePlan], reason: str) -> None:
    for plan in plans:
        create_or_update(ExchangeRate, plan.existing, plan.values, plan.changes, reason)
        if plan.existing is not None and "units_per_usd" in plan.changes:
            reconvert(plan.existing, reason)


def _read_rows(table: Table, progress: bool) -> list[RateRow]:
    return checked_rows(
        table,
        COLUMNS,
        _read_row,
        progress=progress,
        identity=lambda row: (row.currency, row.on),
        repeated=lambda row, first: (
            "date",
            _("a second rate for %(currency)s on this date (first on line %(line)d)")
            % {"currency": row.currency, "line": first},
        ),
    )


def _read_row(raw: Row, problems: Problems) -> RateRow | None:
    values: dict[str, Any] = {}
    readers: dict[str, Any] = {
        "currency": _currency,
        "date": cells.day,
        "units_per_usd": _rate,
        "source": lambda v: cells.text(v, max_length=500, required=True),
    }
    for column, read in readers.items():
        try:
            values[column] = read(raw.get(column))
        except CellError as exc:
            problems.add(raw.line, column, exc.reason)
    if len(values) < len(readers):
        return None
    return RateRow(
        line=raw.line,
        currency=values["currency"],
        on=values["date"],
        units_per_usd=values["units_per_usd"],
        source=values["source"],
    )


def _currency(value: str) -> str:
    if not value:
        raise CellError(_("empty; a currency code is required"))
    code = cells.currency(value)
    if code == "USD":
        raise CellError(_("USD needs no exchange rate"))
    return code


def _rate(value: str) -> Decimal:
    rate = cells.number(value, places=10, max_digits=24)
    if rate == 0:
        raise CellError(_("zero; a rate must be more than zero"))
    return rate


def _plan(rows: list[RateRow]) -> list[RatePlan]:
    currencies = {row.currency for row in rows}
    existing = {(r.currency, r.on): r for r in ExchangeRate.objects.filter(currency__in=currencies)}
    plans = []
    for row in rows:
        found = existing.get((row.currency, row.on))
        values: dict[str, Any] = {"units_per_usd": row.units_per_usd, "source": row.source}
        if found is None:
            values.update(currency=row.currency, on=row.on)
            plans.append(RatePlan(row, None, values, (), 0))
            continue
        changes = tuple(differences(found, values))
        converted = 0
        if "units_per_usd" in changes:
            converted = Commitment.objects.filter(exchange_rate=found).count()
        plans.append(RatePlan(row, found, values, changes, converted))
    return plans


def _result(table: Table, plans: list[RatePlan], *, dry_run: bool) -> ImportResult:
    outcomes = []
    for plan in plans:
        notes: tuple[str, ...] = ()
        if plan.converted:
            notes = (
                ngettext(
                    "converts %(count)d commitment again at the corrected rate",
                    "converts %(count)d commitments again at the corrected rate",
                    plan.converted,
                )
                % {"count": plan.converted},
            )
        outcomes.append(RowOutcome(plan.row.line, plan.row.key, plan.outcome, plan.changes, notes))
    return ImportResult.of(table, dry_run=dry_run, rows=tuple(outcomes))
