"""/api/v1/iati/activities.xml: the IATI 2.03 export, streamed."""

from __future__ import annotations

import datetime

from django.http import (
    HttpRequest,
    HttpResponseBadRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from adelante.iati.export import stream_activities


@require_GET
def activities_xml(request: HttpRequest) -> HttpResponseBase:
    """Every published commitment as an IATI activity, as of `?as_of=YYYY-MM-DD` (today)."""
    as_of = None
    text = request.GET.get("as_of")
    if text:
        try:
            as_of = datetime.date.fromisoformat(text)
        except ValueError:
            return HttpResponseBadRequest(
                _("as_of must be a date, YYYY-MM-DD."), content_type="text/plain; charset=utf-8"
            )
    response = StreamingHttpResponse(
        stream_activities(as_of), content_type="application/xml; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="adelante-iati-activities.xml"'
    return response
