"""The calendar of reporting periods: when periods end and when their reports fall due.

Pure date arithmetic, shared by the workflow (reminders, the status light: `workflow.schedule`)
and the figures that judge reporting (`figures.silence`), so both count the same periods.
Periods end on the last day of calendar months whose number the interval divides (every six
months: 30 June and 31 December); the first one ends more than `due_after_days` after the
announcement (a few weeks are too short to report on).
"""

from __future__ import annotations

import calendar
import datetime


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def period_ends(
    announced_on: datetime.date,
    until: datetime.date,
    interval_months: int = 6,
    due_after_days: int = 90,
) -> list[datetime.date]:
    """Ends of the reporting periods after the announcement, up to `until` (inclusive)."""
    after = announced_on + datetime.timedelta(days=due_after_days)
    ends: list[datetime.date] = []
    year, month = after.year, after.month
    # The first month of the calendar whose number the interval divides, from `after` on.
    while month % interval_months:
        month += 1
    while True:
        if month > 12:
            year, month = year + 1, month - 12
        end = month_end(year, month)
        if end > until:
            return ends
        if end > after:
            ends.append(end)
        month += interval_months


def due_dates(
    announced_on: datetime.date,
    until: datetime.date,
    interval_months: int = 6,
    due_after_days: int = 90,
) -> list[tuple[datetime.date, datetime.date, datetime.date]]:
    """(start, end, due on) of each period ending by `until`, oldest first."""
    result = []
    start = announced_on
    due_after = datetime.timedelta(days=due_after_days)
    for end in period_ends(announced_on, until, interval_months, due_after_days):
        result.append((start, end, end + due_after))
        start = end + datetime.timedelta(days=1)
    return result
