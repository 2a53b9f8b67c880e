"""Suppression of breakdown cells that would reveal one partner's confidential amount (rule 7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from adelante.figures.results import BreakdownRow

#: A cell that includes a confidential amount is published only with this many contributors.
MIN_CONTRIBUTORS = 3


def suppress(
    rows: Sequence[BreakdownRow],
    confidential_cells: Mapping[str, int],
    *,
    additive: bool,
) -> tuple[BreakdownRow, ...]:
    """Hide the amount of every cell with a confidential amount and too few contributors.

    `confidential_cells` maps such cells to their number of distinct partners. Where rows add
    up to a published total (`additive`), one hidden cell could be recovered by subtraction,
    so the smallest other cell with an amount is hidden with it (secondary suppression).
    """
    primary = {key for key, partners in confidential_cells.items() if partners < MIN_CONTRIBUTORS}
    hidden = {row.key for row in rows if row.key in primary and row.amount_usd is not None}
    if additive and len(hidden) == 1:
        others = [r for r in rows if r.key not in hidden and r.amount_usd]
        if others:
            hidden.add(min(others, key=lambda r: (r.amount_usd, r.key)).key)
    return tuple(
        replace(row, amount_usd=None, suppressed=True) if row.key in hidden else row for row in rows
    )
