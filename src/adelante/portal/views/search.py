"""The portal's one search (the box in every page's header): results grouped by kind."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from adelante.portal.search import search
from adelante.portal.views.common import date_of, hidden_params, page, portal_page


@portal_page
def search_page(request: HttpRequest) -> HttpResponse:
    when = date_of(request)
    results = search(request.GET.get("q", ""), when.as_of, when.recorded_on)
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "results": results,
        "q": results.search.text,
    }
    return page(request, "portal/search.html", context)
