"""What an import did, or would do with --dry-run: one outcome per row, and the totals."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class Outcome(enum.StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])


OUTCOME_LABELS = {
    Outcome.NEW: _("new"),
    Outcome.CHANGED: _("changed"),
    Outcome.UNCHANGED: _("unchanged"),
}


@dataclass(frozen=True)
class RowOutcome:
    """What happens to the record a row describes."""

    line: int
    key: str
    """The record's identity: a commitment's reference, a statement's date, metric and source."""
    outcome: Outcome
    changes: tuple[str, ...] = ()
    """For a changed record, what changes (field names)."""
    notes: tuple[str, ...] = ()
    """What the reader should check: a new partner, a match through an alias, a new round."""


@dataclass(frozen=True)
class ImportResult:
    file: str
    dry_run: bool
    rows: tuple[RowOutcome, ...]
    also_created: tuple[tuple[str, int], ...] = ()
    """Related records created along the way, e.g. (("partners", 36), ("rounds", 5))."""

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(Outcome.NEW)

    @property
    def updated(self) -> int:
        return self.count(Outcome.CHANGED)

    @property
    def unchanged(self) -> int:
        return self.count(Outcome.UNCHANGED)
