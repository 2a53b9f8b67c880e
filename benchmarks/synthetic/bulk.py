"""Writing many rows of the record, with their history, in bulk (the synthetic data's writer).

Rows are plain dicts of attribute names with explicit ids, buffered per model and written by
PostgreSQL's COPY or SQLite's `executemany` of one INSERT, without building model instances:
ten times faster than `bulk_create`, which is what makes 500,000 commitments with 5 million
progress reports and their history (some 35 million rows) take minutes instead of an hour.
Every row gets the history rows django-simple-history would have written, dated when the row
would have been recorded, so figures "as recorded on" an earlier day see the data as it stood.

Only the benchmarks need this: the product writes its record through the ORM (imports, forms),
one reviewed change at a time, so the writer lives here and not in the installed package.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from adelante.commitments.models import Commitment
from adelante.money.fields import ExactDecimalField, to_hundredths

Row = dict[str, Any]


class _Table:
    """How rows of one model are written: its columns, defaults and value adapters."""

    def __init__(self, model: type[models.Model]) -> None:
        fields = list(model._meta.concrete_fields)
        self.model = model
        self.names = [f.attname for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields}
        self.adapters = [_adapter(f) for f in fields]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in fields if f.column)
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(fields))})"

    def values(self, row: Row) -> tuple[Any, ...]:
        defaults = self.defaults
        return tuple(
            adapt(value) if adapt is not None and value is not None else value
            for value, adapt in zip(
                (row[name] if name in row else defaults[name] for name in self.names),
                self.adapters,
                strict=True,
            )
        )


def _adapter(f: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """What Django's `get_db_prep_save` does to a value of this field, for our value types."""
    ops = connection.ops
    if isinstance(f, ExactDecimalField):
        return to_hundredths
    if isinstance(f, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(f, models.DateField):
        return ops.adapt_datefield_value
    return None


class BulkWriter:
    """Buffers new rows with explicit ids, and their history rows, and writes them in bulk.

    Rows are plain dicts of attribute names; they are written by PostgreSQL's COPY or SQLite's
    `executemany` of one INSERT, ten times faster than building model instances for
    `bulk_create`, which matters at millions of rows.
    """

    def __init__(self, history_reason: str) -> None:
        #: The change reason of every history row written (what `wipe`-like tools look for).
        self.history_reason = history_reason
        self.pending: dict[type[models.Model], list[Row]] = {}
        self.tables: dict[type[models.Model], _Table] = {}
        self.next_id: dict[type[models.Model], int] = {}
        self.written: dict[str, int] = {}
        self.tracked: dict[type[models.Model], tuple[str, ...]] = {}
        self._moments: dict[datetime.date, datetime.datetime] = {}
        self.focus_link = Commitment.focus_areas.through
        self.focus_history = apps.get_model("commitments", "HistoricalCommitment_focus_areas")

    def _id(self, model: type[models.Model]) -> int:
        if model not in self.next_id:
            pk = model._meta.pk
            assert pk is not None
            top = model._default_manager.aggregate(top=Max(pk.attname))["top"] or 0
            # Past the ids of deleted rows too, whose history keeps them: a new row must not
            # inherit another one's history.
            remembered: type[models.Model] | None = None
            if model is self.focus_link:
                remembered = self.focus_history
            elif hasattr(model._meta, "simple_history_manager_attribute"):
                remembered = history_model(model)
            if remembered is not None:
                old = remembered._default_manager.aggregate(top=Max("id"))["top"] or 0
                top = max(top, old)
            self.next_id[model] = top + 1
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def _table(self, model: type[models.Model]) -> _Table:
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = _Table(model)
            self.pending.setdefault(model, [])
        return table

    def _moment(self, day: datetime.date) -> datetime.datetime:
        moment = self._moments.get(day)
        if moment is None:
            moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
            self._moments[day] = moment
        return moment

    def add(
        self,
        model: type[models.Model],
        row: Row,
        recorded: datetime.date,
        *,
        created_as: Row | None = None,
        changed_on: datetime.date | None = None,
    ) -> int:
        """Buffer a new row and its history; returns its id. Unlisted fields take defaults.

        The history says the row was created on `recorded`, as it is; or, with `created_as`,
        created with those values instead and changed to what it is on `changed_on`.
        """
        table = self._table(model)
        row["id"] = self._id(model)
        self.pending[model].append(row)
        historical = history_model(model)
        self._table(historical)
        tracked = self.tracked.get(model)
        if tracked is None:
            fields = historical.tracked_fields  # type: ignore[attr-defined]
            tracked = self.tracked[model] = tuple(f.attname for f in fields)
        versions = [("+", recorded, row)]
        if created_as is not None and changed_on is not None:
            versions = [("+", recorded, {**row, **created_as}), ("~", changed_on, row)]
        row["_history_ids"] = []
        for kind, day, values in versions:
            history: Row = {name: values.get(name, table.defaults[name]) for name in tracked}
            history["history_id"] = self._id(historical)
            history["history_date"] = self._moment(day)
            history["history_type"] = kind
            history["history_change_reason"] = self.history_reason
            self.pending[historical].append(history)
            row["_history_ids"].append(history["history_id"])
        return int(row["id"])

    def add_focus(self, commitment: Row, focus_id: int) -> None:
        """Link a commitment to a focus area, in every version of its history."""
        link = {
            "id": self._id(self.focus_link),
            "commitment_id": commitment["id"],
            "focusarea_id": focus_id,
        }
        self._table(self.focus_link)
        self.pending[self.focus_link].append(link)
        self._table(self.focus_history)
        for history_id in commitment["_history_ids"]:
            self.pending[self.focus_history].append(
                {**link, "m2m_history_id": self._id(self.focus_history), "history_id": history_id}
            )

    def flush(self) -> None:
        raw = connection.connection
        assert raw is not None
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            for model, rows in self.pending.items():
                if not rows:
                    continue
                table = self.tables[model]
                values = [table.values(row) for row in rows]
                if connection.vendor == "postgresql":
                    with cursor.copy(table.copy_sql) as copy:
                        for record in values:
                            copy.write_row(record)
                else:
                    cursor.executemany(table.insert_sql, values)
                name = model._meta.label
                self.written[name] = self.written.get(name, 0) + len(rows)
                rows.clear()

    def models(self) -> list[type[models.Model]]:
        return list(self.tables)


_HISTORY_MODELS: dict[type[models.Model], type[models.Model]] = {}


def history_model(model: type[models.Model]) -> type[models.Model]:
    """The django-simple-history model that keeps the history of `model`."""
    found = _HISTORY_MODELS.get(model)
    if found is None:
        found = _HISTORY_MODELS[model] = model.history.model  # type: ignore[attr-defined]
    return found


def raw_delete(queryset: models.QuerySet[Any]) -> int:
    # A plain DELETE: no signals, so no "deleted" history rows for data that never was real.
    return int(queryset._raw_delete(queryset.db))


def after_bulk_load(written: list[type[models.Model]]) -> None:
    """Move id sequences past the explicit ids, and refresh the planner's statistics."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), written):
            cursor.execute(sql)
        cursor.execute("ANALYZE")
