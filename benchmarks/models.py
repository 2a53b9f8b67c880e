"""What the benchmarks keep in a database: a note of each synthetic data set written into it."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class SyntheticDataset(models.Model):
    """The parameters of synthetic data written by `python -m benchmarks synth` (one row per run).

    `finished_at` is empty while the run is going on, or if it was interrupted; the benchmark
    reuses a database only when a finished run with the same parameters is recorded here.
    """

    seed = models.BigIntegerField("seed")
    partners = models.PositiveIntegerField("partners")
    commitments = models.PositiveIntegerField("commitments")
    reports = models.PositiveIntegerField("progress reports")
    generator = models.CharField(
        "generator version",
        max_length=20,
        help_text="Changes whenever the generator would write different data for a seed.",
    )
    started_at = models.DateTimeField("started at")
    finished_at = models.DateTimeField("finished at", null=True, blank=True)
    # The portal's page cache keys pages on the largest id and date of every history table
    # (adelante.portal.caching). Synthetic rows are written and wiped in bulk, so a wipe and a
    # new data set of the same size could leave those unchanged; the history of this table
    # (never wiped) moves with every run, so cached pages never outlive the data they show.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "synthetic data set"
        verbose_name_plural = "synthetic data sets"

    def __str__(self) -> str:
        return (
            f"seed {self.seed}: {self.partners} partners, {self.commitments} commitments, "
            f"{self.reports} reports"
        )
