"""/api/v1/iati/activities.xml: the IATI 2.03 export, streamed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from adelante.iati.export import stream_activities
from adelante.initiatives import scope
from adelante.isodates import parse_day


@require_GET
def activities_xml(request: HttpRequest) -> HttpResponseBase:
    """Every published commitment of the initiative (`?initiative=`, read by the API's
    middleware) as an IATI activity, as of `?as_of=YYYY-MM-DD` (today)."""
    as_of = None
    text = request.GET.get("as_of")
    if text:
        as_of = parse_day(text)
        if as_of is None:
            return _bad_as_of(request)
    response = StreamingHttpResponse(
        _within(scope.current(), stream_activities(as_of)),
        content_type="application/xml; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="adelante-iati-activities.xml"'
    return response


def _within(held: scope.Scope, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The file's chunks computed in the initiative the request named (the API's middleware set
    the scope; a streamed response is read after it has been reset)."""
    with scope.within(held):
        yield from chunks


def _bad_as_of(request: HttpRequest) -> HttpResponse:
    """422, shaped like the API's other refusals of a parameter (RFC 9457, docs/api.md)."""
    message = _("as_of must be a date written YYYY-MM-DD, for example 2023-02-06.")
    body = {
        "type": "urn:adelante:problem:invalid-parameters",
        "title": "Unprocessable Entity",
        "status": 422,
        "detail": message,
        "instance": request.get_full_path(),
        "errors": [{"loc": ["query", "as_of"], "msg": message}],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=422, content_type="application/problem+json"
    )
