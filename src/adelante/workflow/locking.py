"""Re-reading a proposal or a progress report under a row lock before a step changes it."""

from __future__ import annotations

from typing import TypeVar

from adelante.progress.models import ProgressReport
from adelante.workflow.models import Proposal

_Row = TypeVar("_Row", Proposal, ProgressReport)


def locked(row: _Row) -> _Row:
    """The row re-read under a row lock, with its commitment and partner, so that two steps
    cannot cross."""
    return (
        type(row)
        ._default_manager.select_for_update()
        .select_related("commitment", "commitment__partner")
        .get(pk=row.pk)
    )
