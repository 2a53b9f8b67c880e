"""The staff page: generate a document and download it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from adelante.accounts.access import secretariat_or_government_required
from adelante.reports.build import generate
from adelante.reports.editions import ReportError
from adelante.reports.forms import ReportForm


# Reads only (published figures): the secretariat and government viewers (docs/accounts.md).
@secretariat_or_government_required
def reports(request: HttpRequest) -> HttpResponse:
    """GET shows the form; POST answers with the file, or the form again with what is wrong."""
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                output = generate(
                    data["kind"],
                    form.subject(),
                    as_of=data["as_of"],
                    recorded_on=data["recorded_on"],
                    language=data["language"],
                    fmt=data["format"],
                )
            except ReportError as exc:
                form.add_error(None, str(exc))
            else:
                response = HttpResponse(output.content, content_type=output.content_type)
                response["Content-Disposition"] = f'attachment; filename="{output.filename}"'
                response["X-Adelante-Checksum"] = f"sha256:{output.edition.checksum}"
                return response
        status = 400
    else:
        form = ReportForm(initial={"language": request.LANGUAGE_CODE, "format": "pdf"})
        status = 200
    return render(
        request,
        "reports/page.html",
        {"form": form, "title": _("Reports")},
        status=status,
    )
