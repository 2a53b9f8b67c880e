"""The installation's pages, outside any initiative: the overview of its initiatives
(/<lang>/initiatives/) and each initiative's logo (/initiatives/<slug>/logo)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from adelante.figures.across import committed_across
from adelante.figures.committed import committed
from adelante.figures.display import InDisplayCurrency, committed_in_display_currency
from adelante.figures.labels import across_sentence
from adelante.figures.results import Committed
from adelante.initiatives import scope
from adelante.initiatives.countries import country_name
from adelante.initiatives.models import Initiative
from adelante.portal.caching import remembered
from adelante.portal.initiatives import address_in
from adelante.portal.views.common import date_of, hidden_params, page, portal_page

#: The pictures a logo may be, by extension: never SVG (a script could run in it).
LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}


@dataclass(frozen=True)
class Listed:
    initiative: Initiative
    countries: tuple[str, ...]
    committed: Committed
    address: str
    #: The total in the initiative's currency for display (None: US$, or no rate by then).
    display: InDisplayCurrency | None = None


@portal_page
def initiatives(request: HttpRequest) -> HttpResponse:
    when = date_of(request)
    listed = []
    for initiative in Initiative.objects.listed().prefetch_related("countries"):
        with scope.within(initiative):
            total = remembered(committed, when.as_of, recorded_on=when.recorded_on)
        listed.append(
            Listed(
                initiative=initiative,
                countries=tuple(country_name(c.code) for c in initiative.countries.all()),
                committed=total,
                address=address_in(initiative, "portal:overview"),
                display=committed_in_display_currency(total, initiative.pk),
            )
        )
    # The total across initiatives, a pledge announced under several counted once, and how
    # many were (figures.across).
    across = remembered(committed_across, when.as_of, recorded_on=when.recorded_on)
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "listed": listed,
        "across": across,
        "across_sentence": across_sentence(across),
    }
    return page(request, "portal/initiatives.html", context)


def logo(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The initiative's logo as stored, with its picture's content type; 404 when none."""
    found = get_object_or_404(Initiative, slug=slug)
    if not found.logo:
        raise Http404(slug)
    content_type = LOGO_TYPES.get(PurePosixPath(found.logo.name or "").suffix.lower())
    if content_type is None:
        raise Http404(slug)
    try:
        stored = found.logo.open("rb")
    except FileNotFoundError as missing:
        raise Http404(slug) from missing
    response = FileResponse(stored, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response


#: An accent colour as the model validates it; anything else is never written into CSS.
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def look(request: HttpRequest, slug: str) -> HttpResponse:
    """The initiative's accent colour as a CSS custom property on the page's root (<html>).

    A stylesheet of this site rather than a style attribute: the content security policy
    allows no inline style (docs/security.md)."""
    found = get_object_or_404(Initiative, slug=slug)
    colour = found.accent_colour if _COLOUR.match(found.accent_colour or "") else None
    css = f":root {{ --accent: {colour}; }}\n" if colour else ""
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
