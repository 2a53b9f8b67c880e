"""Each request reads what it needs about initiatives once (docs/initiatives.md, "Reading
initiatives once a request").

`RememberingMiddleware` opens `scope.remembering()` around the request, and again around each
chunk of a response streamed after it returned: the primary initiative, the initiative in
scope and its countries are read at most once per request, however many times the page, its
forms and its figures ask. What it remembers dies with the request, so every process sees a
change at its next request; a change saved during the request empties it at once.

A database without a primary initiative (emptied by hand, not migrated) answers every
request that needs one with 503 and says why, instead of making one: reads never write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from adelante.initiatives import scope


def each_chunk_within(
    context: Callable[[], AbstractContextManager[Any]], chunks: Iterable[Any]
) -> Iterator[Any]:
    """A streamed response's chunks, each produced inside `context()`: a streamed response
    (a CSV download) is produced after the middleware returned, outside what it set."""
    iterator = iter(chunks)
    while True:
        with context():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class RememberingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with scope.remembering():
            kept = scope.memo()
            response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = each_chunk_within(
                lambda: scope.remembering_in(kept), response.streaming_content
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if isinstance(exception, scope.NoPrimaryInitiative):
            return HttpResponse(
                exception.message,
                status=503,
                content_type="text/plain; charset=utf-8",
                headers={"Retry-After": "60"},
            )
        return None
