from django.db import models
from django.utils.translation import gettext_lazy as _

from adelante.initiatives.country_keys import CountryGroup, country_key
from adelante.money.qualifiers import StatementQualifier

__all__ = [
    "PUBLISHED_STATUSES",
    "REPORTING_STATUSES",
    "CountryGroup",
    "DatePrecision",
    "MoneyKind",
    "Relation",
    "StatementFigure",
    "StatementQualifier",
    "Status",
    "country_key",
]


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


#: Statuses of a published commitment: publicly announced, whatever became of it since.
#: The one definition of "published" for commitments; proposals and commitments under
#: review are not.
PUBLISHED_STATUSES: tuple[Status, ...] = (
    Status.ANNOUNCED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.WITHDRAWN,
)

#: Statuses of a commitment that takes progress reports (and so is reminded of them): announced
#: or in progress. A completed or withdrawn commitment keeps the periods it owed (the public
#: status light shows them) but takes no new report.
REPORTING_STATUSES: tuple[Status, ...] = (Status.ANNOUNCED, Status.IN_PROGRESS)


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    #: A source that gives only the year ("in 2024"): stored as 31 December.
    YEAR = "year", _("year")


class StatementFigure(models.TextChoices):
    """Which computed figure an official statement can be reconciled with."""

    COMMITTED_USD = "committed_usd", _("committed to date (US$)")
    ROUND_COMMITTED_USD = "round_committed_usd", _("committed in the round (US$)")
    PARTNERS = "partners", _("organisations with commitments")
    ROUND_NEW_PARTNERS = "round_new_partners", _("organisations new in the round")
    INVESTED_USD = "invested_usd", _("invested to date (US$)")
    REACHED = "reached", _("reached to date (catalogue metric)")
