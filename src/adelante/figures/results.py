"""The small immutable results that the figures module returns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from adelante.figures.audience import Audience
from adelante.figures.verdicts import Judgement, judge
from adelante.money.qualifiers import TotalQualifier


@dataclass(frozen=True)
class Committed:
    """New money committed as of a date (DOMAIN rule 2)."""

    as_of: datetime.date
    recorded_on: datetime.date | None
    #: Public: without any confidential amount. Confidential-allowed: with them.
    amount_usd: Decimal
    #: Public: from the public amounts only (never from a confidential one).
    qualifier: TotalQualifier
    #: Commitments announced by the date and not withdrawn, restatements included.
    commitments: int
    #: Of those, new money whose amount is in `amount_usd`.
    commitments_with_amount: int
    #: New money with no amount in `amount_usd` (public: confidential ones are counted
    #: apart, in `commitments_confidential`): counted, never guessed.
    commitments_without_amount: int
    restatements: int
    #: Organisations with at least one commitment.
    partners: int
    #: New money whose amount is confidential. Public: left out of the total ("plus N
    #: commitments with a confidential amount, not in this total"); confidential-allowed:
    #: included where the record has the amount.
    commitments_confidential: int = 0
    audience: Audience = Audience.PUBLIC

    @property
    def new_money(self) -> int:
        """Counted commitments that are not restatements."""
        return self.commitments - self.restatements


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    #: None when the cell is suppressed to protect a confidential amount.
    amount_usd: Decimal | None
    qualifier: TotalQualifier
    commitments: int
    suppressed: bool = False
    #: Of `commitments`, those with a confidential amount (public: not in `amount_usd`).
    confidential: int = 0


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    as_of: datetime.date
    recorded_on: datetime.date | None
    rows: tuple[BreakdownRow, ...]
    #: The grand total, or None where rows overlap (focus areas) and no total may be shown.
    total: Committed | None
    audience: Audience = Audience.PUBLIC

    @property
    def overlapping(self) -> bool:
        return self.total is None


@dataclass(frozen=True)
class Reached:
    """A catalogue metric's verified value as of a date (DOMAIN rule 3)."""

    metric: str
    as_of: datetime.date
    recorded_on: datetime.date | None
    value: Decimal
    #: Commitments with a verified value for this metric by the date.
    commitments: int


@dataclass(frozen=True)
class Reconciliation:
    """An official statement beside the figure the record backs (DOMAIN rule 5)."""

    statement_id: int
    stated_on: datetime.date
    metric: str
    stated_value: Decimal
    stated_qualifier: str
    unit: str
    source_url: str
    figure: str
    #: The record's figure as of the statement's date; None when the record cannot compute it.
    computed_value: Decimal | None
    computed_qualifier: TotalQualifier | None
    #: Commitments with a confidential amount behind the computed figure (public: left out
    #: of it).
    computed_confidential: int = 0
    #: How precisely the source dated the statement (`DatePrecision`: day, month or year);
    #: `stated_on` is the last day of that period.
    date_precision: str = "day"

    @property
    def gap(self) -> Decimal | None:
        """Stated minus computed, signed (negative when the record holds more). Readers are
        shown the `judgement` instead, which reads the statement's qualifier."""
        if self.computed_value is None:
            return None
        return self.stated_value - self.computed_value

    @property
    def judgement(self) -> Judgement:
        """Consistent, record short by N, record above by N, or not computable
        (`figures.verdicts`)."""
        return judge(self.stated_value, self.stated_qualifier, self.computed_value)
