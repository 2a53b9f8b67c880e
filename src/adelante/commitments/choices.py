from django.db import models
from django.utils.translation import gettext_lazy as _

from adelante.money.qualifiers import StatementQualifier

__all__ = [
    "ANNOUNCED_STATUSES",
    "Country",
    "DatePrecision",
    "MoneyKind",
    "Relation",
    "StatementFigure",
    "StatementQualifier",
    "Status",
]


class Country(models.TextChoices):
    GUATEMALA = "GT", _("Guatemala")
    EL_SALVADOR = "SV", _("El Salvador")
    HONDURAS = "HN", _("Honduras")


class MoneyKind(models.TextChoices):
    """What kind of money a commitment is: official totals add them all, readers need them apart."""

    CAPITAL_INVESTMENT = "capital_investment", _("capital investment")
    LOCAL_SOURCING = "local_sourcing", _("purchasing from local suppliers")
    LENDING = "lending", _("growth of a loan book")
    PROGRAMME = "programme", _("programme or philanthropic spending")
    UNSPECIFIED = "unspecified", _("unspecified")


class Relation(models.TextChoices):
    NEW = "new", _("new")
    INCREASE = "increase", _("increase")
    RESTATEMENT = "restatement", _("restatement")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    UNDER_REVIEW = "under_review", _("under review")
    ANNOUNCED = "announced", _("announced")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: Statuses of a commitment that has been publicly announced.
ANNOUNCED_STATUSES = (
    Status.ANNOUNCED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.WITHDRAWN,
)


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")


class StatementFigure(models.TextChoices):
    """Which computed figure an official statement can be reconciled with."""

    COMMITTED_USD = "committed_usd", _("committed to date (US$)")
    ROUND_COMMITTED_USD = "round_committed_usd", _("committed in the round (US$)")
    PARTNERS = "partners", _("organisations with commitments")
    ROUND_NEW_PARTNERS = "round_new_partners", _("organisations new in the round")
    INVESTED_USD = "invested_usd", _("invested to date (US$)")
    REACHED = "reached", _("reached to date (catalogue metric)")
