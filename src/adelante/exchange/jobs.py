"""The staff's web import as background jobs (docs/import.md, "Background imports").

A web request only stores the upload and queues a job; a worker (`adelante worker`, any
number of them, on any machine that reaches the database and the uploads' storage) runs it:

1. **check** (a dry run): every row checked, the outcome of each row or every problem
   (row, column, reason) kept on the job; the rows checked so far are saved as it goes, for
   the job's page to show;
2. once staff confirm, **import**: the same importer, all or nothing, in one transaction that
   also sets the job's `imported_at`. A worker killed half-way leaves nothing written (the
   transaction never commits); the job is queued again (`requeue_stalled`, run by every
   worker as it starts, by `adelante cleanup` and when the job's page is opened) and its next
   run writes the rows once. A job that has `imported_at` is never written again.

Jobs run through Django's tasks framework (the `django-tasks` backport of Django 6.0's
`django.tasks`) with its database backend: the queue is a table of the same database, so
there is no broker to run. Queueing and noticing a lost worker are every kind of job's
(adelante/jobs/queue.py).
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from adelante.errors import Conflict, Invalid
from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.counting import CHECKED, WRITTEN, listening
from adelante.exchange.loading import ReadOptions
from adelante.exchange.models import WORKING, ImportJob, JobState
from adelante.exchange.problems import ImportRejected
from adelante.exchange.rates_import import import_rates
from adelante.exchange.results import ImportResult, Outcome, RowOutcome
from adelante.exchange.statements_import import import_statements
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative
from adelante.jobs import queue
from adelante.uploads.busy import ImportBusy

logger = logging.getLogger(__name__)

#: Where uploads wait for their job (Django's default storage).
UPLOADS = "imports"
IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "commitments": import_commitments,
    "statements": import_statements,
    "rates": import_rates,
}
#: A job's progress is saved at most this often (seconds), and when a stage ends.
PROGRESS_EVERY = 0.5


def abandoned_after() -> datetime.timedelta:
    """An upload never confirmed (or never collected) is deleted after this long."""
    return datetime.timedelta(hours=settings.ADELANTE_UPLOAD_KEEP_HOURS)


# -- Starting, confirming, cancelling (the web's door) -----------------------------------------


def start(
    *,
    user: User,
    kind: str,
    name: str,
    upload: File[Any],
    language: str,
    options: ReadOptions | None = None,
    initiative: Initiative | None = None,
) -> ImportJob:
    """Store the upload and queue its check. The job and its task are saved together; the
    options (how to read the file) are kept with it, so the import reads it as the check did."""
    if kind not in IMPORTERS:
        raise Invalid(_("Unknown kind of file."))
    job = ImportJob(
        user=user,
        kind=kind,
        name=PurePath(name).name[:200],
        language=language,
        options=asdict(options or ReadOptions()),
        initiative=initiative,
    )
    suffix = PurePath(job.name).suffix.lower()
    job.stored = default_storage.save(f"{UPLOADS}/{job.pk}{suffix}", upload)
    try:
        with transaction.atomic():
            job.save()
            queue.queue(job, run_import_job)
    except BaseException:
        default_storage.delete(job.stored)
        raise
    return job


def confirm(*, job: ImportJob) -> ImportJob:
    """Queue the import of a checked file."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.state != JobState.CHECKED:
            raise Conflict(_("This file is not waiting for confirmation any more."))
        locked.state = JobState.IMPORTING
        locked.confirmed_at = timezone.now()
        locked.error = ""
        locked.save(update_fields=["state", "confirmed_at", "error", "updated_at"])
        queue.queue(locked, run_import_job)
    return locked


def cancel(*, job: ImportJob) -> ImportJob:
    """Drop a checked file that will not be imported."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.state != JobState.CHECKED:
            raise Conflict(_("This file is not waiting for confirmation any more."))
        locked.state = JobState.CANCELLED
        locked.save(update_fields=["state", "updated_at"])
    _delete_upload(locked)
    return locked


# -- The task ----------------------------------------------------------------------------------


@task()
def run_import_job(job_id: str) -> str:
    """Run the job's next step: its check, or its import. Safe to run again at any time."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "gone"
    with translation.override(job.language):
        if job.state == JobState.CHECKING:
            _check(job)
        elif job.state == JobState.IMPORTING:
            _import(job)
    return str(ImportJob.objects.values_list("state", flat=True).get(pk=job_id))


