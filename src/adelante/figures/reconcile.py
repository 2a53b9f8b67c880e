"""Each official statement beside the figure the record backs, and the gap (DOMAIN rule 5)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, QuerySet

from adelante.catalogue.models import Metric
from adelante.commitments.choices import StatementFigure
from adelante.commitments.models import NEW_MONEY_Q, announced_by_q
from adelante.figures.audience import Audience
from adelante.figures.committed import _amount_aggregates, _qualifier, committed
from adelante.figures.reached import invested, reached
from adelante.figures.record import Record
from adelante.figures.results import Reconciliation
from adelante.money.qualifiers import TotalQualifier


def reconcile(
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    audience: Audience = Audience.PUBLIC,
) -> tuple[Reconciliation, ...]:
    """Every official statement made by the date, each beside the record's figure for the
    statement's own date (public: without confidential amounts)."""
    record = Record(recorded_on)
    return _reconciled(record.statements().filter(stated_on__lte=as_of), record, audience)


def reconcile_on(
    day: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    audience: Audience = Audience.PUBLIC,
) -> tuple[Reconciliation, ...]:
    """The statements made on one day (a round's fact sheet), each beside the record's figure."""
    record = Record(recorded_on)
    return _reconciled(record.statements().filter(stated_on=day), record, audience)


def latest_reconciled(
    figure: str,
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    audience: Audience = Audience.PUBLIC,
) -> tuple[Reconciliation, ...]:
    """The latest statements of one figure made by the date (several when sources published
    different values that day), each beside the record's figure: the headline comparison."""
    record = Record(recorded_on)
    of_figure = record.statements().filter(figure=figure, stated_on__lte=as_of)
    latest = of_figure.order_by("-stated_on").values_list("stated_on", flat=True).first()
    if latest is None:
        return ()
    return _reconciled(of_figure.filter(stated_on=latest), record, audience)


def _reconciled(
    statements: QuerySet[Any], record: Record, audience: Audience
) -> tuple[Reconciliation, ...]:
    metric_codes = dict(Metric.objects.values_list("id", "code"))
    rows = []
    for statement in statements.order_by("stated_on", "metric", "source_url").values():
        computed = _computed(
            statement["figure"],
            statement["stated_on"],
            metric_codes.get(statement["reached_metric_id"]),
            record,
            audience,
        )
        rows.append(
            Reconciliation(
                statement_id=statement["id"],
                stated_on=statement["stated_on"],
                metric=statement["metric"],
                stated_value=statement["value"],
                stated_qualifier=statement["qualifier"],
                unit=statement["unit"],
                source_url=statement["source_url"],
                figure=statement["figure"],
                computed_value=computed[0] if computed else None,
                computed_qualifier=computed[1] if computed else None,
                computed_confidential=computed[2] if computed else 0,
                date_precision=statement["date_precision"],
            )
        )
    return tuple(rows)


def _computed(
    figure: str, day: datetime.date, metric: str | None, record: Record, audience: Audience
) -> tuple[Decimal, TotalQualifier, int] | None:
    """The record's figure, its qualifier and the confidential amounts behind it (public:
    left out of it)."""
    recorded_on = record.recorded_on
    exact = TotalQualifier.EXACT
    if figure == StatementFigure.COMMITTED_USD:
        total = committed(day, recorded_on=recorded_on, audience=audience)
        return total.amount_usd, total.qualifier, total.commitments_confidential
    if figure == StatementFigure.PARTNERS:
        return Decimal(committed(day, recorded_on=recorded_on).partners), exact, 0
    if figure == StatementFigure.INVESTED_USD:
        return invested(day, recorded_on=recorded_on).value, exact, 0
    if figure == StatementFigure.REACHED and metric:
        return reached(metric, day, recorded_on=recorded_on).value, exact, 0
    if figure == StatementFigure.ROUND_COMMITTED_USD:
        return announced_on(day, record, audience)
    if figure == StatementFigure.ROUND_NEW_PARTNERS:
        return Decimal(new_partners_on(day, record)), exact, 0
    return None


def announced_on(
    day: datetime.date, record: Record, audience: Audience = Audience.PUBLIC
) -> tuple[Decimal, TotalQualifier, int]:
    """New money announced on exactly this day (every round of that day), its qualifier and
    how many of those commitments have a confidential amount (public: not in the sum)."""
    values: dict[str, Any] = (
        record.commitments()
        .filter(announced_by_q(day), announced_on=day)
        .aggregate(**_amount_aggregates(NEW_MONEY_Q, audience=audience))
    )
    return values["amount"], _qualifier(values), values["confidential"]


def new_partners_on(day: datetime.date, record: Record) -> int:
    """Organisations whose first announced commitment came on this day."""
    firsts = first_announced_on(day, record)
    return firsts.aggregate(n=Count("partner_id"))["n"] if firsts.exists() else 0


def first_announced_on(day: datetime.date, record: Record) -> QuerySet[Any, dict[str, Any]]:
    """The organisations (rows of `partner_id`, with `first`) whose first commitment that
    counts on the day was announced that day: the day's new partners."""
    firsts: QuerySet[Any, dict[str, Any]] = (
        record.commitments()
        .filter(announced_by_q(day))
        .values("partner_id")
        .annotate(first=Min("announced_on"))
        .filter(first=day)
    )
    return firsts
