"""Money and counts in the reader's language (Babel's CLDR data), with their qualifiers."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_compact_decimal, format_decimal
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from adelante.money.qualifiers import StatementQualifier, TotalQualifier


def _locale(language: str | None) -> str:
    return (language or translation.get_language() or "en").split("-")[0]


def format_number(value: Decimal | int, language: str | None = None) -> str:
    """A number with the language's separators; cents shown only when there are any."""
    locale = _locale(language)
    whole = not isinstance(value, Decimal) or value == value.to_integral_value()
    return format_decimal(value, format="#,##0" if whole else "#,##0.00", locale=locale)


def format_usd(amount: Decimal, language: str | None = None, *, compact: bool = False) -> str:
    """US dollars: "US$4,200,000,000" / "4.200.000.000 US$", or compact "US$4.2 billion"."""
    locale = _locale(language)
    with translation.override(locale):
        if compact and abs(amount) >= 1_000_000:
            number = format_compact_decimal(
                amount, format_type="long", locale=locale, fraction_digits=1
            )
            # Translators: %(amount)s is a number in words, such as "4.2 billion".
            return pgettext("compact money", "US$%(amount)s") % {"amount": number}
        # Translators: %(amount)s is a formatted number; keep "US$" as the currency sign.
        return _("US$%(amount)s") % {"amount": format_number(amount, locale)}


def with_qualifier(text: str, qualifier: str, language: str | None = None) -> str:
    """ "at least US$4.2 billion" for a computed total; exact figures stay bare."""
    total = TotalQualifier(qualifier)
    if total == TotalQualifier.EXACT:
        return text
    with translation.override(_locale(language)):
        return f"{total.label} {text}"


def as_stated(text: str, qualifier: str, language: str | None = None) -> str:
    """A figure with the qualifier an official statement used: "more than US$4.2 billion",
    "US$1.4 million (target)"."""
    with translation.override(_locale(language)):
        stated = StatementQualifier(qualifier)
        if stated == StatementQualifier.EXACT:
            return text
        if stated in (StatementQualifier.TARGET, StatementQualifier.PROJECTION):
            return f"{text} ({stated.label})"
        return f"{stated.label} {text}"
