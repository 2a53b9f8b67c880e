"""Converting an amount to US dollars at a stated rate."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")


def to_usd(amount: Decimal, units_per_usd: Decimal) -> Decimal:
    """The amount in US dollars, rounded half-even to the cent."""
    return (amount / units_per_usd).quantize(CENT, rounding=ROUND_HALF_EVEN)
