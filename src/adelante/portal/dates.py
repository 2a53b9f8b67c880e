"""The date a page shows the record as of (`?as_of=`), and optionally as recorded on
(`?recorded_on=`): parsed, checked and explained to the reader (DOMAIN rules 2 and 6)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from adelante.isodates import parse_day
from adelante.portal.problems import BadParameters

#: Nothing the partnership records is older; earlier dates are typing mistakes.
EARLIEST = datetime.date(2000, 1, 1)


@dataclass(frozen=True)
class ViewDate:
    """The day whose figures a page shows."""

    as_of: datetime.date
    today: datetime.date
    #: As recorded on this day (figures as they were published then), or the live record.
    recorded_on: datetime.date | None = None
    #: A date in the future was asked for and brought back to today.
    clamped: bool = False

    @property
    def past(self) -> bool:
        return self.as_of < self.today or self.recorded_on is not None

    def query(self) -> dict[str, str]:
        """The parameters that reproduce this view (empty for today's)."""
        params = {}
        if self.as_of != self.today:
            params["as_of"] = self.as_of.isoformat()
        if self.recorded_on is not None:
            params["recorded_on"] = self.recorded_on.isoformat()
        return params


def _day(name: str, text: str, today: datetime.date) -> tuple[datetime.date, bool]:
    text = text.strip()
    day = parse_day(text)
    if day is None:
        raise BadParameters(
            [
                _("“%(value)s” is not a date. Write it as year-month-day, for example %(example)s.")
                % {"value": text[:40], "example": "2022-06-07"}
            ],
            drop=[name],
        )
    if day < EARLIEST:
        raise BadParameters(
            [
                _("%(day)s is too early: the record starts in %(year)s.")
                % {"day": day.isoformat(), "year": EARLIEST.year}
            ],
            drop=[name],
        )
    if day > today:
        return today, True
    return day, False


def view_date(params: Mapping[str, str]) -> ViewDate:
    """Read `as_of` and `recorded_on`; empty means today. A future date becomes today
    (`clamped`); a malformed or too early date is a `BadParameters`."""
    today = timezone.localdate()
    as_of, clamped = today, False
    recorded_on = None
    problems: list[str] = []
    drop: list[str] = []
    # Both dates are read before any problem is reported, so the 400 page names every one.
    if params.get("as_of", "").strip():
        try:
            as_of, clamped = _day("as_of", params["as_of"], today)
        except BadParameters as problem:
            problems += problem.problems
            drop += problem.drop
    if params.get("recorded_on", "").strip():
        try:
            recorded_on, late = _day("recorded_on", params["recorded_on"], today)
        except BadParameters as problem:
            problems += problem.problems
            drop += problem.drop
        else:
            # "As recorded today" is the live record.
            if recorded_on == today:
                recorded_on = None
            clamped = clamped or late
    if problems:
        raise BadParameters(problems, drop=drop)
    return ViewDate(as_of=as_of, today=today, recorded_on=recorded_on, clamped=clamped)