class _Progress:
    """Saves a job's rows checked (and its heartbeat) as the importer counts them."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.saved_at = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.saved_at < PROGRESS_EVERY:
            return
        self.saved_at = now
        field = {CHECKED: "checked", WRITTEN: "written"}[stage]
        values: dict[str, Any] = {field: done, "total": total, "updated_at": timezone.now()}
        ImportJob.objects.filter(pk=self.job.pk).update(**values)


def _check(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(checked=0, updated_at=timezone.now())
    try:
        with listening(_Progress(job)):
            result = _run(job, dry_run=True)
    except ImportRejected as rejected:
        _finish(job, JobState.CHECKING, JobState.REJECTED, problems=_problems(rejected))
        _delete_upload(job)
    except Exception as error:
        _failed(job, JobState.CHECKING, error)
        raise
    else:
        _finish(
            job,
            JobState.CHECKING,
            JobState.CHECKED,
            outcome=outcome_json(result),
            checked=len(result.rows),
        )


def _import(job: ImportJob) -> None:
    user = job.user
    reason = _("import %(file)s (web, by %(user)s)") % {
        "file": job.name,
        "user": user.get_username(),
    }
    try:
        with transaction.atomic():
            # Locked until the import commits: another worker (a copy of this task) waits
            # here, then finds the rows written; a dead worker's lock goes with its connection.
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.imported_at is not None or locked.state != JobState.IMPORTING:
                return
            result = _run(locked, dry_run=False, reason=reason)
            locked.state = JobState.IMPORTED
            locked.imported_at = timezone.now()
            locked.outcome = outcome_json(result)
            locked.written = result.created + result.updated
            locked.save()
    except ImportRejected as rejected:  # the record changed since the dry run
        _finish(job, JobState.IMPORTING, JobState.REJECTED, problems=_problems(rejected))
    except ImportBusy as busy:
        # Another import (the command line, another job) holds the import lock: nothing was
        # written; the file waits, checked, to be confirmed again.
        _finish(job, JobState.IMPORTING, JobState.CHECKED, error=busy.message)
        return
    except Exception as error:
        _failed(job, JobState.IMPORTING, error)
        raise
    _delete_upload(job)


def _run(job: ImportJob, *, dry_run: bool, reason: str | None = None) -> ImportResult:
    """The importer on the stored file, through a local temporary copy."""
    importer = IMPORTERS[job.kind]
    who = {"user": job.user} if job.kind == "commitments" else {}
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / f"upload{PurePath(job.name).suffix.lower()}"
        with default_storage.open(job.stored, "rb") as source:
            local.write_bytes(source.read())
        options = ReadOptions(**job.options)
        # The check and the import both run in the initiative the uploader chose.
        held: scope.Scope = scope.PRIMARY if job.initiative_id is None else job.initiative_id
        with scope.within(held), scope.remembering():
            return importer(
                local, dry_run=dry_run, name=job.name, reason=reason, options=options, **who
            )


def _finish(job: ImportJob, was: str, state: str, **values: Any) -> None:
    ImportJob.objects.filter(pk=job.pk, state=was).update(
        state=state, updated_at=timezone.now(), **values
    )


def _failed(job: ImportJob, was: str, error: Exception) -> None:
    logger.exception("import job %s failed", job.pk)
    message = _("The job stopped with an error (%(error)s); nothing was written.") % {
        "error": type(error).__name__
    }
    ImportJob.objects.filter(pk=job.pk, state=was, imported_at__isnull=True).update(
        state=JobState.FAILED, error=message, updated_at=timezone.now()
    )
    _delete_upload(job)


def _problems(rejected: ImportRejected) -> list[dict[str, Any]]:
    return [{"line": p.line, "column": p.column, "reason": p.reason} for p in rejected.problems]


def _delete_upload(job: ImportJob) -> None:
    if job.stored and default_storage.exists(job.stored):
        default_storage.delete(job.stored)
    ImportJob.objects.filter(pk=job.pk).update(stored="")
    job.stored = ""


# -- A job's outcome, kept as JSON ---------------------------------------------------------------


def outcome_json(result: ImportResult) -> dict[str, Any]:
    return {
        "file": result.file,
        "dry_run": result.dry_run,
        "rows": [
            {
                "line": r.line,
                "key": r.key,
                "outcome": str(r.outcome),
                "changes": list(r.changes),
                "notes": list(r.notes),
            }
            for r in result.rows
        ],
        "also_created": [[name, count] for name, count in result.also_created],
        # How the file was read (in the job's language) and the duplicates counted once.
        "reading": list(result.reading),
        "merged": [[line, first] for line, first in result.merged],
    }


def outcome_result(data: dict[str, Any]) -> ImportResult:
    return ImportResult(
        file=data["file"],
        dry_run=data["dry_run"],
        rows=tuple(
            RowOutcome(
                line=r["line"],
                key=r["key"],
                outcome=Outcome(r["outcome"]),
                changes=tuple(r["changes"]),
                notes=tuple(r["notes"]),
            )
            for r in data["rows"]
        ),
        also_created=tuple((name, count) for name, count in data["also_created"]),
        reading=tuple(data.get("reading", ())),
        merged=tuple((line, first) for line, first in data.get("merged", ())),
    )


# -- Keeping the queue healthy (workers, `adelante cleanup`, the job's page) -------------------


def requeue_stalled(*, now: datetime.datetime | None = None) -> list[ImportJob]:
    """Queue again every working job whose worker is gone (adelante/jobs/queue.py). Its next
    run starts the step again: the check from the first row, or the import, which wrote
    nothing (its one transaction never committed)."""
    return queue.requeue_stalled(
        ImportJob, working=WORKING, task=run_import_job, name="import job", now=now
    )


def delete_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Delete uploads older than `abandoned_after` that no job will read again: checked but
    never confirmed (the job is then cancelled), and files that no job names (left by a
    request or a worker that stopped between saving the file and recording it)."""
    cutoff = (now or timezone.now()) - abandoned_after()
    deleted = 0
    for job in ImportJob.objects.filter(state=JobState.CHECKED, created_at__lt=cutoff):
        if ImportJob.objects.filter(pk=job.pk, state=JobState.CHECKED).update(
            state=JobState.CANCELLED, updated_at=timezone.now()
        ):
            deleted += bool(job.stored)
            _delete_upload(job)
    for job in (
        ImportJob.objects.exclude(state__in=WORKING)
        .exclude(stored="")
        .filter(updated_at__lt=cutoff)
    ):
        deleted += 1
        _delete_upload(job)
    # Listed, not tested with exists(): an object store has no folders, only names that share
    # a prefix (its exists() of the folder says no); a missing folder on disk lists nothing.
    try:
        filenames = default_storage.listdir(UPLOADS)[1]
    except FileNotFoundError:
        filenames = []
    if filenames:
        named = set(ImportJob.objects.exclude(stored="").values_list("stored", flat=True))
        for filename in filenames:
            path = f"{UPLOADS}/{filename}"
            if path not in named and default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
    return deleted
