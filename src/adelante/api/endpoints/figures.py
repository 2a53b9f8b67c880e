"""Every figure of `adelante.figures`, as of a date and as recorded on a day.

The API only asks the figures module, always for the public (`Audience.PUBLIC`): no figure
includes a confidential amount, and each says how many it leaves out (DOMAIN rule 7).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from adelante.api.enums import Dimension, GradeCode, Kind
from adelante.api.isodate import IsoDate
from adelante.api.params import SLUG_PATTERN, as_of_or_today, check_country, check_date
from adelante.api.problems import Problem
from adelante.api.schemas import (
    BreakdownOut,
    CommittedOut,
    InvestedOut,
    LadderOut,
    ReachedOut,
    ReconciliationOut,
)
from adelante.catalogue.models import Metric
from adelante.commitments.choices import CountryGroup
from adelante.commitments.publication import published_commitments, published_rounds
from adelante.figures.audience import Audience
from adelante.figures.committed import committed, committed_by
from adelante.figures.display import (
    InDisplayCurrency,
    Rate,
    breakdown_in_display_currency,
    committed_in_display_currency,
    invested_in_display_currency,
)
from adelante.figures.labels import ladder_step_label, row_labels, verdict_label
from adelante.figures.ladder import Selection, ladder
from adelante.figures.reached import Grade, invested, reached, reached_all
from adelante.figures.reconcile import reconcile
from adelante.figures.results import Committed, Reached, Reconciliation
from adelante.initiatives import scope
from adelante.money.formatting import format_number, format_usd
from adelante.progress.models import VerificationLevel

router = Router(tags=["figures"])


AS_OF = Query(None, description="The figure as of this date (default: today).")
RECORDED_ON = Query(
    None, description="The record as it stood at the end of this day (default: as it is now)."
)


def _dates(
    as_of: datetime.date | None, recorded_on: datetime.date | None
) -> tuple[datetime.date, datetime.date | None]:
    return as_of_or_today(as_of), check_date("recorded_on", recorded_on)


def _verdict_text(row: Reconciliation) -> str:
    by = row.judgement.by
    amount = ""
    if by is not None:
        amount = format_usd(by) if row.unit.upper() == "USD" else format_number(by.normalize())
    return verdict_label(row.judgement, row.stated_qualifier, amount)


def _committed(total: Committed, converted: InDisplayCurrency | None) -> dict[str, Any]:
    """The committed total, with `converted`: that total in the initiative's currency for
    display (or None)."""
    return {
        "as_of": total.as_of,
        "recorded_on": total.recorded_on,
        "amount_usd": total.amount_usd,
        "qualifier": total.qualifier,
        "commitments": total.commitments,
        "commitments_with_amount": total.commitments_with_amount,
        "commitments_without_amount": total.commitments_without_amount,
        "restatements": total.restatements,
        "partners": total.partners,
        "commitments_confidential": total.commitments_confidential,
        "display_currency": _display_currency(converted),
    }


def _in_display_currency(total: Committed) -> InDisplayCurrency | None:
    """The public total in the initiative's currency for display (None across initiatives)."""
    initiative = scope.resolve()
    return None if initiative is None else committed_in_display_currency(total, initiative.pk)


def _rate(rate: Rate) -> dict[str, Any]:
    return {
        "code": rate.currency,
        "rate": rate.units_per_usd,
        "rate_on": rate.on,
        "source": rate.source,
    }


def _display_currency(converted: InDisplayCurrency | None) -> dict[str, Any] | None:
    if converted is None:
        return None
    return {**_rate(converted.rate), "amount": converted.amount}


def _reached(figure: Reached) -> dict[str, Any]:
    return {
        "metric": figure.metric,
        "as_of": figure.as_of,
        "recorded_on": figure.recorded_on,
        "value": figure.value,
        "commitments": figure.commitments,
    }


