"""When the record last changed, for Last-Modified and conditional GET.

Every change to the record is kept in the history tables (DOMAIN rule 6), so the latest
history entry of any of them is when the published record last changed.
"""

from __future__ import annotations

import datetime
import functools

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from adelante.catalogue.models import FocusArea, Metric
from adelante.commitments.models import (
    Commitment,
    CountryShare,
    OfficialStatement,
    Round,
    Source,
    Target,
)
from adelante.corrections.models import Correction
from adelante.currency.models import ExchangeRate
from adelante.initiatives.models import Initiative
from adelante.partners.models import Partner, PartnerAlias
from adelante.progress.models import ProgressReport, ProgressValue

TRACKED = (
    Partner,
    PartnerAlias,
    Round,
    Commitment,
    CountryShare,
    Source,
    Target,
    OfficialStatement,
    ProgressReport,
    ProgressValue,
    ExchangeRate,
    # An initiative's own fields reach the figures (its currency for display).
    Initiative,
    Metric,
    FocusArea,
    # The public log of corrections: only its decisions (`stamp_history_once_set`), as in the
    # record's stamp (adelante.recordstate); a suggestion changes nothing public.
    Correction,
)


def _once_set(model: type[Model]) -> str:
    """A WHERE clause for a model whose rows are public only once a column is set."""
    name = getattr(model, "stamp_history_once_set", None)
    if not isinstance(name, str):
        return ""
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return f" WHERE {connection.ops.quote_name(field.column)} IS NOT NULL"


@functools.cache
def _query(vendor: str) -> str:
    quote = connection.ops.quote_name
    parts = " UNION ALL ".join(
        f"SELECT MAX(history_date) AS d FROM {quote(model.history.model._meta.db_table)}"
        + _once_set(model)
        for model in TRACKED
    )
    return f"SELECT MAX(d) FROM ({parts}) AS changes"


def record_last_changed() -> datetime.datetime | None:
    """The time of the latest change to the record (None for an empty record).

    One query; each MAX reads the end of the history_date index. A change of a commitment's
    focus areas is a new version of the commitment, so the commitment history covers it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_query(connection.vendor))
        row = cursor.fetchone()
    value = row[0] if row else None
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns the text of the column
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value
