"""The words of a report in its language: numbers, money and dates (Babel, through
`adelante.money.formatting`), and the names of what the figures are made of (catalogue
metrics, and the labels of `adelante.figures.labels`)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

from babel.dates import format_date, format_skeleton
from django.utils.translation import gettext as _

from adelante.bilingual import as_plain, pick
from adelante.catalogue.models import Metric
from adelante.commitments.choices import DatePrecision
from adelante.figures import labels
from adelante.figures.committed import REGIONAL
from adelante.figures.listing import CommitmentLine
from adelante.figures.reached import USD_INVESTED
from adelante.initiatives import scope
from adelante.initiatives.countries import country_name
from adelante.initiatives.country_keys import initiative_countries
from adelante.money.formatting import format_number, format_usd, with_qualifier
from adelante.money.qualifiers import AmountQualifier, TotalQualifier

DASH = "—"
SUMMARY_LENGTH = 180


class Words:
    """Labels and formats in the active language (created inside `translation.override`)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.metrics = {m.code: m for m in Metric.objects.all()}
        initiative = scope.initiative_or_primary()
        #: The initiative the report is about (the one in scope), named in the report's language.
        self.initiative = (
            (initiative.name_es or initiative.name) if language == "es" else initiative.name
        )
        self.countries = {code: country_name(code, language) for code in initiative_countries()}

    # numbers, money, dates
    def date(self, day: datetime.date | None) -> str:
        return format_date(day, format="long", locale=self.language) if day else DASH

    def loose_date(self, day: datetime.date, precision: str) -> str:
        """A date as precisely as its source gave it: "2024", "March 2024" ("marzo de 2024")."""
        if precision == DatePrecision.YEAR:
            return str(day.year)
        if precision == DatePrecision.MONTH:
            return format_skeleton("yMMMM", day, locale=self.language)
        return self.date(day)

    def short_date(self, day: datetime.date) -> str:
        return format_date(day, format="MMM y", locale=self.language)

    def number(self, value: Decimal | int | None) -> str:
        return DASH if value is None else format_number(value, self.language)

    def usd(self, amount: Decimal | None, qualifier: str = TotalQualifier.EXACT) -> str:
        if amount is None:
            return DASH
        return with_qualifier(format_usd(amount, self.language), qualifier, self.language)

    def compact_usd(self, amount: Decimal) -> str:
        return format_usd(amount, self.language, compact=True)

    def metric_value(self, metric: str, value: Decimal | None) -> str:
        if value is None:
            return DASH
        if self.is_money(metric):
            return format_usd(value, self.language)
        return format_number(value, self.language)

    def is_money(self, metric: str) -> bool:
        return metric == USD_INVESTED or self.unit(metric) == Metric.Unit.USD

    def unit(self, metric: str) -> str:
        found = self.metrics.get(metric)
        return found.unit if found else ""

    def metric(self, code: str) -> str:
        found = self.metrics.get(code)
        return found.name if found else code.replace("_", " ")

    # a commitment in a list
    def kind(self, key: str) -> str:
        return labels.key_labels("kind", [key])[key]

    def line_amount(self, line: CommitmentLine) -> str:
        if line.qualifier == AmountQualifier.CONFIDENTIAL and line.amount_usd is None:
            return str(AmountQualifier.CONFIDENTIAL.label)
        if line.amount_usd is None:
            return _("no public amount")
        qualifier = line.qualifier if line.qualifier in TotalQualifier.values else "exact"
        return self.usd(line.amount_usd, qualifier)

    def line_countries(self, line: CommitmentLine) -> str:
        if not line.countries:
            return labels.special_rows()[REGIONAL]
        parts = []
        for code, share in line.countries:
            name = self.countries.get(code) or country_name(code)
            if share is not None and len(line.countries) > 1:
                name = f"{name} ({format_number(share, self.language)} %)"
            parts.append(name)
        return ", ".join(parts)


def summary(line: CommitmentLine, length: int = SUMMARY_LENGTH) -> str:
    """A commitment in a table cell: its title, else its summary, cut at `length`, in the
    report's language where it was written in it, else in the other one, saying so."""
    if line.title or line.title_es:
        shown = pick(line.title, line.title_es)
    elif line.summary or line.summary_es:
        shown = pick(line.summary, line.summary_es)
    else:
        return line.reference
    text = " ".join(shown.text.split())
    text = text if len(text) <= length else text[: length - 1] + "…"
    return as_plain(replace(shown, text=text))


def round_label(line: CommitmentLine) -> str:
    """The commitment's round, in the report's language (or the other one, saying so)."""
    return as_plain(pick(line.round_label, line.round_label_es))
