"""Spreadsheet import for staff, in the web: upload, a dry run showing every row's outcome,
then confirm to import all or nothing (with the history's change reason).

Secretariat only (`accounts.access.secretariat_required`). The uploaded file is kept
through Django's storage API between the dry run and the confirmation; the browser only ever
holds a random key that maps, in the signed-in user's session, to that stored file (never a
path the client chose).
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

from django import forms
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from adelante.accounts.access import secretariat_required
from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.loading import ReadOptions
from adelante.exchange.problems import ImportRejected
from adelante.exchange.rates_import import import_rates
from adelante.exchange.results import ImportResult
from adelante.exchange.statements_import import import_statements
from adelante.uploads.busy import ImportBusy

MAX_UPLOAD = 20 * 1024 * 1024
#: The upload form's choices about reading the file (`loading.ReadOptions`).
READ_FLAGS = ("day_first", "allow_duplicates", "allow_future")
SESSION_KEY = "adelante-staff-imports"
UPLOADS = "imports"

IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "commitments": import_commitments,
    "statements": import_statements,
    "rates": import_rates,
}
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

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


staff_required = secretariat_required


def _pending(request: HttpRequest) -> dict[str, dict[str, str]]:
    return request.session.setdefault(SESSION_KEY, {})  # type: ignore[no-any-return]


def _run(
    entry: dict[str, str], *, user: Any, dry_run: bool, reason: str | None = None
) -> ImportResult:
    """Run the importer on the stored file, through a local temporary copy."""
    importer = IMPORTERS[entry["kind"]]
    suffix = PurePath(entry["name"]).suffix.lower()
    # Commitments change status through the workflow, which records who changed it.
    who = {"user": user} if entry["kind"] == "commitments" else {}
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / f"upload{suffix}"
        with default_storage.open(entry["stored"], "rb") as source:
            local.write_bytes(source.read())
        options = ReadOptions(**{flag: bool(entry.get(flag)) for flag in READ_FLAGS})
        return importer(
            local, dry_run=dry_run, name=entry["name"], reason=reason, options=options, **who
        )


@staff_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        the_file = form.cleaned_data["file"]
        name = PurePath(the_file.name).name[:200]
        key = secrets.token_urlsafe(16)
        stored = default_storage.save(f"{UPLOADS}/{key}{PurePath(name).suffix.lower()}", the_file)
        entry = {"kind": form.cleaned_data["kind"], "name": name, "stored": stored}
        # Kept with the file, so that the confirmed import reads it as the dry run did.
        entry.update({flag: "1" if form.cleaned_data[flag] else "" for flag in READ_FLAGS})
        pending = _pending(request)
        pending[key] = entry
        request.session.modified = True
        return _dry_run(request, key, entry)
    return render(request, "exchange/import_upload.html", {"form": form})


def _dry_run(
    request: HttpRequest, key: str, entry: dict[str, str], *, busy: str = "", status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {"key": key, "entry": entry, "busy": busy}
    try:
        context["result"] = _run(entry, user=request.user, dry_run=True)
    except ImportRejected as rejected:
        _forget(request, key)
        context["problems"] = rejected.problems
    return render(request, "exchange/import_dry_run.html", context, status=status)


def _forget(request: HttpRequest, key: str) -> None:
    entry = _pending(request).pop(key, None)
    request.session.modified = True
    if entry is not None and default_storage.exists(entry["stored"]):
        default_storage.delete(entry["stored"])


@staff_required
@require_http_methods(["POST"])
def confirm(request: HttpRequest, key: str) -> HttpResponse:
    entry = _pending(request).get(key)
    if entry is None:
        return render(
            request,
            "exchange/import_upload.html",
            {"form": UploadForm(), "gone": True},
            status=404,
        )
    if "cancel" in request.POST:
        _forget(request, key)
        return redirect("exchange:import")
    user = request.user.get_username()
    reason = _("import %(file)s (web, by %(user)s)") % {"file": entry["name"], "user": user}
    context: dict[str, Any] = {"entry": entry}
    try:
        context["result"] = _run(entry, user=request.user, dry_run=False, reason=reason)
    except ImportBusy as busy:
        # Another import is running: the upload stays, to be confirmed again (409 Conflict).
        return _dry_run(request, key, entry, busy=busy.message, status=409)
    except ImportRejected as rejected:  # the record changed since the dry run
        context["problems"] = rejected.problems
    _forget(request, key)
    return render(request, "exchange/import_done.html", context)
