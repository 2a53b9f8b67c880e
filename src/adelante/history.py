"""Every write leaves a history row saying who changed what, and why.

django-simple-history keeps the rows; this module is the one place that tells it the user and
the reason. Services write through `save` and `delete`; a block that writes rows indirectly
(inline rows, many-to-many changes, derived rows) runs inside `change(...)`, so every
historical record written in it carries the same user and reason. The admin opens an empty
scope with `scope()` and fills in the reason once its form is valid (`set_reason`). Rows
created in bulk (imports of many rows) go through `insert`, without model instances: the same
rows and history rows as saving them one by one, then `written_in_bulk`.
"""

from __future__ import annotations

import datetime
import operator
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.dispatch import Signal, receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

#: Sent after rows were written in bulk, which sends no `post_save`: whatever a process keeps
#: about the record (the portal's page cache stamp) is forgotten, as after a save.
written_in_bulk = Signal()


@dataclass
class _Change:
    reason: str | None = None
    user: Any = None


_current: ContextVar[_Change | None] = ContextVar("adelante_history_change", default=None)


def _known(user: Any) -> Any:
    """The user if it is a stored account (not anonymous, not a system job)."""
    return user if getattr(user, "pk", None) is not None else None


@contextmanager
def scope() -> Iterator[None]:
    """A block whose historical records take the reason given later by `set_reason`."""
    token = _current.set(_Change())
    try:
        yield
    finally:
        _current.reset(token)


def set_reason(text: str | None) -> None:
    """The reason for the changes saved from now on in the current scope (if any)."""
    change = _current.get()
    if change is not None:
        change.reason = (text or "").strip() or None


@contextmanager
def change(*, reason: str | None, user: Any = None) -> Iterator[None]:
    """Every historical record written in the block carries this reason (and user, if any)."""
    token = _current.set(_Change(reason=(reason or "").strip() or None, user=_known(user)))
    try:
        yield
    finally:
        _current.reset(token)


def _mark(obj: models.Model, user: Any, reason: str | None) -> None:
    # simple-history reads these two attributes when it writes the object's historical row.
    if _known(user) is not None:
        obj._history_user = user  # type: ignore[attr-defined]
    if reason:
        obj._change_reason = reason  # type: ignore[attr-defined]


def save(
    obj: models.Model, *, user: Any = None, reason: str | None = None, **save_kwargs: Any
) -> None:
    """Save the object; its historical row names the user (if any) and the reason."""
    _mark(obj, user, reason)
    obj.save(**save_kwargs)


def delete(obj: models.Model, *, user: Any = None, reason: str | None = None) -> None:
    """Delete the object; the historical row of its deletion names the user and the reason."""
    _mark(obj, user, reason)
    obj.delete()


@receiver(pre_create_historical_record, dispatch_uid="adelante_history_change")
def _apply_scope(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    change = _current.get()
    if change is None:
        return
    if change.reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = change.reason
    if change.user is not None and history_instance.history_user_id is None:
        history_instance.history_user = change.user


# Rows written without model instances.

#: Rows given to the database per statement (executemany) or per COPY by `insert`.
INSERT_BATCH = 5000

#: Field classes whose values the database driver takes as they are: exact classes only, since
#: a subclass may convert its values (`money.fields.ExactDecimalField` stores hundredths).
_AS_IS: frozenset[type[Any]] = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.SmallAutoField,
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveBigIntegerField,
        models.PositiveSmallIntegerField,
        models.BooleanField,
        models.CharField,
        models.SlugField,
        models.URLField,
        models.EmailField,
        models.TextField,
    }
)

_Convert = Callable[[Any], Any]


def _converter(field: Any, connection: BaseDatabaseWrapper) -> _Convert | None:
    """What the field does to a value before the driver gets it, as saving does (None: the
    value goes as it is). A value met before is not converted again: None and dates by
    themselves, Decimals by their text (1.0 and 1.00 may convert differently)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        raise ValueError(f"{field} sets its own value when saved; insert() does not")
    target = field
    while target.is_relation:
        target = target.target_field
    if type(target) in _AS_IS:
        return None
    memo: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        kind = type(value)
        if value is None or kind is datetime.date:
            key = value
        elif kind is Decimal:
            key = str(value)
        else:
            return field.get_db_prep_save(value, connection=connection)
        if key not in memo:
            memo[key] = field.get_db_prep_save(value, connection=connection)
        return memo[key]

    return convert


def _new_ids(connection: BaseDatabaseWrapper, cursor: Any, model: Any, count: int) -> list[int]:
    """`count` ids for new rows of `model`, the ones saving them one by one would take."""
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    if connection.vendor == "postgresql":
        # The sequence is looked up once (MATERIALIZED), not for every id: ten times faster.
        cursor.execute(
            "WITH q AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS s) "
            "SELECT nextval(q.s) FROM q, generate_series(1, %s)",
            [connection.ops.quote_name(table), pk, count],
        )
        return sorted(row[0] for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        # AUTOINCREMENT: the next id follows the largest ever given (sqlite_sequence) or stored.
        # An import's transaction holds the write lock (BEGIN IMMEDIATE): none comes between.
        quote = connection.ops.quote_name
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        given = cursor.fetchone()
        cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")
        stored = cursor.fetchone()
        start = max(given[0] if given else 0, stored[0] or 0) + 1
        return list(range(start, start + count))
    raise NotImplementedError(f"insert() does not know {connection.vendor}")


def _write(
    connection: BaseDatabaseWrapper,
    cursor: Any,
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """Write the rows (driver values, in the order of `columns`): COPY on PostgreSQL,
    executemany elsewhere, `INSERT_BATCH` rows at a time."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start : start + INSERT_BATCH]
        if connection.vendor == "postgresql":
            sql = f"COPY {quote(table)} ({names}) FROM STDIN"
            began = time.monotonic()
            with cursor.cursor.copy(sql) as copy:
                for row in batch:
                    copy.write_row(row)
            if connection.queries_logged:
                # Django logs what goes through execute(); a COPY is a statement too.
                spent = f"{time.monotonic() - began:.3f}"
                connection.queries_log.append({"sql": f"{sql} -- {len(batch)} rows", "time": spent})
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", batch)


