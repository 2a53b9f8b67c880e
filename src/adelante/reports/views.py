"""The staff page: ask for a document, follow its background job, download it."""

from __future__ import annotations

from typing import Any, cast

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from adelante.accounts import roles
from adelante.accounts.access import secretariat_or_government_required
from adelante.accounts.roles import figures_audience
from adelante.figures.committed import DIMENSIONS, committed, committed_by
from adelante.figures.labels import row_labels
from adelante.initiatives import scope
from adelante.jobs import views as jobs_views
from adelante.jobs.queue import stalled
from adelante.reports import jobs
from adelante.reports.editions import ROUND, ReportError, check_dates
from adelante.reports.forms import FiguresForm, ReportForm
from adelante.reports.models import ReportJob, ReportState


# Reads only (published figures): the secretariat and government viewers (docs/accounts.md).
@secretariat_or_government_required
def reports(request: HttpRequest) -> HttpResponse:
    """GET shows the form; POST queues the document's job and goes to its page (or shows the
    form again with what is wrong). A worker generates the file (reports/jobs.py)."""
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                # The dates are checked now, so that a mistake is said on the form.
                # (A round's fact sheet is always as of the round's date.)
                as_of = None if data["kind"] == ROUND else data["as_of"]
                check_dates(as_of, data["recorded_on"])
            except ReportError as exc:
                form.add_error(None, str(exc))
            else:
                job = jobs.start(
                    user=request.user,  # type: ignore[arg-type]
                    kind=data["kind"],
                    subject=form.subject(),
                    as_of=data["as_of"],
                    recorded_on=data["recorded_on"],
                    language=data["language"],
                    fmt=data["format"],
                    initiative=data["initiative"],
                )
                return redirect("reports:job", job_id=job.pk)
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


job_view = jobs_views.job_view(
    required=secretariat_or_government_required,
    may_start=lambda user: roles.is_secretariat(user) or roles.is_government_viewer(user),
)


def _job(request: HttpRequest, job_id: str) -> ReportJob:
    return cast(ReportJob, jobs_views.own_job(ReportJob, request, job_id))


def _context(job: ReportJob) -> dict[str, Any]:
    hours = jobs.kept_for().total_seconds() / 3600
    return {
        "job": job,
        "stalled": stalled(job),
        "keep_hours": int(hours) if hours.is_integer() else hours,
    }


@job_view
@require_GET
def job_page(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job(request, job_id)
    jobs_views.requeue_if_stalled(job, jobs.requeue_stalled)
    return render(request, "reports/job.html", _context(job))


@job_view
@require_GET
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """The small fragment the job's page polls while the job works."""
    job = _job(request, job_id)
    return jobs_views.status_fragment(request, "reports/_job_status.html", _context(job), job)


@job_view
@require_GET
def job_download(request: HttpRequest, job_id: str) -> FileResponse:
    """The generated file, streamed from the storage; a 404 until it is ready and once
    `adelante cleanup` has deleted it."""
    job = _job(request, job_id)
    if job.state != ReportState.DONE or not job.stored:
        raise Http404
    try:
        source = default_storage.open(job.stored, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        source, as_attachment=True, filename=job.filename, content_type=job.content_type
    )
    response["X-Adelante-Checksum"] = f"sha256:{job.checksum}"
    # One reader's document: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


@secretariat_or_government_required
def confidential_figures(request: HttpRequest) -> HttpResponse:
    """The committed figures with confidential amounts, for the roles that may see them
    (DOMAIN rule 7): totals include them; breakdown cells whose confidential amounts come
    from fewer than three partners are withheld. Never cached for anyone else. The figures
    are the chosen initiative's (the primary by default), computed in its scope."""
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
        initiative = data.get("initiative") or form.primary
        # The chosen initiative's figures, as a report job's (jobs.py): the same scope.
        with scope.within(initiative):
            breakdowns = [
                committed_by(d, as_of, recorded_on=recorded_on, audience=audience)
                for d in DIMENSIONS
            ]
            context.update(
                as_of=as_of,
                recorded_on=recorded_on,
                initiative=initiative,
                total=committed(as_of, recorded_on=recorded_on, audience=audience),
                public=committed(as_of, recorded_on=recorded_on),
                breakdowns=[(b, row_labels(b)) for b in breakdowns],
            )
    response = render(request, "reports/confidential_figures.html", context, status=status)
    # One reader's page: no shared cache may keep it (the portal's page cache never does).
    response["Cache-Control"] = "private, no-store"
    return response
