"""Which progress is published: a verified report of a published commitment (DOMAIN rule 3).

Submitted, returned and draft reports are never public, nor are the reports of commitments
that are not published (`adelante.commitments.choices.PUBLISHED_STATUSES`).
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from adelante.commitments.choices import PUBLISHED_STATUSES
from adelante.progress.models import ProgressReport


def published_reports(as_of: datetime.date | None = None) -> QuerySet[ProgressReport]:
    """Verified progress reports of public commitments (with `as_of`: periods ended by then)."""
    reports = ProgressReport.objects.verified().filter(commitment__status__in=PUBLISHED_STATUSES)
    if as_of is not None:
        reports = reports.filter(period_end__lte=as_of)
    return reports
