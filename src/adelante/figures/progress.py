"""Progress figures per commitment: reached by breakdown, targets, series and punctuality.

All follow DOMAIN rule 3 as `reached` does (per commitment, the latest verified cumulative
value with a period ending by the date; for a per-period metric, the sum of its verified
values) and read the record as it stood on `recorded_on` (rule 6). The rules for "on track",
"behind", "no report" and for punctuality are explained in docs/reports.md.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db.models import Min
from django.utils import timezone

from adelante.catalogue.models import Metric
from adelante.commitments.choices import Relation
from adelante.figures.committed import MULTI_COUNTRY, REGIONAL, UNCLASSIFIED, counted
from adelante.figures.reached import reached
from adelante.figures.record import Record
from adelante.figures.results import Reached
from adelante.progress.models import ReportStatus

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

ON_TRACK = "on_track"
BEHIND = "behind"
NO_REPORT = "no_report"

#: A commitment without an end date is judged over this many years from its start.
DEFAULT_HORIZON_YEARS = 3
#: A half-year's report is on time when it is submitted within this many days of the period end.
REPORTING_GRACE_DAYS = 90
#: Statuses that mean a report has been submitted (returned reports were submitted first).
SUBMITTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.VERIFIED)

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"


@dataclass(frozen=True)
class Point:
    """A commitment's verified value for a metric at the end of a reporting period."""

    commitment_id: int
    metric: str
    period_end: datetime.date
    value: Decimal


def verified_points(
    as_of: datetime.date,
    record: Record,
    *,
    metrics: Iterable[str] | None = None,
    commitment_ids: Any = None,
) -> list[Point]:
    """Every verified value with a period ending by the date, oldest first."""
    reports = record.reports().filter(status=ReportStatus.VERIFIED, period_end__lte=as_of)
    if commitment_ids is not None:
        reports = reports.filter(commitment_id__in=commitment_ids)
    periods = {
        r["id"]: (r["commitment_id"], r["period_end"])
        for r in reports.values("id", "commitment_id", "period_end")
    }
    codes = dict(Metric.objects.values_list("id", "code"))
    values = record.values().filter(report_id__in=reports.values("id"))
    if metrics is not None:
        wanted = set(metrics)
        values = values.filter(metric_id__in=[i for i, c in codes.items() if c in wanted])
    points = [
        Point(
            periods[v["report_id"]][0],
            codes[v["metric_id"]],
            periods[v["report_id"]][1],
            v["value"],
        )
        for v in values.values("report_id", "metric_id", "value")
        if v["report_id"] in periods
    ]
    points.sort(key=lambda p: (p.commitment_id, p.metric, p.period_end))
    return points


def _accumulations() -> dict[str, str]:
    return dict(Metric.objects.values_list("code", "accumulation"))


def values_by_commitment(
    points: Iterable[Point], metric: str, accumulation: str
) -> dict[int, Decimal]:
    """Per commitment, the latest value (cumulative metric) or the sum (per-period metric)."""
    result: dict[int, Decimal] = {}
    latest: dict[int, datetime.date] = {}
    for p in points:
        if p.metric != metric:
            continue
        if accumulation == Metric.Accumulation.CUMULATIVE:
            if p.commitment_id not in latest or p.period_end >= latest[p.commitment_id]:
                latest[p.commitment_id] = p.period_end
                result[p.commitment_id] = p.value
        else:
            result[p.commitment_id] = result.get(p.commitment_id, ZERO) + p.value
    return result


# --- Reached, broken down ---------------------------------------------------------------------

REACHED_DIMENSIONS = ("country", "kind", "focus")


@dataclass(frozen=True)
class ReachedRow:
    key: str
    value: Decimal
    commitments: int


@dataclass(frozen=True)
class ReachedBreakdown:
    """A metric's verified value as of a date by country, kind of money or focus area."""

    metric: str
    dimension: str
    as_of: datetime.date
    recorded_on: datetime.date | None
    rows: tuple[ReachedRow, ...]
    #: The metric's total (`reached`), or None where rows overlap (focus areas).
    total: Reached | None

    @property
    def overlapping(self) -> bool:
        return self.total is None


