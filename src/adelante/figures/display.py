"""A US$ figure in an initiative's currency for display (docs/figures.md, "In the
initiative's currency").

US dollars stay the canonical figure everywhere: every amount is stored and totalled in US$,
and the display currency is a second reading beside it, never instead of it. The rule:

- the amount in the display currency is the US$ amount times the record's rate for that
  currency (units per US$) on the latest day on or before the as-of date, rounded half-even to
  the cent; the rate, its day and its source go with it;
- nothing (None) when the currency is US$ itself, or when the record has no rate for it by
  the as-of date: a rate is never guessed, nor taken from after the date;
- the rate and the initiative's currency are read from the record as recorded on the day
  asked for (`Record`), like every other figure input, so a page is reproducible;
- only public totals are converted (DOMAIN rule 7): a total, or a breakdown and its rows,
  that includes confidential amounts gets no conversion here. US$ invested comes from verified
  progress, which has no confidential amounts: it is public by construction;
- one rate for one reading: a breakdown's rows and its total are converted at the rate read
  once for the breakdown (`breakdown_in_display_currency`), never once per row.

Converting never changes the US$ figure: the result carries it, unchanged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from adelante.figures.audience import Audience
from adelante.figures.reached import USD_INVESTED
from adelante.figures.record import Record
from adelante.figures.results import Breakdown, Committed, Reached

USD = "USD"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rate:
    """An exchange rate of the record: units of `currency` per US dollar on a day."""

    currency: str
    units_per_usd: Decimal
    on: datetime.date
    source: str


@dataclass(frozen=True)
class InDisplayCurrency:
    """A US$ amount read in another currency, with the rate it was read at."""

    currency: str
    #: The amount in `currency`, half-even to the cent.
    amount: Decimal
    #: The canonical figure it was converted from, unchanged.
    amount_usd: Decimal
    rate: Rate


@dataclass(frozen=True)
class BreakdownInDisplayCurrency:
    """A public breakdown in the initiative's currency for display: every row, and the total
    where there is one, at the one rate read for the breakdown."""

    rate: Rate
    #: Each row's amount in the currency, by row key; None for a row without an amount (a
    #: suppressed cell: never in a public breakdown, but never guessed either).
    rows: dict[str, Decimal | None]
    #: The grand total in the currency; None where the breakdown has none (rows overlap).
    total: InDisplayCurrency | None

    @property
    def currency(self) -> str:
        return self.rate.currency


def from_usd(amount_usd: Decimal, units_per_usd: Decimal) -> Decimal:
    """A US$ amount in a currency at a rate in units per US$, half-even to the cent."""
    return (amount_usd * units_per_usd).quantize(CENT, rounding=ROUND_HALF_EVEN)


def rate_by(
    currency: str, as_of: datetime.date, *, recorded_on: datetime.date | None = None
) -> Rate | None:
    """The record's rate for the currency on the latest day on or before `as_of` (as the
    record stood on `recorded_on`); None when it has none by then."""
    found = (
        Record(recorded_on)
        .exchange_rates()
        .filter(currency=currency.strip().upper(), on__lte=as_of)
        .order_by("-on")
        .values("currency", "units_per_usd", "on", "source")
        .first()
    )
    if found is None:
        return None
    return Rate(found["currency"], found["units_per_usd"], found["on"], found["source"])


def in_currency(
    amount_usd: Decimal,
    currency: str,
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
) -> InDisplayCurrency | None:
    """The US$ amount in `currency` at the record's latest rate by `as_of`; None for US$ or
    when the record has no rate for the currency by then."""
    code = currency.strip().upper()
    if code == USD:
        return None
    rate = rate_by(code, as_of, recorded_on=recorded_on)
    return None if rate is None else at_rate(amount_usd, rate)


def at_rate(amount_usd: Decimal, rate: Rate) -> InDisplayCurrency:
    """The US$ amount in the rate's currency (the one conversion every reading goes through)."""
    return InDisplayCurrency(
        rate.currency, from_usd(amount_usd, rate.units_per_usd), amount_usd, rate
    )


def display_currency(initiative_id: int, *, recorded_on: datetime.date | None = None) -> str:
    """The initiative's currency for display, as the record stood on `recorded_on` (US$ when
    the record did not have the initiative then)."""
    found = (
        Record(recorded_on)
        .initiatives()
        .filter(id=initiative_id)
        .values_list("display_currency", flat=True)
        .first()
    )
    return str(found).upper() if found else USD


def display_rate(
    initiative_id: int, as_of: datetime.date, *, recorded_on: datetime.date | None = None
) -> Rate | None:
    """The rate an initiative's figures as of `as_of` are read at in its currency for display,
    both as the record stood on `recorded_on`; None for a US$ initiative, or a currency
    without a rate by then."""
    currency = display_currency(initiative_id, recorded_on=recorded_on)
    if currency == USD:
        return None
    return rate_by(currency, as_of, recorded_on=recorded_on)


def committed_in_display_currency(total: Committed, initiative_id: int) -> InDisplayCurrency | None:
    """A public committed total in its initiative's currency for display, at the rate of its
    as-of date, as recorded on its day; None for a total that is not public (only public
    totals are converted), a US$ initiative, or a currency without a rate by then."""
    if total.audience is not Audience.PUBLIC:
        return None
    rate = display_rate(initiative_id, total.as_of, recorded_on=total.recorded_on)
    return None if rate is None else at_rate(total.amount_usd, rate)


def invested_in_display_currency(figure: Reached, initiative_id: int) -> InDisplayCurrency | None:
    """US$ invested in its initiative's currency for display, as `committed_in_display_currency`
    (public by construction: verified progress has no confidential amount); None for a US$
    initiative or a currency without a rate by then. Only US$ invested is money: another
    metric's figure is refused (ValueError)."""
    if figure.metric != USD_INVESTED:
        raise ValueError(f"{figure.metric} is not a US$ figure")
    rate = display_rate(initiative_id, figure.as_of, recorded_on=figure.recorded_on)
    return None if rate is None else at_rate(figure.value, rate)


def breakdown_in_display_currency(
    breakdown: Breakdown, initiative_id: int
) -> BreakdownInDisplayCurrency | None:
    """A public breakdown's rows and total in its initiative's currency for display, at one
    rate read once; None for a breakdown that is not public (its rows neither), a US$
    initiative, or a currency without a rate by its as-of date."""
    if breakdown.audience is not Audience.PUBLIC:
        return None
    rate = display_rate(initiative_id, breakdown.as_of, recorded_on=breakdown.recorded_on)
    if rate is None:
        return None
    rows = {
        row.key: None if row.amount_usd is None else from_usd(row.amount_usd, rate.units_per_usd)
        for row in breakdown.rows
    }
    total = breakdown.total
    converted_total = (
        at_rate(total.amount_usd, rate)
        if total is not None and total.audience is Audience.PUBLIC
        else None
    )
    return BreakdownInDisplayCurrency(rate, rows, converted_total)
