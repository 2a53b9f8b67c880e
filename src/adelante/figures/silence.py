"""The silence rule and the reporting rate (issue 13; docs/figures.md, "Silence").

A commitment has a *reporting obligation* when it has a reporting schedule (the workflow sets
one when a commitment is accepted through the platform); one without is "not reporting
through the platform", which is neutral, never a fault. Restatements report through the
pledge they repeat, so they have none.

A commitment with an obligation is *silent* from the day `ADELANTE_SILENCE_MONTHS` (24 by
default) after a report fell due with no verified report since: counting from its last
verified report (dated by the day it was verified, from the history), the next report due
after that day sets the clock. It stays in "committed", counted apart ("of which US$Z
silent"). A new verified report makes it active again on the day it is verified.

The *reporting rate* as of D: of the commitments with an obligation that had a report fall
due in the twelve months up to D, the share that submitted a report for such a period by D.

Everything reads the record as it stood on `recorded_on` (rule 6): the schedules, the
reports and the days they were verified or submitted.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from adelante.commitments.choices import Relation
from adelante.figures.periods import add_months, due_dates, next_due, span_due_within
from adelante.figures.progress import SUBMITTED_STATUSES
from adelante.figures.record import Record, end_of_day
from adelante.progress.models import ReportStatus

DEFAULT_SILENCE_MONTHS = 24
#: The reporting rate looks back this many months.
RATE_WINDOW_MONTHS = 12


def silence_months() -> int:
    return int(getattr(settings, "ADELANTE_SILENCE_MONTHS", DEFAULT_SILENCE_MONTHS))


@dataclass(frozen=True)
class Episode:
    """A time a commitment was silent: from `start` until `end` (None: still silent)."""

    start: datetime.date
    end: datetime.date | None


@dataclass(frozen=True)
class ReportingState:
    commitment_id: int
    #: False: "not reporting through the platform" (no schedule, or a restatement).
    obligation: bool
    #: The day it went silent, if it is silent as of the date.
    silent_since: datetime.date | None
    #: The last day a verified report ended a silence (active again), if any by the date.
    active_again_on: datetime.date | None
    episodes: tuple[Episode, ...] = ()

    @property
    def silent(self) -> bool:
        return self.silent_since is not None


@dataclass
class _Obliged:
    announced_on: datetime.date
    last_day: datetime.date
    interval_months: int
    due_after_days: int

    @cached_property
    def periods(self) -> list[tuple[datetime.date, datetime.date, datetime.date]]:
        """(start, end, due on) of each period ending by the last day (computed once: the
        silence, the rate and the record of periods all walk them)."""
        return due_dates(
            self.announced_on, self.last_day, self.interval_months, self.due_after_days
        )


def _obliged(
    commitments: QuerySet[Any], as_of: datetime.date, record: Record
) -> dict[int, _Obliged]:
    """The commitments (of those given) with a reporting obligation, with their calendar."""
    plans = {
        s["commitment_id"]: (s["interval_months"], s["due_after_days"])
        for s in record.schedules()
        .filter(commitment_id__in=commitments.values("id"))
        .values("commitment_id", "interval_months", "due_after_days")
    }
    found = {}
    rows = (
        commitments.exclude(relation=Relation.RESTATEMENT)
        .order_by()
        .values("id", "announced_on", "ends_on", "withdrawn_on")
    )
    for c in rows:
        plan = plans.get(c["id"])
        if plan is None or c["announced_on"] is None:
            continue
        # An ended or withdrawn commitment owes reports up to its end only.
        last = min(d for d in (c["ends_on"], c["withdrawn_on"], as_of) if d is not None)
        found[c["id"]] = _Obliged(c["announced_on"], last, plan[0], plan[1])
    return found


@dataclass(frozen=True)
class _Facts:
    """What the rules read, gathered once: the obligations, and per commitment the days its
    reports were first verified and (period end, day first submitted) of each report."""

    obliged: dict[int, _Obliged]
    verified: dict[int, list[datetime.date]]
    submitted: dict[int, list[tuple[datetime.date, datetime.date]]]


def _facts(commitments: QuerySet[Any], as_of: datetime.date, record: Record) -> _Facts:
    obliged = _obliged(commitments, as_of, record)
    scheduled = record.schedules().values("commitment_id")
    reports = record.reports().filter(
        commitment_id__in=commitments.filter(id__in=scheduled).values("id")
    )
    # One pass over the history: the first moment each report was handed in (submitted,
    # returned or verified) and the first moment it was verified.
    tz = timezone.get_current_timezone()
    firsts: dict[int, tuple[datetime.date, datetime.date | None]] = {}
    for report_id, handed, verified_at in (
        record.report_versions()
        .filter(id__in=reports.values("id"), status__in=list(SUBMITTED_STATUSES))
        .values("id")
        .annotate(
            handed=Min("history_date"),
            verified=Min("history_date", filter=Q(status=ReportStatus.VERIFIED)),
        )
        .values_list("id", "handed", "verified")
        .order_by()
    ):
        # astimezone: what timezone.localtime does, without its checks on every row.
        firsts[report_id] = (
            handed.astimezone(tz).date(),
            verified_at.astimezone(tz).date() if verified_at is not None else None,
        )
    verified: dict[int, list[datetime.date]] = defaultdict(list)
    submitted: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for report_id, commitment_id, period_end in reports.values_list(
        "id", "commitment_id", "period_end"
    ):
        if commitment_id not in obliged or report_id not in firsts:
            continue
        handed_on, verified_on = firsts[report_id]
        if verified_on is not None and verified_on <= as_of:
            verified[commitment_id].append(verified_on)
        if handed_on <= as_of:
            submitted[commitment_id].append((period_end, handed_on))
    return _Facts(obliged, verified, submitted)


def reporting_states(
    commitments: QuerySet[Any], as_of: datetime.date, record: Record
) -> dict[int, ReportingState]:
    """Each commitment's obligation and silence as of the date (`commitments`: a queryset
    of commitment rows of `record`)."""
    return _states(commitments, as_of, _facts(commitments, as_of, record))


def _states(
    commitments: QuerySet[Any], as_of: datetime.date, facts: _Facts
) -> dict[int, ReportingState]:
    months = silence_months()
    result = {}
    for c in commitments.values_list("id", flat=True):
        plan = facts.obliged.get(c)
        if plan is None:
            result[c] = ReportingState(c, False, None, None)
            continue
        result[c] = _state(c, plan, sorted(facts.verified[c]), as_of, months)
    return result


def _state(
    commitment_id: int,
    plan: _Obliged,
    heard: list[datetime.date],
    as_of: datetime.date,
    months: int,
) -> ReportingState:
    dues = [due for _start, _end, due in plan.periods]

    def silent_from(last: datetime.date | None) -> datetime.date | None:
        """When silence begins after hearing on `last` (None: never heard)."""
        nxt = next((d for d in dues if last is None or d > last), None)
        return add_months(nxt, months) if nxt is not None else None

    episodes: list[Episode] = []
    begins = silent_from(None)
    for day in heard:
        if begins is not None and begins <= day:
            episodes.append(Episode(begins, day))
        begins = silent_from(day)
    silent_since = begins if begins is not None and begins <= as_of else None
    if silent_since is not None:
        episodes.append(Episode(silent_since, None))
    ended = [e.end for e in episodes if e.end is not None]
    return ReportingState(
        commitment_id,
        True,
        silent_since,
        ended[-1] if ended else None,
        tuple(episodes),
    )


@dataclass(frozen=True)
class ReportingRate:
    as_of: datetime.date
    recorded_on: datetime.date | None
    #: Commitments with an obligation that had a report fall due in the last twelve months.
    due: int
    #: Of those, the ones that submitted a report for such a period by the date.
    reported: int

    @property
    def rate(self) -> Decimal | None:
        """The share that reported, as a percentage with one decimal (None: none was due)."""
        if not self.due:
            return None
        return (Decimal(self.reported) * 100 / self.due).quantize(Decimal("0.1"))


def reporting_rate(
    commitments: QuerySet[Any],
    as_of: datetime.date,
    record: Record,
) -> ReportingRate:
    """The reporting rate as of the date among `commitments` (rows of `record`)."""
    return _rate(as_of, record.recorded_on, _facts(commitments, as_of, record))


def reporting(
    commitments: QuerySet[Any], as_of: datetime.date, record: Record
) -> tuple[dict[int, ReportingState], ReportingRate]:
    """`reporting_states` and `reporting_rate` together, reading the record once."""
    facts = _facts(commitments, as_of, record)
    return _states(commitments, as_of, facts), _rate(as_of, record.recorded_on, facts)


@dataclass(frozen=True)
class ReportingSummary:
    """What the delivery ladder shows of reporting: the same as `reporting` gives (the
    commitments with an obligation, the silent ones, the rate), read more cheaply."""

    with_obligation: int
    silent: frozenset[int]
    rate: ReportingRate


def summary(commitments: QuerySet[Any], as_of: datetime.date, record: Record) -> ReportingSummary:
    """The obligations, the silent commitments and the reporting rate as of the date among
    `commitments` (rows of `record`): what `reporting` gives, without the episodes.

    Silence as of the date depends only on the last day a report was verified by then, and
    the rate only on whether a report handed in by then covers the days of the periods due in
    the window (they follow each other without gaps, so one span). So the database gives,
    per commitment, the moment of its last first verification before the date ends (one
    datetime each, turned into a local date here), and the period ends of the reports handed
    in before the date ends that could fall in a window; "before the date ends" is compared
    as a moment (`record.end_of_day`), which is the same as comparing the local date. No
    history row is converted in Python, and no period is walked.
    """
    obliged = _obliged(commitments, as_of, record)
    months = silence_months()
    if not obliged:
        return ReportingSummary(0, frozenset(), ReportingRate(as_of, record.recorded_on, 0, 0))
    scheduled = record.schedules().values("commitment_id")
    reports = record.reports().filter(
        commitment_id__in=commitments.filter(id__in=scheduled).values("id")
    )
    before = record.report_versions().filter(history_date__lt=end_of_day(as_of))
    first_verified = (
        before.filter(id=OuterRef("id"), status=ReportStatus.VERIFIED)
        .order_by()
        .values("id")
        .annotate(first=Min("history_date"))
        .values("first")
    )
    tz = timezone.get_current_timezone()
    last_heard: dict[int, datetime.date] = {
        commitment_id: last.astimezone(tz).date()
        for commitment_id, last in reports.annotate(first=Subquery(first_verified))
        .order_by()
        .values("commitment_id")
        .annotate(last=Max("first"))
        .values_list("commitment_id", "last")
        if last is not None
    }
    silent = set()
    windows: dict[int, tuple[datetime.date, datetime.date]] = {}
    window_start = add_months(as_of, -RATE_WINDOW_MONTHS)
    for c, plan in obliged.items():
        calendar = (plan.announced_on, plan.last_day, plan.interval_months, plan.due_after_days)
        due = next_due(*calendar, last_heard.get(c))
        if due is not None and add_months(due, months) <= as_of:
            silent.add(c)
        span = span_due_within(*calendar, window_start, as_of)
        if span is not None:
            windows[c] = span
    reported: set[int] = set()
    if windows:
        handed = before.filter(id=OuterRef("id"), status__in=list(SUBMITTED_STATUSES))
        ends = (
            reports.filter(
                period_end__gte=min(lo for lo, _hi in windows.values()),
                period_end__lte=max(hi for _lo, hi in windows.values()),
            )
            .filter(Exists(handed))
            .order_by()
            .values_list("commitment_id", "period_end")
            .distinct()
        )
        for c, end in ends:
            span = windows.get(c)
            if span is not None and span[0] <= end <= span[1]:
                reported.add(c)
    rate = ReportingRate(as_of, record.recorded_on, len(windows), len(reported))
    return ReportingSummary(len(obliged), frozenset(silent), rate)


def _rate(as_of: datetime.date, recorded_on: datetime.date | None, facts: _Facts) -> ReportingRate:
    window_start = add_months(as_of, -RATE_WINDOW_MONTHS)
    due = reported = 0
    for c, plan in facts.obliged.items():
        periods = [
            (start, end) for start, end, due_on in plan.periods if window_start < due_on <= as_of
        ]
        if not periods:
            continue
        due += 1
        ends = [e for e, _day in facts.submitted[c]]
        if any(start <= e <= end for start, end in periods for e in ends):
            reported += 1
    return ReportingRate(as_of, recorded_on, due, reported)


ON_TIME = "on_time"
LATE = "late"
#: Fell due, no report yet, not yet silent.
MISSING = "missing"
#: Fell due and no report for the silence time (`ADELANTE_SILENCE_MONTHS`) since.
SILENT = "silent"


@dataclass(frozen=True)
class CommitmentPeriods:
    commitment_id: int
    reference: str
    title: str
    #: The state of each period that fell due by the date, oldest first: (period end, state).
    periods: tuple[tuple[datetime.date, str], ...]
    state: ReportingState

    def count(self, status: str) -> int:
        return sum(1 for _end, s in self.periods if s == status)


def period_record(
    commitments: QuerySet[Any], as_of: datetime.date, record: Record
) -> tuple[CommitmentPeriods, ...]:
    """For each commitment with a reporting obligation, every period that fell due by the
    date: reported on time (submitted by its due date), late (submitted after), missing, or
    silent (no report for the silence time after it fell due). The partner page's record."""
    facts = _facts(commitments, as_of, record)
    obliged = facts.obliged
    states = _states(commitments.filter(id__in=list(obliged)), as_of, facts)
    submissions = facts.submitted
    months = silence_months()
    rows = commitments.filter(id__in=list(obliged)).order_by("announced_on", "reference")
    result = []
    for c in rows.values("id", "reference", "title"):
        plan = obliged[c["id"]]
        state = states[c["id"]]
        found = []
        for start, end, due_on in plan.periods:
            if due_on > as_of:
                continue
            days = [d for e, d in submissions[c["id"]] if start <= e <= end]
            if days:
                found.append((end, ON_TIME if min(days) <= due_on else LATE))
            elif add_months(due_on, months) <= as_of:
                found.append((end, SILENT))
            else:
                found.append((end, MISSING))
        result.append(CommitmentPeriods(c["id"], c["reference"], c["title"], tuple(found), state))
    return tuple(result)
