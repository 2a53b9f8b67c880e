"""Spreadsheet import for staff, in the web: upload, a dry run showing every row's outcome,
then confirm to import all or nothing (with the history's change reason).

Secretariat only (`accounts.access.secretariat_required`). The upload is stored through
Django's storage API and checked, then imported, by a background job (exchange/jobs.py): the
request returns at once and the job's page follows its progress. The browser only ever holds
the job's random id; a job's page is shown to the person who uploaded the file, and is a 404
for everyone else.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from adelante import web_errors
from adelante.accounts import roles
from adelante.accounts.access import secretariat_required
from adelante.errors import ServiceError
from adelante.exchange import jobs
from adelante.exchange.loading import ReadOptions
from adelante.exchange.models import ImportJob
from adelante.initiatives.models import Initiative
from adelante.jobs import views as jobs_views
from adelante.jobs.queue import stalled

MAX_UPLOAD = 20 * 1024 * 1024
#: The upload form's choices about reading the file (`loading.ReadOptions`).
READ_FLAGS = ("day_first", "allow_duplicates", "allow_future")

KINDS = [
    ("commitments", gettext_lazy("Commitments")),
    ("statements", gettext_lazy("Official statements")),
    ("rates", gettext_lazy("Exchange rates")),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=KINDS)
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))
    day_first = forms.BooleanField(
        label=gettext_lazy("Dates such as 03/04/2024 are day/month/year (3 April)"),
        required=False,
    )
    allow_duplicates = forms.BooleanField(
        label=gettext_lazy("Count a row repeated exactly once, rather than refuse the file"),
        required=False,
    )
    allow_future = forms.BooleanField(
        label=gettext_lazy("Accept dates more than a year in the future"), required=False
    )

    initiative = forms.ModelChoiceField(
        label=gettext_lazy("Initiative"),
        queryset=Initiative.objects.listed(),
        required=False,
        empty_label=None,
        help_text=gettext_lazy("The initiative the file's rows are imported into."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A choice only where there is one to make: one initiative is the one imported into.
        if Initiative.objects.count() < 2:
            del self.fields["initiative"]
        else:
            self.fields["initiative"].initial = Initiative.objects.filter(primary=True).first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


staff_required = secretariat_required


@staff_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.start(
            user=request.user,  # type: ignore[arg-type]
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["file"].name,
            upload=form.cleaned_data["file"],
            language=get_language() or "en",
            options=ReadOptions(**{flag: form.cleaned_data[flag] for flag in READ_FLAGS}),
            initiative=form.cleaned_data.get("initiative"),
        )
        return redirect("exchange:import-job", job_id=job.pk)
    return render(request, "exchange/import_upload.html", {"form": form})


job_view = jobs_views.job_view(required=staff_required, may_start=roles.is_secretariat)


def _job(request: HttpRequest, job_id: str) -> ImportJob:
    return cast(ImportJob, jobs_views.own_job(ImportJob, request, job_id))


def _context(job: ImportJob) -> dict[str, Any]:
    result = jobs.outcome_result(job.outcome) if job.outcome else None
    return {"job": job, "result": result, "stalled": stalled(job)}


@job_view
@require_GET
def job_page(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job(request, job_id)
    jobs_views.requeue_if_stalled(job, jobs.requeue_stalled)
    return render(request, "exchange/import_job.html", _context(job))


@job_view
@require_GET
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """The small fragment the job's page polls while the job works."""
    job = _job(request, job_id)
    return jobs_views.status_fragment(request, "exchange/_import_status.html", _context(job), job)


@job_view
@require_POST
def job_confirm(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job(request, job_id)
    try:
        if "cancel" in request.POST:
            jobs.cancel(job=job)
            return redirect("exchange:import")
        jobs.confirm(job=job)
    except ServiceError as refused:
        web_errors.to_messages(request, refused)
    return redirect("exchange:import-job", job_id=job.pk)