@router.get("/committed", response=CommittedOut, summary="Committed as of a date")
def get_committed(
    request: HttpRequest,
    as_of: IsoDate | None = AS_OF,
    recorded_on: IsoDate | None = RECORDED_ON,
) -> dict[str, Any]:
    day, recorded = _dates(as_of, recorded_on)
    total = committed(day, recorded_on=recorded, audience=Audience.PUBLIC)
    return _committed(total, _in_display_currency(total))


@router.get(
    "/committed/by/{dimension}",
    response=BreakdownOut,
    summary="Committed, broken down (confidential amounts left out)",
)
def get_committed_by(
    request: HttpRequest,
    dimension: Dimension = Path(..., description="country, kind, round, partner-type or focus"),
    as_of: IsoDate | None = AS_OF,
    recorded_on: IsoDate | None = RECORDED_ON,
) -> dict[str, Any]:
    day, recorded = _dates(as_of, recorded_on)
    breakdown = committed_by(dimension, day, recorded_on=recorded, audience=Audience.PUBLIC)
    labels = row_labels(breakdown)
    # The rows and the total at one rate, read once for the whole answer.
    initiative = scope.resolve()
    display = (
        None if initiative is None else breakdown_in_display_currency(breakdown, initiative.pk)
    )
    total = breakdown.total
    return {
        "dimension": breakdown.dimension,
        "as_of": breakdown.as_of,
        "recorded_on": breakdown.recorded_on,
        "overlapping": breakdown.overlapping,
        "rows": [
            {
                "key": row.key,
                "label": labels.get(row.key, row.key),
                "amount_usd": row.amount_usd,
                "qualifier": row.qualifier,
                "commitments": row.commitments,
                "confidential": row.confidential,
                "suppressed": row.suppressed,
                "display_amount": None if display is None else display.rows[row.key],
            }
            for row in breakdown.rows
        ],
        "total": (
            None if total is None else _committed(total, None if display is None else display.total)
        ),
        "display_currency": None if display is None else _rate(display.rate),
    }


GRADE = Query(
    None,
    description="Only the part of the figure from reports of at least this grade: "
    "self_reported, secretariat_reviewed or independently_verified.",
)
WITH_EVIDENCE = Query(
    False, description="Only the part of the figure from reports with evidence attached."
)


def _grade(grade: str | None, with_evidence: bool) -> Grade | None:
    if grade is None and not with_evidence:
        return None
    return Grade(grade or VerificationLevel.SELF_REPORTED, with_evidence)


@router.get("/invested", response=InvestedOut, summary="US dollars invested (verified)")
def get_invested(
    request: HttpRequest,
    as_of: IsoDate | None = AS_OF,
    recorded_on: IsoDate | None = RECORDED_ON,
    grade: GradeCode | None = GRADE,
    with_evidence: bool = WITH_EVIDENCE,
) -> dict[str, Any]:
    day, recorded = _dates(as_of, recorded_on)
    figure = invested(day, recorded_on=recorded, grade=_grade(grade, with_evidence))
    initiative = scope.resolve()
    converted = None if initiative is None else invested_in_display_currency(figure, initiative.pk)
    return {**_reached(figure), "display_currency": _display_currency(converted)}


