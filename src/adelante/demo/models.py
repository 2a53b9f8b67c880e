"""What the demo app stores: a note of the synthetic data set in the database, if any."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SyntheticDataset(models.Model):
    """The parameters of synthetic data written by `adelante synth` (one row per run).

    `finished_at` is empty while the run is going on, or if it was interrupted; the benchmark
    reuses a database only when a finished run with the same parameters is recorded here.
    """

    seed = models.BigIntegerField(_("seed"))
    partners = models.PositiveIntegerField(_("partners"))
    commitments = models.PositiveIntegerField(_("commitments"))
    reports = models.PositiveIntegerField(_("progress reports"))
    generator = models.CharField(
        _("generator version"),
        max_length=20,
        help_text=_("Changes whenever the generator would write different data for a seed."),
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("synthetic data set")
        verbose_name_plural = _("synthetic data sets")

    def __str__(self) -> str:
        return (
            f"seed {self.seed}: {self.partners} partners, {self.commitments} commitments, "
            f"{self.reports} reports"
        )
