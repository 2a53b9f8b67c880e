"""The portal's error pages, in the reader's language; the 500 page touches no database."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from adelante.uploads.busy import busy_response, is_busy


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "portal/400.html", {"problems": ()}, status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "portal/404.html", {}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # A database too busy to write (outside a view: a session saved, an API token's use) is
    # 503 with Retry-After, not an error (uploads/busy.py).
    error = sys.exc_info()[1]
    if error is not None and is_busy(error):
        return busy_response(request)
    # No request context: whatever failed (the database, a template tag) must not fail again.
    return HttpResponseServerError(loader.get_template("portal/500.html").render())
