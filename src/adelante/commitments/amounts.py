"""Derived amounts of a commitment: its US$ amount and the part of it allocated to each country.

A commitment's amount is stated in a currency; its US$ amount follows from that:

- in US dollars, the US$ amount is the amount;
- in another currency, it is the amount converted at the rate recorded for that currency on
  the announcement date (`ExchangeRate.objects.on`, `conversion.to_usd`), and the rate used
  is kept with the commitment; without such a rate there is no US$ amount to give;
- without an amount, there is no US$ amount.

The country rows then split the US$ amount (`geography.set_countries`). These functions are
what the admin calls when staff edit a commitment, its shares or an exchange rate; model
`save()` stays plain.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from adelante import history
from adelante.commitments.geography import set_countries
from adelante.commitments.models import Commitment
from adelante.currency.conversion import to_usd
from adelante.currency.models import ExchangeRate

USD = "USD"


class AmountError(ValueError):
    """The US$ amount cannot be worked out from what the commitment states."""

    def __init__(self, currency: str, on: datetime.date | None) -> None:
        super().__init__(currency, on)
        self.currency = currency
        self.on = on


class MissingDate(AmountError):
    """An amount in another currency, but no announcement date to take the rate of."""

    def __str__(self) -> str:
        return f"an amount in {self.currency} needs an announcement date for its rate"


class MissingRate(AmountError):
    """No exchange rate for the currency on the announcement date."""

    def __str__(self) -> str:
        return f"no exchange rate for {self.currency} on {self.on}"


@dataclass(frozen=True)
class UsdAmount:
    amount_usd: Decimal | None
    exchange_rate: ExchangeRate | None


def usd_amount(
    amount: Decimal | None, currency: str, announced_on: datetime.date | None
) -> UsdAmount:
    """The US$ amount of an amount stated in `currency`, and the rate used (None for US$)."""
    currency = currency.strip().upper()
    if amount is None:
        return UsdAmount(None, None)
    if currency == USD:
        return UsdAmount(amount, None)
    if announced_on is None:
        raise MissingDate(currency, None)
    rate = ExchangeRate.objects.on(currency, announced_on)
    if rate is None:
        raise MissingRate(currency, announced_on)
    return UsdAmount(to_usd(amount, rate.units_per_usd), rate)


def stated_shares(commitment: Commitment) -> dict[str, Decimal | None]:
    """The commitment's countries and their shares, as stored."""
    return {row.country: row.share_percent for row in commitment.countries.all()}


def reallocate(commitment: Commitment, shares: Mapping[str, Decimal | None] | None = None) -> bool:
    """Write the commitment's country rows for `shares` (default: as stored) and its US$ amount.

    Only rows that differ are written. Returns whether anything changed.
    """
    return set_countries(commitment, stated_shares(commitment) if shares is None else shares)


def reconvert(rate: ExchangeRate, reason: str | None = None) -> list[Commitment]:
    """Bring the US$ amounts of the commitments converted at this rate up to date.

    Call it after a rate is corrected. Returns the commitments whose US$ amount changed
    (their country rows are reallocated too); `reason` goes into their history.
    """
    changed: list[Commitment] = []
    for commitment in Commitment.objects.filter(exchange_rate=rate, amount__isnull=False):
        assert commitment.amount is not None
        new_usd = to_usd(commitment.amount, rate.units_per_usd)
        if commitment.amount_usd != new_usd:
            commitment.amount_usd = new_usd
            history.save(commitment, reason=reason, update_fields=["amount_usd"])
            set_countries(commitment, stated_shares(commitment), reason=reason)
            changed.append(commitment)
    return changed
