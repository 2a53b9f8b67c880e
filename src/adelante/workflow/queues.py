"""The secretariat's work queue (proposals and reports to review, oldest first) and what a
partner has to do."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from adelante.commitments.models import Commitment
from adelante.partners.models import Partner
from adelante.partners.naming import normalise
from adelante.progress.models import ProgressReport, ReportStatus
from adelante.workflow import schedule
from adelante.workflow.models import Proposal, Stage


@dataclass(frozen=True)
class QueueItem:
    kind: str  # "proposal" or "report"
    waiting_since: datetime.datetime
    commitment: Commitment
    state: str
    proposal: Proposal | None = None
    report: ProgressReport | None = None

    @property
    def days_waiting(self) -> int:
        return (timezone.now() - self.waiting_since).days


def _submitted_at() -> Any:
    """When each report was last submitted, from its history."""
    history = ProgressReport.history.model
    return Subquery(
        history.objects.filter(id=OuterRef("pk"), status=ReportStatus.SUBMITTED)
        .order_by("-history_date")
        .values("history_date")[:1]
    )


def review_queue(
    kind: str = "", partner: str = "", since: datetime.date | None = None
) -> list[QueueItem]:
    """Proposals submitted or under review and reports submitted, oldest first.

    `partner` filters by organisation name or alias (normalised, contained), `since` keeps
    items waiting since that day or earlier.
    """
    items: list[QueueItem] = []
    partners = None
    if partner.strip():
        key = normalise(partner)
        partners = Partner.objects.filter(normalised_name__contains=key) | Partner.objects.filter(
            aliases__normalised_name__contains=key
        )
    if kind in ("", "proposal"):
        proposals = Proposal.objects.filter(
            stage__in=(Stage.SUBMITTED, Stage.UNDER_REVIEW)
        ).select_related("commitment", "commitment__partner", "reviewer")
        if partners is not None:
            proposals = proposals.filter(commitment__partner__in=partners)
        for p in proposals:
            items.append(
                QueueItem("proposal", p.submitted_at or p.created_at, p.commitment, p.stage, p)
            )
    if kind in ("", "report"):
        reports = (
            ProgressReport.objects.filter(status=ReportStatus.SUBMITTED)
            .select_related("commitment", "commitment__partner")
            .annotate(submitted_at=_submitted_at())
        )
        if partners is not None:
            reports = reports.filter(commitment__partner__in=partners)
        for r in reports:
            when = r.submitted_at or timezone.now()  # type: ignore[attr-defined]
            items.append(QueueItem("report", when, r.commitment, r.status, report=r))
    if since is not None:
        items = [i for i in items if timezone.localdate(i.waiting_since) <= since]
    return sorted(items, key=lambda i: (i.waiting_since, i.kind, i.commitment.pk))


@dataclass(frozen=True)
class Workspace:
    partner: Partner
    #: (commitment, its reporting status) for announced commitments, by announcement.
    commitments: list[tuple[Commitment, schedule.ReportingStatus]]
    reports: list[ProgressReport]
    proposals: list[Proposal]

    @property
    def catch_up(self) -> list[tuple[Commitment, int]]:
        """Commitments with several ended periods and no report yet: caught up in one screen."""
        found = []
        for commitment, status in self.commitments:
            missing = sum(1 for p in status.to_report if p.report_id is None)
            if missing > 1:
                found.append((commitment, missing))
        return found

    @property
    def due(self) -> list[tuple[Commitment, schedule.PeriodStatus]]:
        """Ended periods still to report, most urgent first."""
        rows = [(c, p) for c, s in self.commitments for p in s.to_report]
        order = {
            schedule.State.OVERDUE: 0,
            schedule.State.DUE_SOON: 1,
            schedule.State.OPEN: 2,
        }
        return sorted(rows, key=lambda r: (order[r[1].state], r[1].period.due_on))


def workspace(partner: Partner, today: datetime.date) -> Workspace:
    commitments = list(schedule.expecting([partner.pk]).order_by("announced_on", "reference"))
    statuses = schedule.statuses(commitments, today)
    reports = list(
        ProgressReport.objects.filter(
            commitment__partner=partner,
            status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED),
        )
        .select_related("commitment")
        .order_by("period_end")
    )
    proposals = list(
        Proposal.objects.filter(commitment__partner=partner)
        .exclude(stage=Stage.ACCEPTED)
        .select_related("commitment")
        .order_by("-created_at")
    )
    return Workspace(partner, [(c, statuses[c.id]) for c in commitments], reports, proposals)
