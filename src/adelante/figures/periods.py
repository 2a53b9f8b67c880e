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


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    year, index = divmod(year * 12 + month - 1 + months, 12)
    return year, index + 1


def end_after(day: datetime.date, interval_months: int) -> datetime.date:
    """The first period end of the calendar (the last day of a month whose number the
    interval divides) strictly after `day`. The interval divides twelve (1, 3, 6 or 12)."""
    year, month = day.year, day.month
    month += -month % interval_months
    end = month_end(year, month)
    if end > day:
        return end
    return month_end(*_shift(year, month, interval_months))


def end_by(day: datetime.date, interval_months: int) -> datetime.date:
    """The last period end of the calendar on or before `day` (the interval divides twelve)."""
    year, month = day.year, day.month
    if month % interval_months == 0 and month_end(year, month) <= day:
        return month_end(year, month)
    month -= month % interval_months or interval_months
    return month_end(*_shift(year, month, 0))


def next_due(
    announced_on: datetime.date,
    until: datetime.date,
    interval_months: int,
    due_after_days: int,
    after: datetime.date | None,
) -> datetime.date | None:
    """The first due date strictly after `after` (None: the first of all) among the periods
    of `due_dates(announced_on, until, …)`, without walking them; None if there is none."""
    due_after = datetime.timedelta(days=due_after_days)
    floor = announced_on + due_after
    if after is not None:
        floor = max(floor, after - due_after)
    end = end_after(floor, interval_months)
    return end + due_after if end <= until else None


def span_due_within(
    announced_on: datetime.date,
    until: datetime.date,
    interval_months: int,
    due_after_days: int,
    after: datetime.date,
    by: datetime.date,
) -> tuple[datetime.date, datetime.date] | None:
    """The days covered by the periods of `due_dates(announced_on, until, …)` that fall due
    strictly after `after` and on or before `by`: from the first one's start to the last one's
    end (periods follow each other without gaps), or None if none falls due then."""
    due_after = datetime.timedelta(days=due_after_days)
    opens = announced_on + due_after
    first = end_after(max(opens, after - due_after), interval_months)
    last = end_by(min(until, by - due_after), interval_months)
    if first > last:
        return None
    before = end_by(first - datetime.timedelta(days=1), interval_months)
    start = before + datetime.timedelta(days=1) if before > opens else announced_on
    return start, last
