"""A report's values as people read them, for the partner's review step and the reviewer's
page: each metric with its readable breakdowns ("Guatemala 120; Women 80", not
"country GT"), its target, the last verified value and, after a return, what changed."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from adelante.catalogue.models import Metric
from adelante.initiatives.countries import country_name
from adelante.progress.models import BreakdownDimension, ProgressReport, Sex
from adelante.workflow import reporting


@dataclass(frozen=True)
class Part:
    dimension: str
    key: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Line:
    metric: str
    name: str
    value: Decimal
    unit: str
    parts: list[Part]
    target: Decimal | None
    target_by: datetime.date | None
    last: tuple[Decimal, datetime.date] | None
    decrease_reason: str
    #: The value when the report was returned (None: unchanged, or never returned).
    before: Decimal | None = None
    parts_before: list[Part] = field(default_factory=list)

    @property
    def lower(self) -> bool:
        return self.last is not None and self.value < self.last[0]

    @property
    def changed(self) -> bool:
        return self.before is not None

    def sums(self) -> list[tuple[str, Decimal, Decimal]]:
        """(breakdown label, sum of its parts, difference from the total) per breakdown."""
        found: dict[str, Decimal] = {}
        for part in self.parts:
            found[part.dimension] = found.get(part.dimension, Decimal(0)) + part.amount
        return [
            (str(BreakdownDimension(d).label), total, total - self.value)
            for d, total in found.items()
        ]


def part_label(dimension: str, key: str) -> str:
    """A part of a breakdown as people read it: "Guatemala", "Women"."""
    if dimension == BreakdownDimension.COUNTRY:
        return country_name(key)
    label = str(dict(Sex.choices).get(key, key))
    return label[:1].upper() + label[1:]


def lines_of(
    report: ProgressReport,
    values: Sequence[reporting.ValueInput] | None = None,
    returned: Sequence[reporting.ValueInput] | None = None,
) -> list[Line]:
    """The report's values (stored ones unless given), in the order of its metrics: the
    commitment's targets first. `returned`: the values when it was last returned, to diff."""
    values = reporting.stored_values(report) if values is None else values
    metrics = {m.code: m for m in Metric.objects.all()}
    targets = {t.metric.code: t for t in report.commitment.targets.select_related("metric")}
    previous = reporting.last_verified(report.commitment, report.period_end)
    earlier = {v.metric: v for v in returned or []}
    lines = []
    for item in values:
        metric = metrics.get(item.metric)
        target = targets.get(item.metric)
        old = earlier.get(item.metric)
        changed = returned is not None and (
            old is None or old.value != item.value or dict(old.breakdowns) != dict(item.breakdowns)
        )
        lines.append(
            Line(
                metric=item.metric,
                name=metric.name if metric else item.metric,
                value=item.value,
                unit=metric.unit if metric else "",
                parts=[
                    Part(d, k, part_label(d, k), amount)
                    for (d, k), amount in sorted(item.breakdowns.items())
                ],
                target=target.value if target else None,
                target_by=target.by_date if target else None,
                last=previous.get(item.metric),
                decrease_reason=item.decrease_reason,
                before=(old.value if old else Decimal(0)) if changed else None,
                parts_before=[
                    Part(d, k, part_label(d, k), amount)
                    for (d, k), amount in sorted(old.breakdowns.items())
                ]
                if changed and old
                else [],
            )
        )
    lines.sort(key=lambda line: (line.metric not in targets, line.metric))
    return lines
