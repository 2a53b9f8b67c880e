"""Writing only what changed, with the reason recorded in the history."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction

from adelante import history
from adelante.uploads.busy import import_lock, write_stamp

_Model = TypeVar("_Model", bound=models.Model)
_Plan = TypeVar("_Plan")


def import_reason(path: Path, name: str | None, reason: str | None) -> str:
    """The reason an import's writes carry in the history: the one given, else "import" and
    the file's name (as uploaded, else on disk)."""
    return reason or f"import {name or path.name}"


def differences(obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """The fields (attribute names) whose value differs from the one wanted."""
    return [name for name, value in values.items() if getattr(obj, name) != value]


def save_with_reason(obj: models.Model, reason: str, fields: list[str] | None = None) -> None:
    """Save the object (only `fields`, if given); its history row carries the reason."""
    if fields is None:
        history.save(obj, reason=reason)
    else:
        history.save(obj, reason=reason, update_fields=fields)


def update(obj: models.Model, values: Mapping[str, Any], reason: str) -> list[str]:
    """Set the values that differ and save those fields; returns what changed."""
    changed = differences(obj, values)
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        save_with_reason(obj, reason, changed)
    return changed


def create_or_update(
    model: type[_Model],
    existing: _Model | None,
    values: Mapping[str, Any],
    changes: tuple[str, ...],
    reason: str,
) -> None:
    """Write one planned row: a new `model` with the values, else the changes (if any) to the
    existing one."""
    if existing is None:
        save_with_reason(model(**values), reason)
    elif changes:
        update(existing, values, reason)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for the block, then on again if it was.

    A large import makes hundreds of thousands of objects that live until it ends (rows,
    plans, values); the collector would go through all of them again and again as they pile
    up (a fifth of the import's time), and there is nothing to collect among them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def planned(plan: Callable[[], _Plan], write: Callable[[_Plan], object], *, dry_run: bool) -> _Plan:
    """An import's plan (`plan()`), then, unless `dry_run`, written by `write` in one
    transaction: all or nothing. A dry run writes nothing.

    One import at a time (`uploads.busy.import_lock`: `ImportBusy` if another is running).
    On SQLite, where one connection writes at a time, the plan is made before the transaction,
    so a file with problems never takes the write lock and a good one holds it only while it
    writes; if another connection wrote in between, the plan is made again inside the
    transaction. Elsewhere the plan is made inside the transaction, as the record stands
    under its locks."""
    if dry_run:
        return plan()
    with import_lock():
        stamp = write_stamp()
        made = plan() if stamp is not None else None
        with transaction.atomic():
            if made is None or write_stamp() != stamp:
                made = plan()
            write(made)
    return made
