"""What an import did, or would do with --dry-run: one outcome per row, and the totals."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Outcome(enum.StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])


ALSO_CREATED_LABELS = {"partners": _("new partners"), "rounds": _("new rounds")}

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

    def __str__(self) -> str:
        counts = {
            "file": self.file,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.dry_run:
            text = (
                gettext(
                    "Dry run, nothing written: %(file)s would create %(created)d, update "
                    "%(updated)d and leave %(unchanged)d unchanged."
                )
                % counts
            )
        else:
            text = (
                gettext(
                    "Imported %(file)s: %(created)d created, %(updated)d updated, "
                    "%(unchanged)d unchanged."
                )
                % counts
            )
        extra = [
            f"{ALSO_CREATED_LABELS.get(name, name)}: {count}"
            for name, count in self.also_created
            if count
        ]
        if extra:
            text += " " + "; ".join(extra).capitalize() + "."
        return text
