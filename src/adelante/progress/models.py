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


#: The grades of evidence, weakest first: a figure asked for at a minimum grade counts the
#: values reported at that grade or above (`figures.reached`).
GRADES: tuple[str, ...] = (
    VerificationLevel.SELF_REPORTED,
    VerificationLevel.SECRETARIAT_REVIEWED,
    VerificationLevel.INDEPENDENTLY_VERIFIED,
)


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
    #: Whether evidence files were attached when the report was verified (set by
    #: `workflow.reporting.verify_report`; evidence can change only while the report is with
    #: the partner). Kept here, with the report's history, so that the grade of every figure
    #: ("evidence attached or not") can be computed as recorded on any day.
    evidence_attached = models.BooleanField(_("evidence attached when verified"), default=False)
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
        return f"{self.commitment} ({self.period_start} – {self.period_end})"  # noqa: RUF001


class ProgressValue(models.Model):
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="values", verbose_name=_("report")
    )
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, verbose_name=_("metric"))
    value = ExactDecimalField(_("value, cumulative to date"))
    decrease_reason = models.TextField(
        _("why lower than the last verified value"),
        blank=True,
        help_text=_(
            "A cumulative value below the last verified one must be confirmed by the partner "
            "with a reason (adelante.workflow.reporting)."
        ),
    )
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


class BreakdownDimension(models.TextChoices):
    COUNTRY = "country", _("country")
    SEX = "sex", _("sex")


class Sex(models.TextChoices):
    FEMALE = "female", _("women")
    MALE = "male", _("men")
    OTHER = "other", _("other or not stated")


class ProgressBreakdown(models.Model):
    """Part of a reported value, by country or by sex, where the metric allows that breakdown.

    The total stays in `ProgressValue`; the parts of one dimension add up to at most the total
    (a part may be unknown). Written through `adelante.workflow.reporting`.
    """

    value = models.ForeignKey(
        ProgressValue,
        on_delete=models.CASCADE,
        related_name="breakdowns",
        verbose_name=_("reported value"),
    )
    dimension = models.CharField(_("breakdown"), max_length=20, choices=BreakdownDimension.choices)
    #: A country code (GT, SV, HN) or a `Sex` value.
    key = models.CharField(_("part"), max_length=20)
    amount = ExactDecimalField(_("value of the part"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["value", "dimension", "key"], name="one_breakdown_per_part"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="breakdown_not_negative"),
        ]
        verbose_name = _("breakdown of a reported value")
        verbose_name_plural = _("breakdowns of reported values")

    def __str__(self) -> str:
        return f"{self.value} — {self.dimension} {self.key}: {self.amount}"
