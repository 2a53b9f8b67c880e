"""The record that figures are computed from: as it is now, or as it stood on an earlier day.

"As recorded on R" (DOMAIN rule 6) reads the history tables: for every object, the latest
historical version saved by the end of day R, unless that version is a deletion. Historical
rows keep their foreign keys as plain ids, so attributes of related objects are looked up in
their own history too, never in today's tables.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from adelante.catalogue.models import Metric
from adelante.commitments.models import (
    Commitment,
    CountryShare,
    OfficialStatement,
    Round,
    SamePledge,
    Source,
    Target,
)
from adelante.currency.models import ExchangeRate
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative
from adelante.partners.models import Partner
from adelante.progress.models import ProgressReport, ProgressValue


def end_of_day(day: datetime.date) -> datetime.datetime:
    start_of_next = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start_of_next)


def _as_recorded(model: type[models.Model], on: datetime.date) -> models.QuerySet[Any]:
    saved = model.history.filter(history_date__lt=end_of_day(on))  # type: ignore[attr-defined]
    # A later version of the same object; versions saved in the same instant (an import,
    # a many-to-many change) are ordered by their history id.
    later = saved.filter(id=OuterRef("id")).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    latest: models.QuerySet[Any] = saved.filter(~Exists(later)).exclude(history_type="-")
    return latest


@dataclass(frozen=True)
class Record:
    """Querysets over the record, live (recorded_on None) or as recorded on a day, of one
    initiative or across them (`adelante.initiatives.scope`; by default the one in scope)."""

    recorded_on: datetime.date | None = None
    initiative: scope.Scope = field(default_factory=scope.current)

    def _of(self, model: type[models.Model]) -> models.QuerySet[Any]:
        if self.recorded_on is None:
            return model._default_manager.all()
        return _as_recorded(model, self.recorded_on)

    def _of_initiative(self, model: type[models.Model]) -> models.QuerySet[Any]:
        return self._of(model).filter(scope.initiative_q(self.initiative))

    def _of_commitments(self, model: type[models.Model], path: str) -> models.QuerySet[Any]:
        """Rows that belong to a commitment (through `path`) of the record's scope.

        The live record joins; the record as it stood on a day asks its own commitments, so
        that a past day's rows follow that day's commitments.
        """
        rows = self._of(model)
        if self.recorded_on is None and self.initiative != scope.ACROSS:
            return rows.filter(scope.initiative_q(self.initiative, f"{path}__initiative"))
        return rows.filter(**{f"{path}_id__in": self.commitments().values("id")})

    def commitments(self) -> models.QuerySet[Any]:
        if self.initiative == scope.ACROSS:
            # A pledge announced under several initiatives counts once, as the commitment it
            # was confirmed to be the same as.
            return self._of(Commitment).exclude(id__in=self._of(SamePledge).values("commitment_id"))
        return self._of_initiative(Commitment)

    def exchange_rates(self) -> models.QuerySet[Any]:
        """Every exchange rate: rates are shared between initiatives."""
        return self._of(ExchangeRate)

    def initiatives(self) -> models.QuerySet[Any]:
        """Every initiative (their own fields: the display currency, the names)."""
        return self._of(Initiative)

    def country_shares(self) -> models.QuerySet[Any]:
        return self._of_commitments(CountryShare, "commitment")

    def partners(self) -> models.QuerySet[Any]:
        """Every partner: partners are shared between initiatives (their figures go through
        the initiative's commitments)."""
        return self._of(Partner)

    def reports(self) -> models.QuerySet[Any]:
        return self._of_commitments(ProgressReport, "commitment")

    def values(self) -> models.QuerySet[Any]:
        if self.recorded_on is None and self.initiative != scope.ACROSS:
            return self._of(ProgressValue).filter(
                scope.initiative_q(self.initiative, "report__commitment__initiative")
            )
        return self._of(ProgressValue).filter(report_id__in=self.reports().values("id"))

    def statements(self) -> models.QuerySet[Any]:
        return self._of_initiative(OfficialStatement)

    def rounds(self) -> models.QuerySet[Any]:
        return self._of_initiative(Round)

    def targets(self) -> models.QuerySet[Any]:
        return self._of_commitments(Target, "commitment")

    def sources(self) -> models.QuerySet[Any]:
        return self._of_commitments(Source, "commitment")

    def schedules(self) -> models.QuerySet[Any]:
        """Reporting schedules: a commitment with one has an obligation to report.

        The workflow records them (a commitment accepted through intake gets one); the figures
        read them by name, as data, like the history tables above, so no figure module
        imports the workflow that sits above them.
        """
        return self._of_commitments(apps.get_model("workflow", "ReportingSchedule"), "commitment")

    def report_versions(self) -> models.QuerySet[Any]:
        """Every saved version of every progress report known by the day (the history)."""
        versions: models.QuerySet[Any] = ProgressReport.history.all()
        if self.recorded_on is None:
            return versions
        return versions.filter(history_date__lt=end_of_day(self.recorded_on))

    def metric_accumulation(self, code: str) -> str:
        return str(Metric.objects.values_list("accumulation", flat=True).get(code=code))

    def partner_attr(self, name: str) -> Any:
        """An attribute of a commitment's partner, as an expression on commitment rows."""
        if self.recorded_on is None:
            return F(f"partner__{name}")
        return Subquery(self.partners().filter(id=OuterRef("partner_id")).values(name)[:1])

    def commitment_attr(self, name: str) -> Any:
        """An attribute of the commitment, as an expression on rows that point at one."""
        if self.recorded_on is None:
            return F(f"commitment__{name}")
        return Subquery(self.commitments().filter(id=OuterRef("commitment_id")).values(name)[:1])

    def focus_links(self) -> models.QuerySet[Any]:
        """(commitment_id, focusarea_id) pairs."""
        through = Commitment.focus_areas.through
        if self.recorded_on is None:
            return through._default_manager.all()
        # The focus areas a historical version carried are stored with that version.
        hist_through = apps.get_model("commitments", "HistoricalCommitment_focus_areas")
        links: models.QuerySet[Any] = hist_through._default_manager.filter(
            history_id__in=self.commitments().values("history_id")
        )
        return links
