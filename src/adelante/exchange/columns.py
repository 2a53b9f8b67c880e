"""Which columns a kind of file has: required ones must be in the header, others may be."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from adelante.exchange.problems import Problems
from adelante.exchange.readers import Table


@dataclass(frozen=True)
class Columns:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional

    def check(self, table: Table, problems: Problems) -> None:
        """Every required column is in the header, and no column is unknown.

        An unknown column is an error rather than ignored, so that a misspelt optional
        column ("qualifer") does not silently fall back to its default.
        """
        for column in self.required:
            if not table.has(column):
                problems.add(1, column, _("required column missing from the header"))
        for column in table.columns:
            if column not in self.known:
                problems.add(
                    1,
                    column,
                    _("unknown column (the columns are: %(known)s)")
                    % {"known": ", ".join(self.known)},
                )
