from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from adelante.portal.views.common import page, portal_page


@portal_page
def methodology(request: HttpRequest) -> HttpResponse:
    return page(request, "portal/methodology.html", {})