def reached_by(
    metric: str,
    dimension: str,
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
) -> ReachedBreakdown:
    """A metric's value as of a date, broken down by the commitments it was reported for.

    Progress values are not reported per country, so a commitment's value is never split: it
    counts in its country when the commitment names one, in "several countries" when it names
    several (even with shares), and in "the region" when it names none. The rows add up to
    `reached`. Focus areas overlap, so that breakdown has no total.
    """
    if dimension not in REACHED_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; choose from {REACHED_DIMENSIONS}")
    record = Record(recorded_on)
    accumulation = _accumulations()[metric]
    per_commitment = values_by_commitment(
        verified_points(as_of, record, metrics=[metric]), metric, accumulation
    )
    ids = list(per_commitment)
    keys: dict[int, list[str]] = defaultdict(list)
    if dimension == "kind":
        for c in record.commitments().filter(id__in=ids).values("id", "kind"):
            keys[c["id"]].append(c["kind"])
    elif dimension == "country":
        named: dict[int, list[str]] = defaultdict(list)
        for s in (
            record.country_shares().filter(commitment_id__in=ids).values("commitment_id", "country")
        ):
            named[s["commitment_id"]].append(s["country"])
        for cid in ids:
            countries = named.get(cid, [])
            keys[cid].append(
                countries[0] if len(countries) == 1 else MULTI_COUNTRY if countries else REGIONAL
            )
    else:
        for link in (
            record.focus_links()
            .filter(commitment_id__in=ids)
            .values("commitment_id", "focusarea__code")
        ):
            keys[link["commitment_id"]].append(link["focusarea__code"])
        for cid in ids:
            keys[cid] = keys.get(cid) or [UNCLASSIFIED]
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    counts: dict[str, int] = defaultdict(int)
    for cid, value in per_commitment.items():
        for key in keys.get(cid, ["unspecified"]):
            sums[key] += value
            counts[key] += 1
    special = {MULTI_COUNTRY: 1, REGIONAL: 2, UNCLASSIFIED: 3}
    order = sorted(sums, key=lambda k: (special.get(k, 0), k))
    rows = tuple(ReachedRow(k, sums[k], counts[k]) for k in order)
    total = None if dimension == "focus" else reached(metric, as_of, recorded_on=recorded_on)
    return ReachedBreakdown(metric, dimension, as_of, recorded_on, rows, total)


# --- Targets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetProgress:
    """A commitment's target beside its latest verified value and the pro-rated expectation."""

    reference: str
    partner: str
    partner_slug: str
    title: str
    metric: str
    target: Decimal
    by_date: datetime.date | None
    horizon_start: datetime.date
    horizon_end: datetime.date
    #: True when neither the target nor the commitment states an end date.
    horizon_assumed: bool
    #: The target pro-rated over the time elapsed by the date (to the cent).
    expected: Decimal
    #: The latest verified value by the date (sum for a per-period metric); None: no report.
    reported: Decimal | None
    reported_period_end: datetime.date | None
    status: str


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def expected_by(
    target: Decimal, start: datetime.date, end: datetime.date, as_of: datetime.date
) -> Decimal:
    """The target pro-rated over the horizon: target x elapsed / horizon, between 0 and 1."""
    if as_of >= end:
        return target.quantize(CENT, rounding=ROUND_HALF_EVEN)
    if as_of <= start:
        return ZERO
    elapsed = Decimal((as_of - start).days) / Decimal((end - start).days)
    return (target * elapsed).quantize(CENT, rounding=ROUND_HALF_EVEN)


def target_progress(
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    partner_id: int | None = None,
) -> tuple[TargetProgress, ...]:
    """Every target of a commitment that counts as of the date, judged on track, behind or
    with no report."""
    record = Record(recorded_on)
    commitments = counted(as_of, record)
    if partner_id is not None:
        commitments = commitments.filter(partner_id=partner_id)
    info = {
        c["id"]: c
        for c in commitments.values(
            "id", "reference", "partner_id", "title", "announced_on", "starts_on", "ends_on"
        )
    }
    targets = list(
        record.targets()
        .filter(commitment_id__in=commitments.values("id"))
        .values("commitment_id", "metric_id", "value", "by_date")
    )
    if not targets:
        return ()
    partners = {
        p["id"]: p
        for p in record.partners()
        .filter(id__in=commitments.values("partner_id"))
        .values("id", "name", "slug")
    }
    codes = dict(Metric.objects.values_list("id", "code"))
    accumulations = _accumulations()
    points = verified_points(as_of, record, commitment_ids=commitments.values("id"))
    rows = []
    for t in targets:
        c = info[t["commitment_id"]]
        metric = codes[t["metric_id"]]
        start = c["starts_on"] or c["announced_on"]
        end = t["by_date"] or c["ends_on"]
        assumed = end is None
        if end is None:
            end = _add_years(start, DEFAULT_HORIZON_YEARS)
        mine = [p for p in points if p.commitment_id == c["id"] and p.metric == metric]
        value = values_by_commitment(mine, metric, accumulations[metric]).get(c["id"])
        expected = expected_by(t["value"], start, end, as_of)
        if value is None:
            status = NO_REPORT
        elif value >= expected:
            status = ON_TRACK
        else:
            status = BEHIND
        partner = partners.get(c["partner_id"], {"name": "", "slug": ""})
        rows.append(
            TargetProgress(
                reference=c["reference"],
                partner=partner["name"],
                partner_slug=partner["slug"],
                title=c["title"],
                metric=metric,
                target=t["value"],
                by_date=t["by_date"],
                horizon_start=start,
                horizon_end=end,
                horizon_assumed=assumed,
                expected=expected,
                reported=value,
                reported_period_end=mine[-1].period_end if mine else None,
                status=status,
            )
        )
    rows.sort(key=lambda r: (r.partner.casefold(), r.reference, r.metric))
    return tuple(rows)


