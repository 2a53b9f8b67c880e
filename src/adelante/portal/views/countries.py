"""The initiative's countries: an index, and one page per country (/countries/gt/)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from adelante.commitments.choices import CountryGroup
from adelante.commitments.publication import published_commitments, published_partners
from adelante.commitments.selectors import in_country
from adelante.corrections import pages as corrections
from adelante.figures.committed import committed_by
from adelante.figures.country import country_figures
from adelante.figures.labels import row_labels
from adelante.figures.ladder import Selection, ladder
from adelante.iati.figures import country_aid
from adelante.initiatives import scope
from adelante.initiatives.countries import country_name
from adelante.initiatives.country_keys import initiative_countries
from adelante.initiatives.models import InitiativeCountry
from adelante.portal.caching import remembered
from adelante.portal.country_map import map_areas
from adelante.portal.initiatives import address_in
from adelante.portal.views.common import date_of, hidden_params, page, portal_page

#: Commitments and partners listed on a country page; the explorer and the partner index
#: (filtered by country) have them all.
LISTED = 50
PARTNERS_LISTED = 100


@portal_page
def countries(request: HttpRequest) -> HttpResponse:
    when = date_of(request)
    breakdown = remembered(committed_by, "country", when.as_of, recorded_on=when.recorded_on)
    mine = initiative_countries()
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "breakdown": breakdown,
        "labels": row_labels(breakdown),
        "codes": {code: code.lower() for code in mine},
        "countries": [(code.lower(), country_name(code)) for code in mine],
        "country_names": ", ".join(country_name(code) for code in mine),
        "corrections": corrections.for_figures("countries"),
    }
    return page(request, "portal/countries.html", context)


def _elsewhere(request: HttpRequest, code: str) -> HttpResponse:
    """A country of another initiative: its page is at that initiative's address (the first
    such initiative in the installation's order when several have it; docs/portal.md)."""
    other = (
        InitiativeCountry.objects.filter(code=code.upper())
        .exclude(scope.initiative_q())
        .select_related("initiative")
        .order_by("initiative__position", "initiative_id")
        .first()
    )
    if other is None:
        raise Http404(code)
    target = address_in(other.initiative, "portal:country", code.lower())
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


def _geography(commitment: object, code: str) -> tuple[str, object]:
    """How a commitment concerns the country: alone, by a share, among several, regional."""
    shares = list(commitment.countries.all())  # type: ignore[attr-defined]
    if not shares:
        return "regional", None
    mine = next((s for s in shares if s.country == code), None)
    if mine is None:
        return "regional", None
    if len(shares) == 1:
        return "alone", None
    if mine.share_percent is None:
        return "several", None
    return "share", mine.share_percent


@portal_page
def country(request: HttpRequest, code: str) -> HttpResponse:
    # The initiative's countries, whichever they are: a country page is never one in code.
    if code.upper() not in initiative_countries():
        return _elsewhere(request, code)
    if code != code.lower():
        query = request.META.get("QUERY_STRING", "")
        url = reverse("portal:country", args=[code.lower()])
        return HttpResponsePermanentRedirect(url + (f"?{query}" if query else ""))
    code = code.upper()
    when = date_of(request)
    named = in_country(code)
    regional = in_country(CountryGroup.REGIONAL)
    concerning = published_commitments(when.as_of)
    listed = (
        concerning.filter(named)
        .select_related("partner")
        .prefetch_related("countries")
        .order_by("-announced_on", "reference")[:LISTED]
    )
    listed_regional = (
        concerning.filter(regional)
        .select_related("partner")
        .prefetch_related("countries")
        .order_by("-announced_on", "reference")[:LISTED]
    )
    mine = published_commitments(when.as_of).filter(partner_id=OuterRef("pk"))
    partners = published_partners(when.as_of).filter(Exists(mine.filter(named | regional)))
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "code": code,
        "slug": code.lower(),
        "name": country_name(code),
        "figures": remembered(country_figures, code, when.as_of, recorded_on=when.recorded_on),
        "ladder": remembered(
            ladder, when.as_of, recorded_on=when.recorded_on, selection=Selection(country=code)
        ),
        # Official aid (IATI) beside the private commitments, never added to them.
        "official_aid": country_aid(code, when.as_of),
        "commitments": [(c, *_geography(c, code)) for c in listed],
        "regional": list(listed_regional),
        "partners": list(partners.order_by("normalised_name")[:PARTNERS_LISTED]),
        "more_partners": partners.count() > PARTNERS_LISTED,
        "country_map": map_areas(
            remembered(committed_by, "country", when.as_of, recorded_on=when.recorded_on),
            current=code,
        ),
        "corrections": corrections.for_figures(f"country:{code.lower()}"),
    }
    return page(request, "portal/country.html", context)
