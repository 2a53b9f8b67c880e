from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from adelante.figures.silence import RATE_WINDOW_MONTHS, silence_months
from adelante.figures.verdicts import about_tolerance
from adelante.portal.views.common import page, portal_page


@portal_page
def methodology(request: HttpRequest) -> HttpResponse:
    # The settings the rules depend on, so the page states the ones in force.
    context = {
        "tolerance": about_tolerance(),
        "silence_months": silence_months(),
        "rate_months": RATE_WINDOW_MONTHS,
    }
    return page(request, "portal/methodology.html", context)
