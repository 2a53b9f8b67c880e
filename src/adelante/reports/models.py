"""Reports generated from the staff page, run as background jobs (reports/jobs.py;
docs/reports.md, "Background generation")."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    WORKING = "working", _("Generating the document")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Deleted after a day")


#: States in which a worker has (or will have) something to do.
REPORT_WORKING = (ReportState.QUEUED, ReportState.WORKING)


class ReportJob(models.Model):
    """One document asked for on the staff page: what to generate, then the generated file.

    The file is stored under a name fixed by the job (`reports/<id>.<format>`): a run that
    is repeated (a worker killed half-way, a task delivered twice) overwrites it, so a job
    never leaves two files."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_jobs",
        verbose_name=_("asked for by"),
    )
    #: The initiative the document is about; the worker generates it inside its scope.
    #: Empty: the primary initiative (jobs asked for before initiatives).
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("initiative"),
    )
    kind = models.CharField(_("document"), max_length=20)
    subject = models.CharField(_("round or partner"), max_length=200, blank=True)
    as_of = models.DateField(_("figures as of"), null=True, blank=True)
    recorded_on = models.DateField(_("as recorded on"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    format = models.CharField(_("format"), max_length=10)
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.QUEUED
    )
    stored = models.CharField(
        _("stored file"), max_length=300, blank=True, help_text=_("Empty once deleted.")
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    checksum = models.CharField(_("checksum of the figures"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last progress at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} ({self.get_state_display()})".replace("  ", " ")

    @property
    def working(self) -> bool:
        return self.state in REPORT_WORKING
