"""The staff page: generate a document and download it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from adelante.accounts.access import secretariat_or_government_required
from adelante.accounts.roles import figures_audience
from adelante.figures.committed import DIMENSIONS, committed, committed_by
from adelante.figures.labels import row_labels
from adelante.reports.build import generate
from adelante.reports.editions import ReportError
from adelante.reports.forms import FiguresForm, ReportForm


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


@secretariat_or_government_required
def confidential_figures(request: HttpRequest) -> HttpResponse:
    """The committed figures with confidential amounts, for the roles that may see them
    (DOMAIN rule 7): totals include them; breakdown cells whose confidential amounts come
    from fewer than three partners are withheld. Never cached for anyone else."""
    form = FiguresForm(request.GET or None)
    audience = figures_audience(request.user)
    context: dict[str, object] = {"form": form, "title": _("Figures with confidential amounts")}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        as_of = data.get("as_of") or timezone.localdate()
        recorded_on = data.get("recorded_on")
        breakdowns = [
            committed_by(d, as_of, recorded_on=recorded_on, audience=audience) for d in DIMENSIONS
        ]
        context.update(
            as_of=as_of,
            recorded_on=recorded_on,
            total=committed(as_of, recorded_on=recorded_on, audience=audience),
            public=committed(as_of, recorded_on=recorded_on),
            breakdowns=[(b, row_labels(b)) for b in breakdowns],
        )
    response = render(request, "reports/confidential_figures.html", context, status=status)
    # One reader's page: no shared cache may keep it (the portal's page cache never does).
    response["Cache-Control"] = "private, no-store"
    return response
