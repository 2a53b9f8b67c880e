"""Dates typed by people in addresses (``?as_of=``): exactly YYYY-MM-DD, nothing else.

Python's ``date.fromisoformat`` also reads ``20230206`` and ``2023-W06-1``; pydantic's date
reads a number as seconds since 1970. A reader who wrote ``2023`` or ``2023-2-6`` meant
something else: every door refuses it with a message naming the parameter, never a guess.
"""

from __future__ import annotations

import datetime
import re

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
