"""How the qualifier of a total follows from the qualifiers of the amounts in it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class AmountQualifier(models.TextChoices):
    """How a commitment's amount was stated."""

    EXACT = "exact", _("exact")
    AT_LEAST = "at_least", _("at least")
    ABOUT = "about", _("about")
    UP_TO = "up_to", _("up to")
    UNDISCLOSED = "undisclosed", _("undisclosed")
    CONFIDENTIAL = "confidential", _("confidential")


class TotalQualifier(models.TextChoices):
    """How a computed total must be read."""

    EXACT = "exact", _("exact")
    AT_LEAST = "at_least", _("at least")
    ABOUT = "about", _("about")
    UP_TO = "up_to", _("up to")


class StatementQualifier(models.TextChoices):
    """How an official statement qualified its figure."""

    EXACT = "exact", _("exact")
    AT_LEAST = "at_least", _("more than")
    ABOUT = "about", _("about")
    TARGET = "target", _("target")
    PROJECTION = "projection", _("projection")


#: Amount qualifiers whose amount is known to the record (confidential ones count in totals).
COUNTED_QUALIFIERS = frozenset(
    {
        AmountQualifier.EXACT,
        AmountQualifier.AT_LEAST,
        AmountQualifier.ABOUT,
        AmountQualifier.UP_TO,
        AmountQualifier.CONFIDENTIAL,
    }
)


def combine(qualifiers: Iterable[str]) -> TotalQualifier:
    """The qualifier of a sum of amounts stated with these qualifiers.

    A sum with an "at least" part is at least; with an "up to" part, up to; with both, or with
    any "about" part, it is only about. Confidential amounts are known exactly to the record.
    """
    present = set(qualifiers)
    if AmountQualifier.ABOUT in present:
        return TotalQualifier.ABOUT
    lower = AmountQualifier.AT_LEAST in present
    upper = AmountQualifier.UP_TO in present
    if lower and upper:
        return TotalQualifier.ABOUT
    if lower:
        return TotalQualifier.AT_LEAST
    if upper:
        return TotalQualifier.UP_TO
    return TotalQualifier.EXACT
