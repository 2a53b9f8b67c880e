"""Dates the API reads, in one written form only: YYYY-MM-DD (ISO 8601's calendar date).

pydantic's own date type also reads a number as seconds since 1970 (``as_of=0`` was the first
of January 1970) and a date and time; a reader who wrote ``2023`` or ``2023-2-1`` meant
something else, so those are refused (422, naming the parameter), never guessed.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from adelante.isodates import ISO_DAY


def strict_day(value: Any) -> Any:
    """Let a date, or a text of exactly YYYY-MM-DD, through to pydantic's date (which then
    checks the day exists); refuse anything else."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        return value
    raise PydanticCustomError(
        "date_format",
        _("must be a date written YYYY-MM-DD, for example 2023-02-06"),
    )


#: A date given as YYYY-MM-DD (query parameters and request bodies).
IsoDate = Annotated[datetime.date, BeforeValidator(strict_day)]