def _picker(positions: Sequence[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the items at these positions (keys) as a tuple."""
    if not positions:
        return lambda _item: ()
    if len(positions) == 1:
        (only,) = positions
        return lambda item: (item[only],)
    return operator.itemgetter(*positions)


class _Rows:
    """New rows of one model, as the driver takes them, and their historical rows.

    The values of a row, and its columns, come in this order: the id, the fields named,
    the other fields (their defaults)."""

    def __init__(self, model: Any, connection: BaseDatabaseWrapper, names: Sequence[str]) -> None:
        self.model = model
        self.connection = connection
        pk = model._meta.pk
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(names) - set(fields)
        if unknown or pk.attname in names:
            raise ValueError(f"insert(): not fields of {model.__name__}: {sorted(unknown)}")
        self.names = list(names)
        self.given = [fields[name] for name in names]
        self.others = [f for f in fields.values() if f is not pk and f.attname not in names]
        self.fields = [pk, *self.given, *self.others]
        self.columns = [f.column for f in self.fields]
        self.history = (
            getattr(model, model._meta.simple_history_manager_attribute).model
            if hasattr(model._meta, "simple_history_manager_attribute")
            else None
        )

    def values(
        self, ids: Sequence[int], rows: Sequence[Mapping[str, Any]]
    ) -> list[tuple[Any, ...]]:
        """Each row's values as the driver takes them."""
        connection = self.connection
        pick = _picker(self.names)
        converting = [
            (i, convert)
            for i, field in enumerate(self.given)
            if (convert := _converter(field, connection)) is not None
        ]
        defaults = [(f, _converter(f, connection)) for f in self.others]
        if any(f.has_default() and callable(f.default) for f in self.others):

            def others() -> tuple[Any, ...]:
                return tuple(
                    f.get_default() if convert is None else convert(f.get_default())
                    for f, convert in defaults
                )

        else:
            constant = tuple(
                f.get_default() if convert is None else convert(f.get_default())
                for f, convert in defaults
            )

            def others() -> tuple[Any, ...]:
                return constant

        made = []
        for id_, row in zip(ids, rows, strict=True):
            given = list(pick(row))
            for i, convert in converting:
                given[i] = convert(given[i])
            made.append((id_, *given, *others()))
        return made

    def history_rows(
        self,
        cursor: Any,
        values: Sequence[tuple[Any, ...]],
        *,
        kind: str,
        user: Any,
        reason: str | None,
        with_ids: bool = False,
    ) -> tuple[list[int], list[str], list[tuple[Any, ...]]]:
        """The historical rows (history_type `kind`) of rows with these values, as
        simple-history writes them when each row is saved: the tracked fields' values, the
        date, the user and the reason. Returns their columns and values, and their history
        ids if `with_ids` (otherwise the database gives them, in the same order, as it gives
        ids one by one)."""
        history = self.history
        assert history is not None
        connection = self.connection
        where = {f.attname: i for i, f in enumerate(self.fields)}
        constants = {
            "history_date": timezone.now(),
            "history_change_reason": reason,
            "history_type": kind,
            "history_user_id": user.pk if user is not None else None,
        }
        history_id = history._meta.pk
        tracked: list[Any] = []
        constant: list[tuple[str, Any]] = []
        for field in history._meta.concrete_fields:
            name = field.attname
            if field is history_id:
                continue
            if name in constants:
                convert = _converter(field, connection)
                value = constants[name]
                constant.append((field.column, value if convert is None else convert(value)))
            elif name in where:
                own = self.fields[where[name]]
                as_is = (
                    _converter(field, connection) is None and _converter(own, connection) is None
                )
                if not (as_is or type(field) is type(own)):
                    raise ValueError(f"insert(): {field} of {history.__name__} converts otherwise")
                tracked.append(field)
            else:
                raise ValueError(f"insert(): {history.__name__}.{name} is not filled")
        columns = [*(f.column for f in tracked), *(c for c, _v in constant)]
        pick = _picker([where[f.attname] for f in tracked])
        tail = tuple(v for _c, v in constant)
        if not with_ids:
            return [], columns, [(*pick(row), *tail) for row in values]
        ids = _new_ids(connection, cursor, history, len(values))
        rows = [(i, *pick(row), *tail) for i, row in zip(ids, values, strict=True)]
        return ids, [history_id.column, *columns], rows


def insert(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    user: Any = None,
    reason: str | None = None,
    links: Mapping[str, Sequence[Iterable[int]]] | None = None,
) -> list[int]:
    """Create rows of `model` with their historical rows, without building model instances:
    the rows and historical rows that saving each one (`save`) writes, in a few statements
    (PostgreSQL's COPY, executemany on SQLite), for imports of many rows. Returns the new
    rows' ids, in order.

    `rows`: each row's values by attribute name (`partner_id`, not `partner`), every row naming
    the same ones; the other fields take their defaults, the id is given here. `links`: for a
    many-to-many field, the targets of each row, set as `row.field.set(targets)` after saving
    would: the links, and, for each row with any, a "changed" historical row with its links.
    The user and the reason are those given, else those of the enclosing `change` block.
    Once committed, `written_in_bulk` is sent, once for each model."""
    if not rows:
        return []
    change = _current.get()
    user = _known(user) if _known(user) is not None else (change.user if change else None)
    reason = (reason or "").strip() or (change.reason if change else None)
    using = router.db_for_write(model)
    connection = connections[using]
    written = _Rows(model, connection, list(rows[0]))
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        ids = _new_ids(connection, cursor, model, len(rows))
        values = written.values(ids, rows)
        _write(connection, cursor, model._meta.db_table, written.columns, values)
        if written.history is not None:
            _, columns, history_rows = written.history_rows(
                cursor, values, kind="+", user=user, reason=reason
            )
            _write(connection, cursor, written.history._meta.db_table, columns, history_rows)
        for name, targets in (links or {}).items():
            _insert_links(
                connection, cursor, written, ids, values, name, targets, user=user, reason=reason
            )
    transaction.on_commit(lambda: written_in_bulk.send(sender=model), using=using)
    return ids


def _insert_links(
    connection: BaseDatabaseWrapper,
    cursor: Any,
    written: _Rows,
    ids: Sequence[int],
    values: Sequence[tuple[Any, ...]],
    name: str,
    targets: Sequence[Iterable[int]],
    *,
    user: Any,
    reason: str | None,
) -> None:
    """The many-to-many links `name` of new rows, as `field.set(targets)` writes them."""
    field = written.model._meta.get_field(name)
    through = field.remote_field.through
    source = through._meta.get_field(field.m2m_field_name()).column
    target = through._meta.get_field(field.m2m_reverse_field_name()).column
    # `set` adds the targets in the order of a Python set of their ids (ManyRelatedManager).
    wanted = [list(set(row_targets)) for row_targets in targets]
    link_ids = iter(_new_ids(connection, cursor, through, sum(len(w) for w in wanted)))
    per_row = [
        [(next(link_ids), pk, t) for t in row_targets]
        for pk, row_targets in zip(ids, wanted, strict=True)
    ]
    link_columns = [through._meta.pk.column, source, target]
    if len(through._meta.concrete_fields) != len(link_columns):
        raise ValueError(f"insert(): {through.__name__} has fields of its own")
    links = [link for group in per_row for link in group]
    _write(connection, cursor, through._meta.db_table, link_columns, links)
    m2m_history = HistoricalRecords.m2m_models.get(field)
    if written.history is None or m2m_history is None:
        return
    if len(written.history._history_m2m_fields) > 1:
        # Each "changed" row would copy the links of every tracked field, not written here.
        raise ValueError(f"insert(): {written.model.__name__} tracks several many-to-many fields")
    # m2m_changed "post_add": a "changed" historical row of each row given links, which
    # copies its links into simple-history's table of them.
    changed = [(row, group) for row, group in zip(values, per_row, strict=True) if group]
    if not changed:
        return
    history_ids, columns, history_rows = written.history_rows(
        cursor,
        [row for row, _group in changed],
        kind="~",
        user=user,
        reason=reason,
        with_ids=True,  # the copies of the links name their history row
    )
    _write(connection, cursor, written.history._meta.db_table, columns, history_rows)
    meta = m2m_history._meta
    copy_columns = [*link_columns, meta.get_field("history").column]
    if len(meta.concrete_fields) != len(copy_columns) + 1:
        raise ValueError(f"insert(): {m2m_history.__name__} has other fields")
    copies = [
        (*link, history_id)
        for history_id, (_row, group) in zip(history_ids, changed, strict=True)
        for link in group
    ]
    _write(connection, cursor, meta.db_table, copy_columns, copies)
