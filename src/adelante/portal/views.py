from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from adelante.portal.overview import overview as gather_overview


def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/overview.html", {"overview": gather_overview()})