@router.get(
    "/ladder",
    response=LadderOut,
    summary="The delivery ladder, from announcement to delivery",
    openapi_extra={
        "responses": {"404": {"description": "No published round or partner with that slug."}}
    },
)
def get_ladder(
    request: HttpRequest,
    as_of: IsoDate | None = AS_OF,
    recorded_on: IsoDate | None = RECORDED_ON,
    round: str | None = Query(
        None, pattern=SLUG_PATTERN, max_length=120, description="Only this round (slug)."
    ),
    country: str | None = Query(
        None,
        max_length=40,
        description="Only the commitments naming this country (one of the initiative's ISO "
        "3166-1 codes, e.g. GT; alone or among others, at their whole amounts), or regional: "
        "naming none. Any case.",
    ),
    partner: str | None = Query(
        None, pattern=SLUG_PATTERN, max_length=120, description="Only this partner (slug)."
    ),
    kind: Kind | None = Query(None, description="Only this kind of money."),
) -> dict[str, Any]:
    day, recorded = _dates(as_of, recorded_on)
    country = check_country("country", country, groups=(CountryGroup.REGIONAL.value,))
    round_id = partner_id = None
    if round is not None:
        rounds = published_rounds().filter(scope.initiative_q(), slug=round)
        round_id = rounds.values_list("id", flat=True).first()
        if round_id is None:
            raise Problem(404, _("No published round “%(key)s”.") % {"key": round})
    if partner is not None:
        mine = published_commitments().filter(scope.initiative_q(), partner__slug=partner)
        partner_id = mine.values_list("partner_id", flat=True).first()
        if partner_id is None:
            raise Problem(404, _("No published partner “%(key)s”.") % {"key": partner})
    selection = Selection(round_id=round_id, country=country, partner_id=partner_id, kind=kind)
    found = ladder(day, recorded_on=recorded, selection=selection)
    rate = found.reporting_rate
    return {
        "as_of": found.as_of,
        "recorded_on": found.recorded_on,
        "steps": [
            {
                "step": s.step,
                "label": ladder_step_label(s.step),
                "commitments": s.commitments,
                "committed_usd": s.committed_usd,
                "invested_usd": s.invested_usd,
            }
            for s in found.steps
        ],
        "silent": found.silent,
        "silent_usd": found.silent_usd,
        "with_obligation": found.with_obligation,
        "confidential": found.confidential,
        "reporting_rate": {"due": rate.due, "reported": rate.reported, "rate": rate.rate},
    }


@router.get("/reached", response=list[ReachedOut], summary="Every metric reached (verified)")
def list_reached(
    request: HttpRequest,
    as_of: IsoDate | None = AS_OF,
    recorded_on: IsoDate | None = RECORDED_ON,
) -> list[dict[str, Any]]:
    day, recorded = _dates(as_of, recorded_on)
    return [_reached(figure) for figure in reached_all(day, recorded_on=recorded)]


@router.get("/reached/{metric}", response=ReachedOut, summary="One metric reached (verified)")
def get_reached(
    request: HttpRequest,
    metric: str = Path(..., pattern=SLUG_PATTERN, max_length=64, description="A metric code."),
    as_of: IsoDate | None = AS_OF,
    recorded_on: IsoDate | None = RECORDED_ON,
    grade: GradeCode | None = GRADE,
    with_evidence: bool = WITH_EVIDENCE,
) -> dict[str, Any]:
    day, recorded = _dates(as_of, recorded_on)
    if not Metric.objects.filter(code=metric).exists():
        raise Problem(404, _("No metric “%(code)s” in the catalogue.") % {"code": metric})
    return _reached(reached(metric, day, recorded_on=recorded, grade=_grade(grade, with_evidence)))


@router.get(
    "/reconcile",
    response=list[ReconciliationOut],
    summary="Official statements beside the record's figures",
)
def get_reconcile(
    request: HttpRequest,
    as_of: IsoDate | None = AS_OF,
    recorded_on: IsoDate | None = RECORDED_ON,
) -> list[dict[str, Any]]:
    day, recorded = _dates(as_of, recorded_on)
    return [
        {
            "statement_id": row.statement_id,
            "stated_on": row.stated_on,
            "metric": row.metric,
            "stated_value": row.stated_value,
            "stated_qualifier": row.stated_qualifier,
            "unit": row.unit,
            "source_url": row.source_url,
            "figure": row.figure,
            "computed_value": row.computed_value,
            "computed_qualifier": row.computed_qualifier,
            "computed_confidential": row.computed_confidential,
            "gap": row.gap,
            "date_precision": row.date_precision,
            "verdict": str(row.judgement.verdict),
            "verdict_by": row.judgement.by,
            "verdict_text": _verdict_text(row),
        }
        for row in reconcile(day, recorded_on=recorded, audience=Audience.PUBLIC)
    ]
