"""Reporting periods, due and late states, and the public status light (docs/workflow.md).

A commitment reports for periods that end on the last day of calendar months (every six
months by default: 30 June and 31 December). The first period is the first one that ends more
than `due_after_days` after the announcement (a few weeks are too short to report on); it
starts on the announcement day, and each later period the day after the one before ends. A
report is due `due_after_days` after its period ends (90 by default). With the default
schedule these are exactly the half-years of the reports' punctuality (figures.progress).

A period counts as reported when a report whose period ends within it was submitted (it is
submitted, returned or verified: a returned report was reported, and is back with the partner
to correct). Restatements expect no reports (the earlier pledge reports); the light of an
ended or withdrawn commitment shows its periods up to its end, but only commitments that take
reports (`REPORTING_STATUSES`) are reminded or listed as late (`expecting`).

Only a commitment with a reporting schedule (`ReportingSchedule`: set when one is accepted
through the platform) owes reports. One without "does not report through the platform": its
light is neutral (`Light.NOT_REPORTING`), it is never reminded nor listed as late, and the
figures never count it silent (`figures.silence`). The calendar itself is `figures.periods`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet

from adelante.commitments.choices import PUBLISHED_STATUSES, REPORTING_STATUSES, Relation
from adelante.commitments.models import Commitment
from adelante.figures import periods as periods_calendar
from adelante.figures.periods import add_months
from adelante.figures.progress import REPORTING_GRACE_DAYS, SUBMITTED_STATUSES
from adelante.progress.models import ProgressReport
from adelante.workflow.models import ReportingSchedule

#: A report is "due soon" from this many days before its due date.
DUE_SOON_DAYS = 14
BATCH = 500


@dataclass(frozen=True)
class Plan:
    interval_months: int = 6
    due_after_days: int = REPORTING_GRACE_DAYS


DEFAULT_PLAN = Plan()


class State(StrEnum):
    """Where one period's report stands on a day."""

    REPORTED = "reported"
    #: Ended, not reported, due in more than DUE_SOON_DAYS days.
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


class Light(StrEnum):
    """The public status light of a commitment."""

    #: Restatements, and commitments not announced: nothing to report.
    NOT_EXPECTED = "not_expected"
    #: No reporting schedule: the commitment does not report through the platform (the
    #: shipped record's commitments, announced before it). Neutral, never a fault.
    NOT_REPORTING = "not_reporting"
    #: No report has fallen due yet.
    NOT_DUE_YET = "not_due_yet"
    ON_TIME = "on_time"
    #: The latest report that fell due is missing.
    LATE = "late"
    #: The two latest reports that fell due are missing.
    NO_REPORT_TWO_CYCLES = "no_report_two_cycles"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due_on: datetime.date

    def state(self, today: datetime.date, reported: bool) -> State:
        if reported:
            return State.REPORTED
        if today > self.due_on:
            return State.OVERDUE
        if (self.due_on - today).days <= DUE_SOON_DAYS:
            return State.DUE_SOON
        return State.OPEN


@dataclass(frozen=True)
class PeriodStatus:
    period: Period
    state: State
    #: The report for the period, if there is one (any status, drafts included).
    report_id: int | None


@dataclass(frozen=True)
class ReportingStatus:
    commitment_id: int
    plan: Plan
    #: Periods that have ended by the day, oldest first.
    periods: tuple[PeriodStatus, ...]
    light: Light

    @property
    def overdue(self) -> tuple[PeriodStatus, ...]:
        return tuple(p for p in self.periods if p.state == State.OVERDUE)

    @property
    def due_soon(self) -> tuple[PeriodStatus, ...]:
        return tuple(p for p in self.periods if p.state == State.DUE_SOON)

    @property
    def to_report(self) -> tuple[PeriodStatus, ...]:
        """Ended periods without a submitted report, oldest first."""
        return tuple(p for p in self.periods if p.state != State.REPORTED)


def period_ends(
    announced_on: datetime.date, until: datetime.date, plan: Plan = DEFAULT_PLAN
) -> list[datetime.date]:
    """Ends of the reporting periods after the announcement, up to `until` (inclusive)."""
    return periods_calendar.period_ends(
        announced_on, until, plan.interval_months, plan.due_after_days
    )


def periods(
    announced_on: datetime.date, until: datetime.date, plan: Plan = DEFAULT_PLAN
) -> list[Period]:
    """The periods that have ended by `until`, with their due dates."""
    result = []
    start = announced_on
    for end in period_ends(announced_on, until, plan):
        result.append(Period(start, end, end + datetime.timedelta(days=plan.due_after_days)))
        start = end + datetime.timedelta(days=1)
    return result


def next_period(announced_on: datetime.date, today: datetime.date, plan: Plan) -> Period:
    """The period running on `today` (not yet ended)."""
    ends = period_ends(announced_on, add_months(today, plan.interval_months + 1), plan)
    start = announced_on
    for end in ends:
        if end >= today:
            return Period(start, end, end + datetime.timedelta(days=plan.due_after_days))
        start = end + datetime.timedelta(days=1)
    raise AssertionError("a period always ends within one interval")  # pragma: no cover