# --- A partner's progress over time -----------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoint:
    """A partner's value for a metric as of the end of a reporting period (all its
    commitments, by the rule of `reached`)."""

    metric: str
    period_end: datetime.date
    value: Decimal


def partner_series(
    partner_id: int, as_of: datetime.date, *, recorded_on: datetime.date | None = None
) -> tuple[SeriesPoint, ...]:
    """For each metric the partner reported, its value as of each verified period end."""
    record = Record(recorded_on)
    mine = record.commitments().filter(partner_id=partner_id).values("id")
    points = verified_points(as_of, record, commitment_ids=mine)
    accumulations = _accumulations()
    series = []
    for metric in sorted({p.metric for p in points}):
        ends = sorted({p.period_end for p in points if p.metric == metric})
        for end in ends:
            upto = [p for p in points if p.period_end <= end]
            total = sum(values_by_commitment(upto, metric, accumulations[metric]).values(), ZERO)
            series.append(SeriesPoint(metric, end, total))
    return tuple(series)


# --- Punctuality ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodReport:
    """One half-year a commitment was expected to report for."""

    period_end: datetime.date
    due_on: datetime.date
    #: The day its report was first submitted (from the history); None if never by the date.
    submitted_on: datetime.date | None
    status: str


@dataclass(frozen=True)
class Punctuality:
    reference: str
    title: str
    periods: tuple[PeriodReport, ...]

    @property
    def due(self) -> int:
        return len(self.periods)

    @property
    def on_time(self) -> int:
        return sum(1 for p in self.periods if p.status == ON_TIME)

    @property
    def late(self) -> int:
        return sum(1 for p in self.periods if p.status == LATE)

    @property
    def missing(self) -> int:
        return sum(1 for p in self.periods if p.status == MISSING)


def half_year_ends(after: datetime.date, until: datetime.date) -> list[datetime.date]:
    """Ends of the half-years (30 June, 31 December) after `after`, up to `until`."""
    ends: list[datetime.date] = []
    year = after.year
    while True:
        for end in (datetime.date(year, 6, 30), datetime.date(year, 12, 31)):
            if end > until:
                return ends
            if end > after:
                ends.append(end)
        year += 1


def _half_year_end(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 6, 30) if day.month <= 6 else datetime.date(day.year, 12, 31)


def punctuality(
    partner_id: int, as_of: datetime.date, *, recorded_on: datetime.date | None = None
) -> tuple[Punctuality, ...]:
    """For each of the partner's commitments, the half-years it was due to report for by the
    date, and whether it reported on time, late or not at all."""
    record = Record(recorded_on)
    # A restatement repeats an earlier pledge: that pledge's reports are the ones expected.
    commitments = (
        counted(as_of, record).filter(partner_id=partner_id).exclude(relation=Relation.RESTATEMENT)
    )
    rows = list(
        commitments.values("id", "reference", "title", "announced_on", "ends_on", "withdrawn_on")
    )
    reports = record.reports().filter(commitment_id__in=commitments.values("id"))
    submitted = {
        v["id"]: timezone.localtime(v["first"]).date()
        for v in record.report_versions()
        .filter(id__in=reports.values("id"), status__in=SUBMITTED_STATUSES)
        .values("id")
        .annotate(first=Min("history_date"))
        .order_by()
    }
    by_period: dict[tuple[int, datetime.date], datetime.date] = {}
    for r in reports.values("id", "commitment_id", "period_end"):
        day = submitted.get(r["id"])
        if day is None or day > as_of:
            continue
        key = (r["commitment_id"], _half_year_end(r["period_end"]))
        by_period[key] = min(day, by_period.get(key, day))
    grace = datetime.timedelta(days=REPORTING_GRACE_DAYS)
    result = []
    for c in sorted(rows, key=lambda c: (c["announced_on"], c["reference"])):
        # An ended or withdrawn commitment is expected to report up to its end only.
        last = min(d for d in (c["ends_on"], c["withdrawn_on"], as_of) if d is not None)
        periods = []
        # The first half-year is one that ends more than the grace period after the
        # announcement: a few weeks are too short to report on.
        for end in half_year_ends(c["announced_on"] + grace, last):
            due_on = end + grace
            day = by_period.get((c["id"], end))
            if due_on > as_of and day is None:
                continue  # not yet due
            status = MISSING if day is None else ON_TIME if day <= due_on else LATE
            periods.append(PeriodReport(end, due_on, day, status))
        result.append(Punctuality(c["reference"], c["title"], tuple(periods)))
    return tuple(result)
