"""The staff's web imports, run as background jobs (exchange/jobs.py; docs/import.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from adelante.initiatives.models import Initiative


class JobState(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked: waiting for confirmation")
    REJECTED = "rejected", _("The file has problems")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


#: States in which a worker has (or will have) something to do.
WORKING = (JobState.CHECKING, JobState.IMPORTING)


class ImportJob(models.Model):
    """One uploaded file: its dry run, then (once confirmed) its import, each run by a worker.

    `imported_at` is set in the same transaction as the import's writes: a job that has it
    has written its rows, once; a re-run (a worker killed half-way, a task delivered twice)
    sees it and writes nothing again."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("uploaded by"),
    )
    kind = models.CharField(_("what the file holds"), max_length=20)
    name = models.CharField(_("file name"), max_length=200)
    stored = models.CharField(
        _("stored upload"), max_length=300, blank=True, help_text=_("Empty once deleted.")
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("initiative"),
        help_text=_("The initiative the file is imported into; empty: the primary one."),
    )
    options = models.JSONField(
        _("how to read the file"),
        default=dict,
        blank=True,
        help_text=_("The upload form's choices: day-first dates, duplicates, future dates."),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=JobState.choices, default=JobState.CHECKING
    )
    total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    checked = models.PositiveIntegerField(_("rows checked"), default=0)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    outcome = models.JSONField(_("outcome"), null=True, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last progress at"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_state_display()})"

    @property
    def working(self) -> bool:
        return self.state in WORKING
