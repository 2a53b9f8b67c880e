"""Money and counts in the reader's language (Babel's CLDR data), with their qualifiers.

Spanish follows the conventions of Latin America (CLDR `es_419`, as in Guatemala, El Salvador
and Honduras): "US$3,641,600,000", "US$558.4 millones". Large amounts stay in millions
("US$1,050 millones"): "mil millones" is how Spain writes them, and reads oddly in the region.
The exact amount is always one step away: see `exact_and_compact`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from babel.numbers import format_compact_decimal, format_decimal
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from adelante.money.qualifiers import StatementQualifier, TotalQualifier

#: The CLDR locale of each language of the portal: Spanish as written in Latin America.
LOCALES = {"en": "en", "es": "es_419"}

MILLION = Decimal(1_000_000)


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "en").split("-")[0].split("_")[0]


def cldr_locale(language: str | None = None) -> str:
    """The CLDR locale for a language ("es" → "es_419"; default: the active language): every
    number, amount, percentage and rate of the portal, the reports and the command line is
    formatted in it."""
    code = _language(language)
    return LOCALES.get(code, code)


_locale = cldr_locale


def format_number(value: Decimal | int, language: str | None = None) -> str:
    """A number with the language's separators; cents shown only when there are any."""
    locale = _locale(language)
    whole = not isinstance(value, Decimal) or value == value.to_integral_value()
    return format_decimal(value, format="#,##0" if whole else "#,##0.00", locale=locale)


def format_rate(value: Decimal, language: str | None = None) -> str:
    """An exchange rate as stored, without trailing zeros ("7.8", "129.5")."""
    return format_decimal(value.normalize(), format="#,##0.##########", locale=_locale(language))


def format_usd(amount: Decimal, language: str | None = None, *, compact: bool = False) -> str:
    """US dollars: "US$4,200,000,000" / "4.200.000.000 US$", or compact "US$4.2 billion"."""
    code = _language(language)
    with translation.override(code):
        if compact and abs(amount) >= MILLION:
            number = in_millions(amount, code) if code == "es" else in_words(amount, code)
            # Translators: %(amount)s is a number in words, such as "4.2 billion".
            return pgettext("compact money", "US$%(amount)s") % {"amount": number}
        # Translators: %(amount)s is a formatted number; keep "US$" as the currency sign.
        return _("US$%(amount)s") % {"amount": format_number(amount, code)}


def in_words(amount: Decimal, language: str | None = None) -> str:
    """CLDR's long compact form: "4.2 billion"."""
    return format_compact_decimal(
        amount, format_type="long", locale=_locale(language), fraction_digits=1
    )


def in_millions(amount: Decimal, language: str | None = None) -> str:
    """An amount of a million or more in millions, one decimal at most: "558.4 millones",
    "1,050 millones", "1 millón" (the region's way; never "mil millones")."""
    millions = (Decimal(amount) / MILLION).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    if millions == millions.to_integral_value():
        millions = millions.quantize(Decimal(1))
    number = format_decimal(millions, format="#,##0.#", locale=_locale(language))
    with translation.override(_language(language)):
        # Translators: a number of millions, already formatted ("558.4", "1,050").
        return ngettext(
            "%(number)s million", "%(number)s millions", 1 if abs(millions) == 1 else 2
        ) % {"number": number}


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
