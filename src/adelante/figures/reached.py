"""Invested and reached figures from verified progress (DOMAIN rule 3)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from adelante.catalogue.models import Metric
from adelante.figures.record import Record
from adelante.figures.results import Reached
from adelante.money.fields import ExactDecimalField
from adelante.progress.models import ReportStatus

USD_INVESTED = "usd_invested"


def reached(
    metric: str,
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    within: QuerySet[Any] | None = None,
) -> Reached:
    """A metric's value as of a date.

    Per commitment, the latest verified cumulative value with a period ending by the date (for
    a per-period metric, the sum of its verified values); then summed over commitments.
    `within`, a queryset of commitment ids, narrows the sum to those commitments (one
    partner's, one country's), so that a part is computed by the same rule as the whole.
    """
    record = Record(recorded_on)
    metric_id, accumulation = Metric.objects.values_list("id", "accumulation").get(code=metric)
    values = record.values().filter(metric_id=metric_id)
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
    result = values.aggregate(
        total=Coalesce(Sum("value"), Value(0), output_field=ExactDecimalField()),
        commitments=Count("commitment_id", distinct=True),
    )
    return Reached(metric, as_of, recorded_on, result["total"], result["commitments"])


def invested(
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    within: QuerySet[Any] | None = None,
) -> Reached:
    """US dollars invested as of a date, from verified progress (optionally `within` some
    commitments, as for `reached`)."""
    return reached(USD_INVESTED, as_of, recorded_on=recorded_on, within=within)


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
