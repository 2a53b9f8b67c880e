"""The announcement rounds: an index, and one page per round with its official statements."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from adelante.commitments.publication import published_rounds
from adelante.corrections import pages as corrections
from adelante.figures.committed import committed_by
from adelante.figures.ladder import Selection, ladder
from adelante.figures.rounds import round_figures
from adelante.portal import published
from adelante.portal.caching import remembered
from adelante.portal.initiatives import address_in
from adelante.portal.views.common import date_of, hidden_params, page, portal_page

#: A round page lists this many commitments; the explorer has them all.
LISTED = 200


@portal_page
def rounds(request: HttpRequest) -> HttpResponse:
    when = date_of(request)
    breakdown = remembered(committed_by, "round", when.as_of, recorded_on=when.recorded_on)
    rows = {row.key: row for row in breakdown.rows}
    listed = list(published.rounds().order_by("announced_on", "label"))
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "rows": [(r, rows.get(str(r.id))) for r in listed],
        "total": breakdown.total,
        "corrections": corrections.for_figures("rounds"),
    }
    return page(request, "portal/rounds.html", context)


@portal_page
def round_page(request: HttpRequest, slug: str) -> HttpResponse:
    when = date_of(request)
    found = published.rounds().filter(slug=slug).first()
    if found is None:
        return _elsewhere(request, slug)
    mine = published.commitments(when.as_of).filter(round=found)
    figures = remembered(round_figures, found.id, when.as_of, recorded_on=when.recorded_on)
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "round": found,
        "figures": figures,
        "ladder": remembered(
            ladder, when.as_of, recorded_on=when.recorded_on, selection=Selection(round_id=found.id)
        ),
        "commitments": list(
            mine.select_related("partner")
            .prefetch_related("countries")
            .order_by("partner__normalised_name", "reference")[:LISTED]
        ),
        "more": mine.count() > LISTED,
        "corrections": corrections.for_figures(
            f"round:{found.slug}", statements=[s.statement_id for s in figures.statements]
        ),
    }
    return page(request, "portal/round.html", context)


def _elsewhere(request: HttpRequest, slug: str) -> HttpResponse:
    """A round of another initiative: its page is at that initiative's address."""
    found = (
        published_rounds()
        .filter(slug=slug)
        .select_related("initiative")
        .order_by("initiative__position", "initiative_id")
        .first()
    )
    if found is None:
        raise Http404(slug)
    target = address_in(found.initiative, "portal:round", found.slug)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
