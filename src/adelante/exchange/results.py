"""What an import did, or would do with --dry-run: one outcome per row, and the totals."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from adelante.exchange.readers import Table


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
    reading: tuple[str, ...] = ()
    """How the file was read: its separator, encoding, number and date formats …"""
    merged: tuple[tuple[int, int], ...] = ()
    """Exact duplicate rows counted once (--allow-duplicates): (line, line it repeats)."""

    @classmethod
    def of(cls, table: Table, **fields: Any) -> ImportResult:
        """The result of importing `table`, with what its reading found."""
        return cls(file=table.file, reading=table.reading, merged=table.merged, **fields)

    @property
    def read_as(self) -> str:
        """“Read as: semicolon-separated, Windows-1252, decimal comma, header on line 3.”"""
        if not self.reading:
            return ""
        return gettext("Read as: %(how)s.") % {"how": ", ".join(self.reading)}

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
        if self.merged:
            text += " " + ngettext(
                "%(count)d row repeated exactly was counted once (line %(lines)s).",
                "%(count)d rows repeated exactly were counted once (lines %(lines)s).",
                len(self.merged),
            ) % {
                "count": len(self.merged),
                "lines": ", ".join(f"{line} = {first}" for line, first in self.merged),
            }
        return text
