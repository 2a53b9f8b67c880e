"""Dates typed by people in addresses (``?as_of=``): exactly YYYY-MM-DD, nothing else; and
dates given by sources as loosely as they were published (`parse_loose`: YYYY, YYYY-MM).

Python's ``date.fromisoformat`` also reads ``20230206`` and ``2023-W06-1``; pydantic's date
reads a number as seconds since 1970. A reader who wrote ``2023`` or ``2023-2-6`` meant
something else: every door refuses it with a message naming the parameter, never a guess.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

#: Year, month and day, four, two and two digits.
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> datetime.date | None:
    """The day `text` writes as YYYY-MM-DD (surrounding spaces aside), or None if it does not
    (another form, or no such day: 2023-02-30)."""
    text = text.strip()
    if not ISO_DAY.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


#: ISO 8601 reduced precision: a year, or a year and a month (a source's "in 2024").
ISO_YEAR = re.compile(r"[0-9]{4}")
ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True)
class LooseDate:
    """A date as precisely as a source gave it: `precision` is "day", "month" or "year"
    (the values of `commitments.choices.DatePrecision`)."""

    #: The last day of the period the source named: a loosely dated figure is true by the end
    #: of its month or year, so "as of" counts it from then.
    last_day: datetime.date
    precision: str


def parse_loose(text: str) -> LooseDate | None:
    """YYYY-MM-DD, YYYY-MM or YYYY (ISO 8601 full or reduced precision), or None for anything
    else (another form, no such day or month)."""
    text = text.strip()
    if ISO_YEAR.fullmatch(text):
        year = int(text)
        return LooseDate(datetime.date(year, 12, 31), "year") if year >= 1 else None
    month = ISO_MONTH.fullmatch(text)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        if year < 1 or not 1 <= number <= 12:
            return None
        return LooseDate(datetime.date(year, number, calendar.monthrange(year, number)[1]), "month")
    day = parse_day(text)
    return LooseDate(day, "day") if day is not None else None
