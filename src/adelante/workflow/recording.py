"""Every workflow step is recorded as a review event (the history rows are `adelante.history`'s)."""

from __future__ import annotations

from typing import Any

from django.db import models

from adelante.commitments.models import Commitment
from adelante.errors import Conflict
from adelante.progress.models import ProgressReport
from adelante.workflow.models import ReviewEvent

#: The `code` of a refusal because someone else saved first.
CONCURRENT_EDIT = "concurrent-edit"


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
    values, a proposal's countries). The refusal is a `Conflict` whose `extra["conflict"]` is
    what the other person changed (a form shows it beside your values)."""
    from dataclasses import replace

    from adelante.accounts.concurrency import Change, conflict_since

    if version is None:
        return
    conflict = conflict_since(stored, version, yours)
    if conflict is None:
        return
    if extra:
        conflict = replace(
            conflict, changes=[*conflict.changes, *(Change(f, t, y) for f, t, y in extra)]
        )
    raise Conflict(conflict.message(), extra={"conflict": conflict}, code=CONCURRENT_EDIT)
