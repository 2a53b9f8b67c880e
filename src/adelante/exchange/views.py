"""The downloads page and the download files (streamed; constant memory)."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable, Iterator
from urllib.parse import urlencode

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from adelante.exchange import exports
from adelante.exchange.datapackage import datapackage_zip
from adelante.exchange.template import write_template
from adelante.initiatives import scope
from adelante.initiatives.middleware import each_chunk_within
from adelante.initiatives.models import Initiative
from adelante.initiatives.named import UnknownInitiative, named
from adelante.isodates import parse_day
from adelante.recordstate import conditional_on_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The files of the downloads page: name → (media type, description).
FILES = {
    "adelante-record-csv.zip": "application/zip",
    "adelante-record.xlsx": XLSX,
    "adelante-record.json": "application/json",
    "adelante-datapackage.zip": "application/zip",
}
EARLIEST = datetime.date(1900, 1, 1)


class BadDate(ValueError):
    pass


def _as_of(request: HttpRequest) -> datetime.date | None:
    text = request.GET.get("as_of", "").strip()
    if not text:
        return None
    day = parse_day(text)
    if day is None or day < EARLIEST:
        raise BadDate(text)
    return day


def _unknown(unknown: UnknownInitiative) -> HttpResponse:
    return HttpResponse(unknown.message, status=404, content_type="text/plain; charset=utf-8")


def _within(initiative: Initiative, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """A streamed file's chunks, each computed inside the initiative's scope: a streaming
    response is read after the view has returned, outside any scope the view set."""
    return each_chunk_within(lambda: scope.within(initiative), chunks)


@require_GET
@conditional_on_record
def downloads(request: HttpRequest) -> HttpResponse:
    try:
        initiative = named(request.GET.get("initiative"))
    except UnknownInitiative as unknown:
        return _unknown(unknown)
    try:
        as_of = _as_of(request)
    except BadDate:
        as_of = None
    query = {} if initiative.primary else {"initiative": initiative.slug}
    template_query = f"?{urlencode(query)}" if query else ""
    if as_of:
        query["as_of"] = as_of.isoformat()
    context = {
        "as_of": as_of,
        "initiative": initiative,
        "initiatives": Initiative.objects.listed(),
        "files": [(name, _describe(name)) for name in FILES],
        "query": f"?{urlencode(query)}" if query else "",
        "template_query": template_query,
    }
    return render(request, "exchange/downloads.html", context)


def _describe(name: str) -> str:
    return {
        "adelante-record-csv.zip": _("CSV, one file per table (ZIP archive)"),
        "adelante-record.xlsx": _("Excel workbook, one sheet per table"),
        "adelante-record.json": _("JSON, every table in one document"),
        "adelante-datapackage.zip": _(
            "Frictionless data package: the CSV files with datapackage.json, a data dictionary "
            "in English and Spanish"
        ),
    }[name]


@require_GET
def download(
    request: HttpRequest, name: str
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    if name not in FILES:
        return HttpResponse(_("No such download."), status=404, content_type="text/plain")
    try:
        initiative = named(request.GET.get("initiative"))
    except UnknownInitiative as unknown:
        return _unknown(unknown)
    try:
        as_of = _as_of(request)
    except BadDate as exc:
        return HttpResponseBadRequest(
            _("“%(value)s” is not a date; write as_of as YYYY-MM-DD.") % {"value": exc.args[0]},
            content_type="text/plain; charset=utf-8",
        )
    filename = name if as_of is None else name.replace("adelante-", f"adelante-{as_of}-", 1)
    if not initiative.primary:
        filename = filename.replace("adelante-", f"adelante-{initiative.slug}-", 1)
    response: HttpResponse | StreamingHttpResponse | FileResponse
    if name == "adelante-record.xlsx":
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        try:
            with scope.within(initiative):
                exports.write_xlsx(spool, as_of)
        except exports.ExportTooLarge:
            spool.close()
            return HttpResponse(
                _("The record is too large for one workbook; download the CSV files."),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        spool.seek(0)
        response = FileResponse(spool, content_type=XLSX)
    elif name == "adelante-record.json":
        response = StreamingHttpResponse(
            _within(initiative, (part.encode("utf-8") for part in exports.json_stream(as_of))),
            content_type="application/json",
        )
    elif name == "adelante-datapackage.zip":
        response = StreamingHttpResponse(
            _within(initiative, datapackage_zip(as_of)), content_type="application/zip"
        )
    else:
        response = StreamingHttpResponse(
            _within(initiative, exports.csv_zip(as_of)), content_type="application/zip"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def template(request: HttpRequest) -> HttpResponse | FileResponse:
    """The import template, its countries the initiative's (`?initiative=`, default primary)."""
    try:
        initiative = named(request.GET.get("initiative"))
    except UnknownInitiative as unknown:
        return _unknown(unknown)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_template(spool, initiative.country_codes())
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX)
    filename = "adelante-commitments-template.xlsx"
    if not initiative.primary:
        filename = filename.replace("adelante-", f"adelante-{initiative.slug}-", 1)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
