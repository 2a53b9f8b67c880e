"""Amounts and counts as people type them, read one way everywhere (docs/workflow.md).

"2.500.000", "2,500,000", "2 500 000", "2,5 millones", "2.5 million", "US$ 2,5 millones" and
"USD 2500000.50" all read as the number meant. The rules, in order:

- A currency sign or code (`US$`, `U$S`, `USD`, `$`) before or after the number is noted
  (`Reading.dollars`) and set aside; a word for a multiple (thousand/mil, million/millón/
  millones/M/MM, billion/mil millones) after it multiplies. The Spanish "billón" (a million
  millions, but often meant as the English billion) is refused as ambiguous.
- Both marks in one number (`1.234.567,89`, `1,234,567.89`): the last one is the decimal mark,
  the other groups thousands, in groups of three.
- One mark written more than once (`2.500.000`): it groups thousands.
- One mark written once: followed by one or two digits (`2,5`, `2.50`) it is the decimal mark;
  by exactly three (`2.500`, `2,500`) it is the thousands separator when it is the one the
  site writes in the reader's language (CLDR's, `money.formatting.cldr_locale`: "," in English
  and in the region's Spanish, es-419), and otherwise the number could be read either way and
  is refused with both readings named. Amounts and counts never have three decimals.
- At most two decimals after the multiple is applied; no scientific notation.

A number that fits none of these is refused with a message that says how to write it: never
read as empty, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import get_group_symbol
from django.utils import translation
from django.utils.translation import gettext as _

from adelante.money.formatting import cldr_locale, format_number, format_usd

#: At most this many decimals in what is read (cents, or hundredths of a count).
PLACES = 2
#: At most this many digits in a number as written.
MAX_DIGITS = 20

_CURRENCY_BEFORE = re.compile(r"^(?:US\s?\$|U\$S|USD|\$)\s*", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"\s*(?:US\s?\$|U\$S|USD|\$)$", re.IGNORECASE)
#: Words for a multiple, without accents and in lower case, → the factor.
_MULTIPLES: dict[str, int] = {
    "k": 10**3,
    "thousand": 10**3,
    "mil": 10**3,
    "m": 10**6,
    "mm": 10**6,
    "mn": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "millon": 10**6,
    "millones": 10**6,
    "mill": 10**6,
    "bn": 10**9,
    "billion": 10**9,
    "billions": 10**9,
    "mil millones": 10**9,
    "millardo": 10**9,
    "millardos": 10**9,
}
_AMBIGUOUS_WORDS = {"billon", "billones"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER = re.compile(r"^([+-]?)(\d[\d.,]*)$")
_GROUPED = re.compile(r"^\d{1,3}(?:X\d{3})+$")


def _grouping(language: str) -> str:
    """The mark the site groups thousands with in this language (so what it shows reads back)."""
    return str(get_group_symbol(cldr_locale(language)))


class Unreadable(ValueError):
    """The text is not a number that can be read one way only; `message` says how to write it
    (in the active language)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Reading:
    """What was read: the number, and whether a US-dollar sign or code was written."""

    value: Decimal
    dollars: bool = False

    def echo(self, *, money: bool, language: str | None = None) -> str:
        """The number as it was read, in the reader's language: "US$2,500,000" for money in
        US dollars, "2,500,000" otherwise (counts, or an amount in its field's currency)."""
        if money:
            return format_usd(self.value, language)
        return format_number(self.value, language)


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "en").split("-")[0]


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def _split_multiple(text: str) -> tuple[str, int]:
    """The number's text and the factor of the word after it ("2,5 millones" → "2,5", 10^6)."""
    folded = _fold(text)
    match = re.match(r"^(.*?\d)\s*([a-z.][a-z. ]*)$", folded)
    if match is None:
        return text, 1
    word = match.group(2).strip().rstrip(".").strip()
    if word in _AMBIGUOUS_WORDS:
        raise Unreadable(
            _(
                "“%(text)s”: a “billón” is a million millions in Spanish but often meant as "
                "a thousand millions: write “mil millones” or the digits."
            )
            % {"text": text}
        )
    factor = _MULTIPLES.get(word)
    if factor is None:
        raise Unreadable(
            _("“%(text)s” is not a number: write digits, e.g. 2500000 or 2.5 million.")
            % {"text": text}
        )
    return text[: len(match.group(1))], factor


