"""One commitment: everything the record says about it, its progress and its public history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from adelante.catalogue.models import Metric
from adelante.commitments.models import Commitment
from adelante.commitments.publication import is_withheld, published_commitments
from adelante.corrections import pages as corrections
from adelante.figures.progress import target_progress, values_by_commitment, verified_points
from adelante.figures.record import Record
from adelante.portal import published
from adelante.portal.history import public_history
from adelante.portal.initiatives import address_in
from adelante.portal.views.common import date_of, hidden_params, page, portal_page


@dataclass(frozen=True)
class MetricProgress:
    metric: Metric
    #: The commitment's figure for the metric as of the date (latest, or sum per period).
    value: Decimal | None
    #: Verified values at the end of each period, oldest first.
    points: tuple[tuple[object, Decimal], ...]
    target: Decimal | None
    target_by: object
    #: on_track, behind or no_report (figures.progress), when there is a target.
    status: str


@portal_page
def commitment(request: HttpRequest, reference: str) -> HttpResponse:
    when = date_of(request)
    found = (
        published.commitments()
        .select_related("partner", "round", "exchange_rate", "relates_to", "relates_to__partner")
        .filter(reference=reference)
        .first()
    )
    if found is None:
        return _elsewhere(request, reference)
    record = Record(when.recorded_on)
    points = verified_points(when.as_of, record, commitment_ids=[found.id])
    metrics = {m.code: m for m in Metric.objects.all()}
    targets = {
        t.metric: t
        for t in target_progress(
            when.as_of, recorded_on=when.recorded_on, partner_id=found.partner_id
        )
        if t.reference == found.reference
    }
    stated_targets = {t.metric.code: t for t in found.targets.select_related("metric")}
    progress = []
    for code in sorted({p.metric for p in points} | set(stated_targets)):
        metric = metrics[code]
        mine = [p for p in points if p.metric == code]
        value = values_by_commitment(mine, code, metric.accumulation).get(found.id)
        judged = targets.get(code)
        stated = stated_targets.get(code)
        progress.append(
            MetricProgress(
                metric=metric,
                value=value,
                points=tuple((p.period_end, p.value) for p in mine),
                target=stated.value if stated else None,
                target_by=stated.by_date if stated else None,
                status=judged.status if judged else "",
            )
        )
    later = published.commitments().filter(relates_to=found).select_related("partner")
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "c": found,
        "withheld": is_withheld(found.qualifier),
        "countries": list(found.countries.all()),
        "focus_areas": list(found.focus_areas.all()),
        "sources": list(found.sources.all()),
        "relates_to": _public(found.relates_to),
        "followed_by": list(later.order_by("announced_on", "reference")),
        "progress": progress,
        "not_yet": found.announced_on is None or found.announced_on > when.as_of,
        "history": public_history(found),
        "corrections": corrections.for_commitment(found.reference),
    }
    return page(request, "portal/commitment.html", context)


def _elsewhere(request: HttpRequest, reference: str) -> HttpResponse:
    """A commitment of another initiative: its page is at that initiative's address."""
    other = published_commitments().select_related("initiative").filter(reference=reference)
    found = other.first()
    if found is None:
        raise Http404(reference)
    target = address_in(found.initiative, "portal:commitment", found.reference)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


def _public(other: Commitment | None) -> Commitment | None:
    if other is None or not published_commitments().filter(id=other.id).exists():
        return None
    return other
