"""Invested and reached figures from verified progress (DOMAIN rule 3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from adelante.catalogue.models import Metric
from adelante.figures.record import Record
from adelante.figures.results import Reached
from adelante.money.fields import ExactDecimalField
from adelante.progress.models import GRADES, ReportStatus, VerificationLevel

USD_INVESTED = "usd_invested"


@dataclass(frozen=True)
class Grade:
    """A minimum grade of evidence: the weakest verification level a value may have (the
    levels of `progress.models.GRADES`), and whether evidence files must be attached."""

    minimum: str = VerificationLevel.SELF_REPORTED
    with_evidence: bool = False

    def admits(self, level: str, evidence: bool) -> bool:
        return GRADES.index(level) >= GRADES.index(self.minimum) and (
            evidence or not self.with_evidence
        )


#: What "independently verified" means in a figure's "of which": the strongest grade.
INDEPENDENTLY_VERIFIED = Grade(VerificationLevel.INDEPENDENTLY_VERIFIED)


def _counted_values(
    metric: str,
    as_of: datetime.date,
    record: Record,
    within: QuerySet[Any] | None,
) -> QuerySet[Any]:
    """The values that count for a metric as of a date, one row each, with `commitment_id`,
    `value`, and the `level` and `evidence` of their report: per commitment, the latest
    verified cumulative value with a period ending by the date (for a per-period metric,
    every verified value)."""
    metric_id, accumulation = Metric.objects.values_list("id", "accumulation").get(code=metric)
    values: QuerySet[Any] = record.values().filter(metric_id=metric_id)
    if record.recorded_on is None:
        # Live rows: filter through the join that also brings the commitment and period.
        values = values.filter(report__status=ReportStatus.VERIFIED, report__period_end__lte=as_of)
        if within is not None:
            values = values.filter(report__commitment_id__in=within)
    else:
        reports = record.reports().filter(status=ReportStatus.VERIFIED, period_end__lte=as_of)
        if within is not None:
            reports = reports.filter(commitment_id__in=within)
        values = values.filter(report_id__in=reports.values("id"))
    values = values.annotate(commitment_id=_report_attr(record, "commitment_id"))
    if accumulation == Metric.Accumulation.CUMULATIVE:
        # The value of the latest period per commitment: one pass with a window function,
        # not a correlated subquery per value.
        values = values.annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("commitment_id"),
                order_by=_report_attr(record, "period_end").desc(),
            )
        ).filter(rank=1)
    return values


def reached(
    metric: str,
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    within: QuerySet[Any] | None = None,
    grade: Grade | None = None,
) -> Reached:
    """A metric's value as of a date.

    Per commitment, the latest verified cumulative value with a period ending by the date (for
    a per-period metric, the sum of its verified values); then summed over commitments.
    `within`, a queryset of commitment ids, narrows the sum to those commitments (one
    partner's, one country's), so that a part is computed by the same rule as the whole.
    With a `grade`, only the counted values whose report meets it: the part of the figure
    that has at least that grade of evidence (never more than the figure itself).
    """
    if grade is not None:
        return graded(metric, as_of, recorded_on=recorded_on, within=within).at(grade)
    values = _counted_values(metric, as_of, Record(recorded_on), within)
    result = values.aggregate(
        total=Coalesce(Sum("value"), Value(0), output_field=ExactDecimalField()),
        commitments=Count("commitment_id", distinct=True),
    )
    return Reached(metric, as_of, recorded_on, result["total"], result["commitments"])


@dataclass(frozen=True)
class GradedValue:
    """One counted value and the grade of its report."""

    commitment_id: int
    value: Decimal
    level: str
    evidence: bool


@dataclass(frozen=True)
class Graded:
    """A metric's figure with the grade of evidence of each value it counts."""

    metric: str
    as_of: datetime.date
    recorded_on: datetime.date | None
    values: tuple[GradedValue, ...]

    def at(self, grade: Grade) -> Reached:
        """The part of the figure whose values meet the grade."""
        kept = [v for v in self.values if grade.admits(v.level, v.evidence)]
        total = sum((v.value for v in kept), Decimal("0.00"))
        return Reached(
            self.metric,
            self.as_of,
            self.recorded_on,
            total,
            len({v.commitment_id for v in kept}),
        )

    @property
    def total(self) -> Reached:
        return self.at(Grade())


def graded(
    metric: str,
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    within: QuerySet[Any] | None = None,
) -> Graded:
    """A metric's figure as `reached` computes it, with the grade of each counted value, so
    that the figure can be given at every grade ("US$X invested, of which US$Y independently
    verified")."""
    record = Record(recorded_on)
    values = _counted_values(metric, as_of, record, within).annotate(
        level=_report_attr(record, "verification_level"),
        evidence=_report_attr(record, "evidence_attached"),
    )
    rows = tuple(
        GradedValue(v["commitment_id"], v["value"], v["level"], bool(v["evidence"]))
        for v in values.values("commitment_id", "value", "level", "evidence")
    )
    return Graded(metric, as_of, recorded_on, rows)


def invested(
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    within: QuerySet[Any] | None = None,
    grade: Grade | None = None,
) -> Reached:
    """US dollars invested as of a date, from verified progress (optionally `within` some
    commitments, and at a minimum `grade`, as for `reached`)."""
    return reached(USD_INVESTED, as_of, recorded_on=recorded_on, within=within, grade=grade)


def reached_all(
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    within: QuerySet[Any] | None = None,
) -> tuple[Reached, ...]:
    """Every catalogue metric (but US$ invested) with a verified value by the date."""
    figures = (
        reached(code, as_of, recorded_on=recorded_on, within=within)
        for code in Metric.objects.exclude(code=USD_INVESTED).values_list("code", flat=True)
    )
    return tuple(figure for figure in figures if figure.commitments)


def _report_attr(record: Record, name: str) -> Any:
    if record.recorded_on is None:
        return F(f"report__{name}")
    return Subquery(record.reports().filter(id=OuterRef("report_id")).values(name)[:1])
