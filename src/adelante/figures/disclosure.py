"""Suppression of breakdown cells for the roles allowed to see confidential amounts (rule 7).

Public figures hold no confidential amount at all (non-interference: `figures.audience`), so
they need no suppression. The secretariat and government viewers see totals and cells that
include confidential amounts; they can also read the public figures, so what a cell tells
them beyond the public is the sum of its confidential amounts. A cell is therefore
suppressed when its confidential amounts come from fewer than `MIN_CONTRIBUTORS` partners
(primary suppression), and, where the rows add up to a published total, further cells holding
confidential amounts are suppressed until the suppressed cells together hold confidential
amounts of at least that many partners, so that subtracting the shown cells from the total
reveals no fewer (secondary suppression). A secondary cell without a confidential amount
would hide nothing (its value is public), so it is chosen only when no other is left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from adelante.figures.results import BreakdownRow

#: A cell that includes confidential amounts is shown only with this many distinct partners
#: behind those amounts.
MIN_CONTRIBUTORS = 3

#: For each cell (row key) holding a confidential amount: the partners whose amounts they are.
Contributors = Mapping[str, frozenset[int]]


def revealing(partners: frozenset[int]) -> bool:
    """Whether confidential amounts of these partners may not be shown as one figure."""
    return 0 < len(partners) < MIN_CONTRIBUTORS


def suppress(
    rows: Sequence[BreakdownRow],
    contributors: Contributors,
    *,
    additive: bool,
) -> tuple[BreakdownRow, ...]:
    """Hide the amount of every cell that would reveal fewer than three partners'
    confidential amounts, and, where rows add up to a published total (`additive`), as many
    other cells as it takes for the hidden ones not to be worked out by subtraction."""
    hidden = {
        row.key
        for row in rows
        if row.amount_usd is not None and revealing(contributors.get(row.key, frozenset()))
    }
    if additive and hidden:

        def behind_hidden() -> frozenset[int]:
            return frozenset().union(*(contributors.get(key, frozenset()) for key in hidden))

        others = sorted(
            (r for r in rows if r.key not in hidden and r.amount_usd is not None),
            key=lambda r: (not contributors.get(r.key), r.amount_usd, r.key),
        )
        for row in others:
            if not revealing(behind_hidden()) and len(hidden) > 1:
                break
            if not contributors.get(row.key) and len(hidden) > 1:
                break
            hidden.add(row.key)
    return tuple(
        replace(row, amount_usd=None, suppressed=True) if row.key in hidden else row for row in rows
    )
