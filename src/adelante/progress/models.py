from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from adelante.catalogue.models import Metric
from adelante.commitments.models import Commitment
from adelante.money.fields import ExactDecimalField


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    VERIFIED = "verified", _("verified")


class VerificationLevel(models.TextChoices):
    SELF_REPORTED = "self_reported", _("self-reported")
    SECRETARIAT_REVIEWED = "secretariat_reviewed", _("reviewed by the secretariat")
    INDEPENDENTLY_VERIFIED = "independently_verified", _("independently verified")


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def verified(self) -> ProgressReportQuerySet:
        return self.filter(status=ReportStatus.VERIFIED)


class ProgressReport(models.Model):
    """A partner's report for one commitment and one period; values are cumulative to date."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("commitment"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    verification_level = models.CharField(
        _("verification level"),
        max_length=30,
        choices=VerificationLevel.choices,
        default=VerificationLevel.SELF_REPORTED,
    )
    narrative = models.TextField(_("narrative"), blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    history = HistoricalRecords()

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["commitment", "period_end"]
        indexes = [
            models.Index(fields=["status", "period_end", "commitment"], name="report_verified")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "period_end"], name="one_report_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="period_in_order"
            ),
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.commitment} ({self.period_start} – {self.period_end})"


class ProgressValue(models.Model):
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="values", verbose_name=_("report")
    )
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, verbose_name=_("metric"))
    value = ExactDecimalField(_("value, cumulative to date"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["metric__code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "metric"], name="one_value_per_metric"),
            models.CheckConstraint(condition=Q(value__gte=0), name="value_not_negative"),
        ]
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")

    def __str__(self) -> str:
        return f"{self.metric}: {self.value}"
