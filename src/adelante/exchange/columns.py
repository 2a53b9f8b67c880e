"""Which columns a kind of file has: required ones must be in the header, others may be; and
which of them hold numbers and dates, which `exchange.formats` reads as the file writes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from adelante.exchange.problems import Problems

if TYPE_CHECKING:
    from adelante.exchange.readers import Table


@dataclass(frozen=True)
class Columns:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    """Columns of numbers: thousands separators and a decimal comma are read (per file)."""
    dollars: tuple[str, ...] = ()
    """Columns of US-dollar amounts, which may carry $, US$ or USD."""
    dates: tuple[str, ...] = ()
    """Columns of dates: dd/mm/yyyy and mm/dd/yyyy are read when the file decides which."""
    totals: tuple[str, ...] = ()
    """Columns that a total row at the bottom sums; such a row is skipped if it is the sum."""

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional

    def check(self, table: Table, problems: Problems) -> None:
        """Every required column is in the header, and no column is unknown.

        An unknown column is an error rather than ignored, so that a misspelt optional
        column ("qualifer") does not silently fall back to its default.
        """
        line = table.header_line
        for column in self.required:
            if not table.has(column):
                problems.add(line, column, _("required column missing from the header"))
        for column in table.columns:
            if column not in self.known:
                problems.add(
                    line,
                    column,
                    _("unknown column (the columns are: %(known)s)")
                    % {"known": ", ".join(self.known)},
                )
