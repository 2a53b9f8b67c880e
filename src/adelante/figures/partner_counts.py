"""How many commitments of each partner count as of a date (DOMAIN rule 2), for lists of
partners; restatements are commitments too, as in `committed`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count

from adelante.figures.committed import counted
from adelante.figures.record import Record


def commitments_per_partner(
    partner_ids: Iterable[int],
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
) -> dict[int, int]:
    """Counted commitments per partner (partners with none are left out)."""
    grouped = (
        counted(as_of, Record(recorded_on))
        .filter(partner_id__in=list(partner_ids))
        .values("partner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["partner_id"]: row["n"] for row in grouped}