def period_ending(commitment: Commitment, end: datetime.date) -> Period | None:
    """The commitment's reporting period that ends on `end`, ended or not (None if its
    schedule has no period ending that day, or it has no announcement date)."""
    if commitment.announced_on is None:
        return None
    try:
        found = periods(commitment.announced_on, end, plan_of(commitment))
    except (ValueError, OverflowError):  # beyond the calendar's last year
        return None
    return found[-1] if found and found[-1].end == end else None


def light_of(statuses: Iterable[PeriodStatus], today: datetime.date) -> Light:
    fallen_due = [p for p in statuses if p.period.due_on < today]
    if not fallen_due:
        return Light.NOT_DUE_YET
    if fallen_due[-1].state == State.REPORTED:
        return Light.ON_TIME
    if len(fallen_due) >= 2 and fallen_due[-2].state != State.REPORTED:
        return Light.NO_REPORT_TWO_CYCLES
    return Light.LATE


def _expects_reports(c: Commitment) -> bool:
    return (
        c.status in PUBLISHED_STATUSES
        and c.announced_on is not None
        and c.relation != Relation.RESTATEMENT
    )


def _last_day(c: Commitment, today: datetime.date) -> datetime.date:
    return min(d for d in (c.ends_on, c.withdrawn_on, today - datetime.timedelta(days=1)) if d)


def statuses(commitments: Iterable[Commitment], today: datetime.date) -> dict[int, ReportingStatus]:
    """Each commitment's reporting status on `today` (two queries per 500 commitments)."""
    rows = list(commitments)
    ids = [c.id for c in rows]
    plans: dict[int, Plan] = {}
    reports: dict[int, list[tuple[datetime.date, str, int]]] = defaultdict(list)
    # In batches: a long list of ids would pass the database's limit on query parameters.
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        for s in ReportingSchedule.objects.filter(commitment_id__in=batch):
            plans[s.commitment_id] = Plan(s.interval_months, s.due_after_days)
        for report_id, commitment_id, end, status in ProgressReport.objects.filter(
            commitment_id__in=batch
        ).values_list("id", "commitment_id", "period_end", "status"):
            reports[commitment_id].append((end, status, report_id))
    result = {}
    for c in rows:
        plan = plans.get(c.id, DEFAULT_PLAN)
        if not _expects_reports(c):
            result[c.id] = ReportingStatus(c.id, plan, (), Light.NOT_EXPECTED)
            continue
        if c.id not in plans:
            result[c.id] = ReportingStatus(c.id, plan, (), Light.NOT_REPORTING)
            continue
        assert c.announced_on is not None
        found = []
        for period in periods(c.announced_on, _last_day(c, today), plan):
            within = [r for r in reports[c.id] if period.start <= r[0] <= period.end]
            reported = any(status in SUBMITTED_STATUSES for _end, status, _id in within)
            latest = max((r[2] for r in within), default=None)
            found.append(PeriodStatus(period, period.state(today, reported), latest))
        result[c.id] = ReportingStatus(c.id, plan, tuple(found), light_of(found, today))
    return result


def status_of(commitment: Commitment, today: datetime.date) -> ReportingStatus:
    return statuses([commitment], today)[commitment.id]


def light(commitment: Commitment, today: datetime.date) -> Light:
    """The public status light of one commitment (the portal's include shows it)."""
    return status_of(commitment, today).light


def plan_of(commitment: Commitment) -> Plan:
    found = ReportingSchedule.objects.filter(commitment=commitment).first()
    return Plan(found.interval_months, found.due_after_days) if found else DEFAULT_PLAN


def expecting(partner_ids: Iterable[int] | None = None) -> QuerySet[Commitment]:
    """Commitments that take reports now (announced or in progress, not restatements): the ones
    reminded, listed as late or due. A completed or withdrawn one takes no new report, so no
    one is asked for it."""
    found = Commitment.objects.filter(
        status__in=REPORTING_STATUSES,
        announced_on__isnull=False,
        # Without a schedule it does not report through the platform: no one is chased.
        reporting_schedule__isnull=False,
    ).exclude(relation=Relation.RESTATEMENT)
    if partner_ids is not None:
        found = found.filter(partner_id__in=list(partner_ids))
    return found


def overdue_commitments(today: datetime.date) -> QuerySet[Commitment]:
    """Commitments with at least one overdue report on `today`."""
    found = statuses(expecting(), today)
    return Commitment.objects.filter(id__in=[i for i, s in found.items() if s.overdue])


def due_soon_commitments(today: datetime.date) -> QuerySet[Commitment]:
    found = statuses(expecting(), today)
    return Commitment.objects.filter(id__in=[i for i, s in found.items() if s.due_soon])