def _plain(digits: str, text: str, language: str) -> str:
    """The digits and marks as a plain decimal ("2.500.000" → "2500000", "2,5" → "2.5")."""
    marks = [c for c in digits if c in ".,"]
    if not marks:
        return digits
    wrong = _("“%(text)s” is not a number: write digits, e.g. 2500000 or 2.5 million.") % {
        "text": text
    }
    if len(set(marks)) == 2:
        decimal = marks[-1]
        group = "," if decimal == "." else "."
        whole, _sep, fraction = digits.rpartition(decimal)
        if decimal in whole or not _GROUPED.match(whole.replace(group, "X")):
            raise Unreadable(wrong)
        return f"{whole.replace(group, '')}.{fraction}"
    mark = marks[0]
    if len(marks) > 1:
        if not _GROUPED.match(digits.replace(mark, "X")):
            raise Unreadable(wrong)
        return digits.replace(mark, "")
    whole, _sep, fraction = digits.partition(mark)
    if not whole or not fraction:
        raise Unreadable(wrong)
    if len(fraction) != 3 or whole.startswith("0") or len(whole) > 3:
        # Not a group of thousands: a decimal mark (three decimals are refused below).
        return f"{whole}.{fraction}"
    grouping = _grouping(language)
    if mark == grouping:
        return whole + fraction
    as_decimal = whole + ("." if grouping == "," else ",") + fraction.rstrip("0")
    raise Unreadable(
        _(
            "“%(text)s” could be %(thousands)s or %(decimal)s: write it without the mark "
            "(%(plain)s) or with two decimals."
        )
        % {
            "text": text,
            "thousands": format_number(Decimal(whole + fraction), language),
            "decimal": as_decimal.rstrip(".,"),
            "plain": whole + fraction,
        }
    )


def read_number(text: str, language: str | None = None) -> Reading | None:
    """The number in `text`, or None for an empty text; `Unreadable` when it cannot be read
    one way only. `language`: the reader's (default: the active one), which decides a lone
    three-digit group ("2.500" in Spanish, "2,500" in English)."""
    stripped = text.strip()
    if not stripped:
        return None
    language = _language(language)
    body = _SPACES.sub(" ", stripped)
    dollars = False
    for pattern in (_CURRENCY_BEFORE, _CURRENCY_AFTER):
        found = pattern.search(body)
        if found:
            dollars = True
            body = (body[: found.start()] + body[found.end() :]).strip()
    body, factor = _split_multiple(body)
    # Spaces group thousands ("2 500 000") only between digits.
    compact = re.sub(r"(?<=\d) (?=\d{3}(?:\D|$))", "", body.strip())
    if re.search(r"\d[eE][+-]?\d", compact):
        raise Unreadable(
            _("“%(text)s” is in scientific notation: write the number with its digits.")
            % {"text": stripped}
        )
    match = _NUMBER.match(compact)
    if match is None:
        raise Unreadable(
            _("“%(text)s” is not a number: write digits, e.g. 2500000 or 2.5 million.")
            % {"text": stripped}
        )
    sign, digits = match.groups()
    if sum(c.isdigit() for c in digits) > MAX_DIGITS:
        # Far past any amount (and past what Decimal's context rounds exactly).
        raise Unreadable(_("The number is too large: check the number of digits."))
    try:
        value = Decimal(sign + _plain(digits, stripped, language)) * factor
    except InvalidOperation:  # pragma: no cover - the patterns only let numbers through
        raise Unreadable(_("“%(text)s” is not a number.") % {"text": stripped}) from None
    if value.adjusted() >= MAX_DIGITS:  # a multiple on a long number
        raise Unreadable(_("The number is too large: check the number of digits."))
    if value != value.quantize(Decimal(1).scaleb(-PLACES), rounding="ROUND_DOWN"):
        raise Unreadable(
            _("“%(text)s” has more than %(places)d decimals.")
            % {"text": stripped, "places": PLACES}
        )
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return Reading(value, dollars)
