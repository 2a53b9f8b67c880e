"""The metrics an initiative's partners report on (docs/workflow.md "Reporting metrics").

An initiative lists its reporting metrics (`Initiative.metrics`); an empty list means every
metric of the catalogue, so the primary initiative, which lists none, offers them all as before.
Every door that offers or accepts a metric for a commitment (proposal targets, progress reports,
the staff's imports) asks here, with the COMMITMENT's initiative, not the one in scope.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from adelante.catalogue.models import Metric
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative


def reporting_metrics(initiative: Initiative | int | None = None) -> QuerySet[Metric]:
    """The catalogue metrics the initiative reports on (every metric when it lists none).

    `initiative` None: the initiative in scope's (every metric across initiatives)."""
    if initiative is None:
        initiative = scope.resolve()
        if initiative is None:
            return Metric.objects.all()
    initiative_id = initiative.pk if isinstance(initiative, Initiative) else initiative
    listed = Metric.objects.filter(initiatives__id=initiative_id)
    return listed if listed.exists() else Metric.objects.all()


def metric_refused(initiative: Initiative | int | None, code: str) -> str:
    """Why a metric code cannot be given for a commitment of the initiative ("" if it can)."""
    if reporting_metrics(initiative).filter(code=code).exists():
        return ""
    if Metric.objects.filter(code=code).exists():
        return _("The metric “%(code)s” is not one this initiative reports on.") % {"code": code}
    return _("Unknown metric “%(code)s”.") % {"code": code}
