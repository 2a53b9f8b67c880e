"""The verdict on an official statement beside the record's figure (DOMAIN rule 5, issue 13).

A statement's qualifier says what it claims, so the verdict reads it: "more than X" is borne
out by a record at or above X; "about X" by a record within a tolerance of X (a setting,
`ADELANTE_ABOUT_TOLERANCE_PERCENT`, 5% by default); an exact X only by X itself. Otherwise the
record is short of the statement, or above it, by a stated amount, never by a negative one.
A target or a projection states an intention, not a fact the record could back, and a
statement with no computed figure cannot be checked: both are "not computable".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.conf import settings

from adelante.money.qualifiers import StatementQualifier

DEFAULT_ABOUT_TOLERANCE_PERCENT = Decimal("5")


class Verdict(StrEnum):
    CONSISTENT = "consistent"
    #: The record backs less than the statement claims.
    SHORT = "short"
    #: The record holds more than the statement claims (an exact or "about" figure).
    ABOVE = "above"
    NOT_COMPUTABLE = "not_computable"


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    #: How far the record is from the statement (never negative); None unless short or above.
    #: For "more than X", a shortfall is a minimum: the statement claims more than X.
    by: Decimal | None = None


def about_tolerance() -> Decimal:
    """The share of the stated value within which an "about" statement is borne out (%)."""
    value = getattr(settings, "ADELANTE_ABOUT_TOLERANCE_PERCENT", DEFAULT_ABOUT_TOLERANCE_PERCENT)
    return Decimal(str(value))


def judge(
    stated: Decimal,
    qualifier: str,
    computed: Decimal | None,
    *,
    tolerance_percent: Decimal | None = None,
) -> Judgement:
    """The verdict on a statement `qualifier stated` beside the record's `computed` figure."""
    if computed is None or qualifier in (StatementQualifier.TARGET, StatementQualifier.PROJECTION):
        return Judgement(Verdict.NOT_COMPUTABLE)
    if qualifier == StatementQualifier.AT_LEAST:
        if computed >= stated:
            return Judgement(Verdict.CONSISTENT)
        return Judgement(Verdict.SHORT, stated - computed)
    if qualifier == StatementQualifier.ABOUT:
        percent = about_tolerance() if tolerance_percent is None else tolerance_percent
        if abs(computed - stated) * 100 <= abs(stated) * percent:
            return Judgement(Verdict.CONSISTENT)
    elif computed == stated:
        return Judgement(Verdict.CONSISTENT)
    if computed < stated:
        return Judgement(Verdict.SHORT, stated - computed)
    return Judgement(Verdict.ABOVE, computed - stated)
