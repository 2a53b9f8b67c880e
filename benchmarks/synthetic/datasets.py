"""Synthetic data sets in a database: writing one, recognising it, and wiping it.

`generate` writes a data set (`generator.Generator` choosing the rows, `bulk.BulkWriter` writing
them) in one transaction per chunk of commitments, and notes it in `SyntheticDataset`: an
interrupted run leaves part of a data set behind, unfinished in that note, which `wipe`
removes. Synthetic rows are marked (slugs and references start with "synth-", sources point at
example.org) so that `wipe` removes them and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from adelante.commitments.models import (
    Commitment,
    CountryShare,
    OfficialStatement,
    Round,
    Source,
    Target,
)
from adelante.currency.models import ExchangeRate
from adelante.partners.models import Partner, PartnerAlias
from adelante.progress.models import ProgressReport, ProgressValue
from adelante.workflow.models import ReportingSchedule
from benchmarks.models import SyntheticDataset
from benchmarks.synthetic.bulk import BulkWriter, after_bulk_load, history_model, raw_delete
from benchmarks.synthetic.generator import (
    GENERATOR_VERSION,
    HISTORY_REASON,
    PREFIX,
    RATE_SOURCE,
    SOURCE_URL,
    Generator,
    Spec,
    SynthError,
)

# -- The record as it is ---------------------------------------------------------------------

#: Tables of the record that must be empty before synthetic data is written.
RECORD_MODELS: tuple[type[models.Model], ...] = (
    Partner,
    Round,
    Commitment,
    OfficialStatement,
    ProgressReport,
    ExchangeRate,
)


def record_counts() -> dict[str, int]:
    """Rows in the tables of the record (not the catalogue), by model name."""
    return {model._meta.model_name or "": model._default_manager.count() for model in RECORD_MODELS}


def foreign_counts() -> dict[str, int]:
    """Rows of the record that are not synthetic, by model name (empty when there are none)."""
    counts = {
        "partner": Partner.objects.exclude(slug__startswith=PREFIX).count(),
        "round": Round.objects.exclude(slug__startswith=PREFIX).count(),
        "commitment": Commitment.objects.exclude(reference__startswith=PREFIX).count(),
        "officialstatement": OfficialStatement.objects.exclude(
            source_url__startswith=SOURCE_URL
        ).count(),
        "exchangerate": ExchangeRate.objects.exclude(source=RATE_SOURCE).count(),
    }
    return {name: n for name, n in counts.items() if n}


def latest_dataset() -> SyntheticDataset | None:
    """The finished synthetic data set in the database, if the record holds exactly that."""
    dataset = SyntheticDataset.objects.filter(finished_at__isnull=False).first()
    if dataset is None or SyntheticDataset.objects.filter(finished_at__isnull=True).exists():
        return None
    return dataset


def matches(dataset: SyntheticDataset | None, spec: Spec) -> bool:
    return (
        dataset is not None
        and dataset.generator == GENERATOR_VERSION
        and (dataset.partners, dataset.commitments, dataset.reports, dataset.seed)
        == (spec.partners, spec.commitments, spec.reports, spec.seed)
    )


def wipe() -> int:
    """Delete every synthetic row and its history; real rows are left alone. Returns the count."""
    focus_history = apps.get_model("commitments", "HistoricalCommitment_focus_areas")
    through = Commitment.focus_areas.through

    def live_and_history(model: type[models.Model], **where: Any) -> list[models.QuerySet[Any]]:
        return [
            model._default_manager.filter(**where),
            history_model(model)._default_manager.filter(**where),
        ]

    h_commitments = history_model(Commitment)._default_manager.filter(reference__startswith=PREFIX)
    commitment_ids = h_commitments.values("id")
    h_reports = history_model(ProgressReport)._default_manager.filter(
        commitment_id__in=commitment_ids
    )
    h_partners = history_model(Partner)._default_manager.filter(slug__startswith=PREFIX)
    steps: list[models.QuerySet[Any]] = [
        *live_and_history(ProgressValue, report_id__in=h_reports.values("id")),
        *live_and_history(ProgressReport, commitment_id__in=commitment_ids),
        *live_and_history(ReportingSchedule, commitment_id__in=commitment_ids),
        focus_history._default_manager.filter(history_id__in=h_commitments.values("history_id")),
        through._default_manager.filter(commitment_id__in=commitment_ids),
        *live_and_history(CountryShare, commitment_id__in=commitment_ids),
        *live_and_history(Target, commitment_id__in=commitment_ids),
        *live_and_history(Source, commitment_id__in=commitment_ids),
        Commitment._default_manager.filter(reference__startswith=PREFIX),
        h_commitments,
        *live_and_history(OfficialStatement, source_url__startswith=SOURCE_URL),
        *live_and_history(ExchangeRate, source=RATE_SOURCE),
        *live_and_history(Round, slug__startswith=PREFIX),
        *live_and_history(PartnerAlias, partner_id__in=h_partners.values("id")),
        Partner._default_manager.filter(slug__startswith=PREFIX),
        h_partners,
        SyntheticDataset.objects.all(),
    ]
    deleted = 0
    with transaction.atomic():
        for queryset in steps:
            deleted += raw_delete(queryset)
    return deleted


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def generate(
    spec: Spec,
    *,
    chunk: int = 2_000,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write a synthetic record; returns the number of rows written per model.

    The record (partners, rounds, commitments, statements, reports, rates) must be empty:
    call `wipe` first to replace an earlier synthetic data set. `progress` is called with the
    number of commitments written after each chunk.
    """
    existing = {name: n for name, n in record_counts().items() if n}
    if existing:
        listed = ", ".join(f"{n} {name}" for name, n in sorted(existing.items()))
        raise SynthError(f"the record is not empty ({listed})")
    dataset = SyntheticDataset.objects.create(
        seed=spec.seed,
        partners=spec.partners,
        commitments=spec.commitments,
        reports=spec.reports,
        generator=GENERATOR_VERSION,
        started_at=timezone.now(),
    )
    writer = BulkWriter(HISTORY_REASON)
    generator = Generator(spec, writer)
    with transaction.atomic():
        generator.write_rounds_and_rates()
        generator.write_partners()
        writer.flush()
    rounds, statuses, counts = generator.plan()
    for indices in _chunks(spec.commitments, chunk):
        with transaction.atomic():
            for i in indices:
                generator.commitment(i, rounds[i], statuses[i], counts[i])
            writer.flush()
        if progress is not None:
            progress(len(indices))
    with transaction.atomic():
        generator.write_statements()
        writer.flush()
    after_bulk_load(writer.models())
    dataset.finished_at = timezone.now()
    dataset.save(update_fields=["finished_at"])
    return writer.written
