"""Every step is recorded: the history row of each object saved (who, why) and a review event."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models

from adelante.admin_base import reason_scope, set_reason
from adelante.commitments.models import Commitment
from adelante.progress.models import ProgressReport
from adelante.workflow.models import ReviewEvent


def save(obj: models.Model, user: Any, reason: str = "", **kwargs: Any) -> None:
    """Save with the history's user and change reason set (also outside a request)."""
    if user is not None and getattr(user, "pk", None) is not None:
        obj._history_user = user  # type: ignore[attr-defined]
    if reason:
        obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save(**kwargs)


def delete(obj: models.Model, user: Any, reason: str = "") -> None:
    if user is not None and getattr(user, "pk", None) is not None:
        obj._history_user = user  # type: ignore[attr-defined]
    if reason:
        obj._change_reason = reason  # type: ignore[attr-defined]
    obj.delete()


@contextmanager
def step(reason: str) -> Iterator[None]:
    """Every historical record written in the block (inline rows, many-to-many, derived
    country rows) carries this reason."""
    with reason_scope():
        set_reason(reason)
        yield


def log(
    action: str,
    user: Any,
    commitment: Commitment,
    *,
    report: ProgressReport | None = None,
    reason: str = "",
    **details: Any,
) -> ReviewEvent:
    return ReviewEvent.objects.create(
        action=action,
        user=user if getattr(user, "pk", None) is not None else None,
        commitment=commitment,
        report=report,
        reason=reason,
        details={k: _plain(v) for k, v in details.items()},
    )


def _plain(value: Any) -> Any:
    """JSON-friendly: decimals and dates as text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def check_version(
    stored: models.Model,
    version: str | None,
    yours: dict[str, Any],
    extra: list[tuple[str, str, str]] | None = None,
) -> None:
    """Refuse a save over someone else's (accounts.concurrency): `stored` is the row as read
    under its lock, `version` what the form was loaded from (None: not a form, no check).
    `extra` adds (field, theirs, yours) for what the row's own fields do not show (a report's
    values, a proposal's countries)."""
    from dataclasses import replace

    from adelante.accounts.concurrency import Change, ConcurrentEdit, conflict_since

    if version is None:
        return
    conflict = conflict_since(stored, version, yours)
    if conflict is None:
        return
    if extra:
        conflict = replace(
            conflict, changes=[*conflict.changes, *(Change(f, t, y) for f, t, y in extra)]
        )
    raise ConcurrentEdit(conflict)
