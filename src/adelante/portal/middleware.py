"""An address with an over-long query string gets the portal's own 414 page (in the reader's
language, with a way on), not a server's bare one.

Longer than `MAX_QUERY_STRING` characters, a query string is a mistake or abuse: no filter of
the portal needs it (the search is at most 200 characters). Longer still than the servers in
front accept (gunicorn's `limit_request_line`, nginx's `large_client_header_buffers`; both are
set to 8 KB in deploy/), the request never reaches the portal and the server answers itself.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

#: The longest query string the portal reads.
MAX_QUERY_STRING = 2048


class QueryLengthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if len(query) <= MAX_QUERY_STRING or request.path.startswith("/api/"):
            return self.get_response(request)
        # The page's links (its other language, its canonical address) leave the query out.
        request.META["QUERY_STRING"] = ""
        request.GET = QueryDict()
        return render(
            request,
            "portal/414.html",
            {"limit": MAX_QUERY_STRING, "retry_url": request.path},
            status=414,
        )
