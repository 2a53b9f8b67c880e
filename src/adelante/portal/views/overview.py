from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from adelante.corrections import pages as corrections
from adelante.portal.overview import has_record
from adelante.portal.overview import overview as gather
from adelante.portal.views.common import date_of, hidden_params, page, portal_page


@portal_page
def overview(request: HttpRequest) -> HttpResponse:
    when = date_of(request)
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "overview": gather(when.as_of, when.recorded_on) if has_record() else None,
        "corrections": corrections.for_figures("overview"),
    }
    return page(request, "portal/overview.html", context)
