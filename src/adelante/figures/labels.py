"""Readable, translated names for the keys of breakdown rows."""

from __future__ import annotations

from django.utils.translation import gettext as _

from adelante.catalogue.models import FocusArea
from adelante.commitments.choices import Country, CountryGroup, MoneyKind
from adelante.commitments.models import Round
from adelante.figures.committed import UNCLASSIFIED
from adelante.figures.results import Breakdown
from adelante.partners.models import PartnerType


def row_labels(breakdown: Breakdown) -> dict[str, str]:
    """The label of every row of a breakdown, in the active language."""
    keys = [row.key for row in breakdown.rows]
    special = {
        **{g.value: str(g.label) for g in CountryGroup},
        UNCLASSIFIED: _("No focus area"),
    }
    names: dict[str, str]
    if breakdown.dimension == "country":
        names = {c.value: str(c.label) for c in Country}
    elif breakdown.dimension == "kind":
        names = {k.value: str(k.label) for k in MoneyKind}
    elif breakdown.dimension == "partner-type":
        names = {t.value: str(t.label) for t in PartnerType}
    elif breakdown.dimension == "round":
        ids = [int(k) for k in keys if k.isdigit()]
        names = {str(r.id): r.label for r in Round.objects.filter(id__in=ids)}
    else:
        names = {a.code: a.name for a in FocusArea.objects.filter(code__in=keys)}
    return {key: special.get(key) or names.get(key, key) for key in keys}
