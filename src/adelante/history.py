"""Every write leaves a history row saying who changed what, and why.

django-simple-history keeps the rows; this module is the one place that tells it the user and
the reason. Services write through `save` and `delete`; a block that writes rows indirectly
(inline rows, many-to-many changes, derived rows) runs inside `change(...)`, so every
historical record written in it carries the same user and reason. The admin opens an empty
scope with `scope()` and fills in the reason once its form is valid (`set_reason`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal, receiver
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history

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


def bulk_create(
    objs: list[Any], model: type[models.Model], *, user: Any, reason: str | None, batch_size: int
) -> list[Any]:
    """Create the objects in bulk, each with its historical row naming the user (if any) and
    the reason: the same rows as saving them one by one, in a few statements."""
    created: list[Any] = bulk_create_with_history(
        objs, model, batch_size=batch_size, default_change_reason=reason, default_user=_known(user)
    )
    # Once committed: a page read before then still sees the record without these rows.
    transaction.on_commit(lambda: written_in_bulk.send(sender=model))
    return created


@receiver(pre_create_historical_record, dispatch_uid="adelante_history_change")
def _apply_scope(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    change = _current.get()
    if change is None:
        return
    if change.reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = change.reason
    if change.user is not None and history_instance.history_user_id is None:
        history_instance.history_user = change.user
