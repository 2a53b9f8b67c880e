"""Requests too large refused before their body is read; a busy database answered 503.

`RequestSizeMiddleware` goes first in MIDDLEWARE: a request whose Content-Length is over
`ADELANTE_REQUEST_MAX_BYTES` is answered 413 before anything reads its body (a page in the
reader's language, or under /api/ an RFC 9457 problem). A body without a Content-Length is not
read by Django at all. The shipped nginx configuration (deploy/nginx/adelante.conf) refuses
the same bodies before they reach the application.

`DatabaseBusyMiddleware` answers a view's "database is locked" with 503 and Retry-After
(`busy.busy_response`); the portal's 500 handler does the same for what fails outside a view.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

from adelante.uploads.busy import busy_response, is_busy
from adelante.uploads.limits import current, megabytes

PROBLEM_TYPE = "urn:adelante:problem:request-too-large"


class RequestSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = current().request_max_bytes
        try:
            size = int(declared)
        except ValueError:
            size = 0  # Django reads no body it cannot measure
        if size > limit:
            return too_large(request, size, limit)
        return self.get_response(request)


def too_large(request: HttpRequest, size: int, limit: int) -> HttpResponse:
    """413, in the language of the address (/es/…) or of the browser."""
    language = translation.get_language_from_path(
        request.path_info
    ) or translation.get_language_from_request(request)
    with translation.override(language):
        detail = _(
            "The request is %(size)s MB; the limit is %(limit)s MB. Nothing was read or saved."
        ) % {"size": megabytes(size), "limit": megabytes(limit)}
        response: HttpResponse
        if request.path.startswith("/api/"):
            body = {
                "type": PROBLEM_TYPE,
                "title": _("The request is too large"),
                "status": 413,
                "detail": detail,
                "instance": request.get_full_path(),
            }
            response = HttpResponse(
                json.dumps(body, ensure_ascii=False),
                status=413,
                content_type="application/problem+json",
            )
        else:
            page = loader.get_template("adelante/too_large.html").render(
                {"message": detail, "LANGUAGE_CODE": language}
            )
            response = HttpResponse(page, status=413)
    return response


class DatabaseBusyMiddleware:
    """A view that found the database locked answers 503, not 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_busy(exception):
            return busy_response(request)
        return None
