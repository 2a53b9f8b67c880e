"""Template filters that format figures in the page's language (Babel)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from adelante.bilingual import as_html
from adelante.catalogue.names import statement_name
from adelante.commitments.choices import StatementFigure
from adelante.commitments.publication import is_withheld
from adelante.figures.display import InDisplayCurrency
from adelante.figures.labels import confidential_note as note_of_confidential
from adelante.figures.labels import (
    dated,
    display_currency_sentence,
    ladder_step_label,
    reporting_period_label,
    verdict_label,
)
from adelante.figures.results import Reconciliation
from adelante.figures.silence import CommitmentPeriods
from adelante.figures.timeline import StatedTotal
from adelante.money.formatting import (
    as_stated,
    cldr_locale,
    format_number,
    format_rate,
    format_usd,
    with_qualifier,
)
from adelante.money.qualifiers import TotalQualifier

register = template.Library()


@register.filter
def usd(amount: Decimal | None, qualifier: str = TotalQualifier.EXACT) -> str:
    if amount is None:
        return ""
    return with_qualifier(format_usd(amount), qualifier)


def _exact_one_step_away(amount: Decimal, compact: str, exact: str) -> SafeString:
    """An amount in words ("US$1,050 millones") that carries the exact figure: machine-
    readable in `value`, and shown on hover or long press (`title`)."""
    return format_html('<data value="{}" title="{}">{}</data>', format(amount, "f"), exact, compact)


@register.filter
def usd_compact(amount: Decimal | None, qualifier: str = TotalQualifier.EXACT) -> str:
    if amount is None:
        return ""
    return _exact_one_step_away(
        amount,
        with_qualifier(format_usd(amount, compact=True), qualifier),
        with_qualifier(format_usd(amount), qualifier),
    )


@register.filter
def usd_stated(amount: Decimal | None, qualifier: str) -> str:
    """An official statement's figure with the qualifier it was published with."""
    if amount is None:
        return ""
    return as_stated(format_usd(amount), qualifier)


@register.filter
def confidential_note(count: int | None) -> str:
    """What a public figure says of the confidential amounts it leaves out ("plus 2
    commitments with a confidential amount, not in this total"); empty when there are none."""
    return note_of_confidential(count) if count else ""


@register.filter
def number(value: Decimal | int | None) -> str:
    return "" if value is None else format_number(value)


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str:
    return mapping.get(key, key)


@register.filter
def commitment_amount(commitment: Any) -> str:
    """A commitment's amount as it may be published: the word "confidential" instead of a
    confidential amount, "not disclosed" when there is none, else the amount with its
    qualifier ("at least US$10,000,000")."""
    qualifier = commitment.qualifier
    if is_withheld(qualifier):
        return str(_("confidential"))
    if commitment.amount_usd is None:
        return str(_("not disclosed"))
    return with_qualifier(format_usd(commitment.amount_usd), qualifier)


@register.filter
def part_amount(part: Any) -> str:
    """A figure that may be suppressed (a breakdown cell, a country part)."""
    if getattr(part, "suppressed", False) or part.amount_usd is None:
        return str(_("withheld (confidential)"))
    return with_qualifier(format_usd(part.amount_usd), part.qualifier)


@register.filter
def metric_value(value: Decimal | None, unit: str) -> str:
    """A catalogue metric's value: US dollars as money, anything else as a count."""
    if value is None:
        return ""
    return format_usd(value) if unit == "usd" else format_number(value)


@register.filter
def percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format_percent(value)


def format_percent(value: Decimal) -> str:
    # A stated share such as 33.33 %, in the reader's separators.
    return format_decimal(value.normalize(), format="#,##0.##", locale=cldr_locale()) + " %"


_MONEY_FIGURES = {"committed_usd", "round_committed_usd", "invested_usd"}


def _units() -> dict[str, str]:
    return {
        "people": str(_("people")),
        "households": str(_("households")),
        "farms": str(_("farms")),
    }


@register.filter
def stated(statement: Reconciliation) -> str:
    """An official statement's value as published, with its qualifier and unit."""
    if statement.unit.upper() == "USD":
        return as_stated(format_usd(statement.stated_value), statement.stated_qualifier)
    unit = _units().get(statement.unit.lower(), "")
    text = format_number(statement.stated_value.normalize())
    return as_stated(f"{text} {unit}".strip(), statement.stated_qualifier)


@register.filter
def computed(statement: Reconciliation) -> str:
    """The record's figure for a statement, with the qualifier the record gives it."""
    if statement.computed_value is None:
        return ""
    qualifier = statement.computed_qualifier or TotalQualifier.EXACT
    if statement.figure in _MONEY_FIGURES:
        return with_qualifier(format_usd(statement.computed_value), qualifier)
    return with_qualifier(format_number(statement.computed_value.normalize()), qualifier)


@register.filter
def gap(statement: Reconciliation) -> str:
    """What the statement claims beyond the record (negative: the record has more)."""
    if statement.gap is None:
        return ""
    if statement.figure in _MONEY_FIGURES:
        return format_usd(statement.gap)
    return format_number(statement.gap.normalize())


@register.filter
def verdict(statement: Reconciliation) -> str:
    """The verdict on a statement beside the record, in words ("record short by at least
    US$560,000,000"; `figures.verdicts`)."""
    judgement = statement.judgement
    amount = ""
    if judgement.by is not None:
        money = statement.figure in _MONEY_FIGURES
        amount = format_usd(judgement.by) if money else format_number(judgement.by.normalize())
    return verdict_label(judgement, statement.stated_qualifier, amount)


@register.filter
def stated_date(statement: Reconciliation) -> str:
    """The statement's date as precisely as its source gave it ("2024", "March 2024")."""
    return dated(statement.stated_on, statement.date_precision)


@register.filter
def stated_period(statement: StatedTotal) -> str:
    """A timeline statement's date as its source gave it, when looser than a day ("2024")."""
    return dated(statement.day, statement.precision)


@register.filter
def statement_figure(statement: Reconciliation) -> SafeString:
    """What an official statement states: the computed figure it reconciles with, else its
    name in the catalogue (`catalogue.StatementName`), else its code read as English words."""
    if statement.figure:
        return format_html("{}", StatementFigure(statement.figure).label)
    return as_html(statement_name(statement.metric))


@register.filter
def commitment_name(commitment: Any) -> SafeString:
    """What to call a commitment in a list: its title, else the start of its summary (the
    real record has summaries, rarely titles), else its reference; in the reader's language,
    or marked as in the other one (`bilingual.as_html`)."""
    if commitment.title or commitment.title_es:
        return as_html(commitment.in_language("title"))
    if commitment.summary or commitment.summary_es:
        shown = commitment.in_language("summary")
        return as_html(replace(shown, text=Truncator(shown.text).words(14)))
    return format_html("{}", commitment.reference)


@register.filter
def commitment_countries(commitment: Any) -> str:
    """The countries a commitment names, in a list ("Guatemala, Honduras"); "the region" when
    it names none."""
    names = [str(share.get_country_display()) for share in commitment.countries.all()]
    return ", ".join(names) if names else str(_("the region"))


@register.filter
def usd_compact_stated(amount: Decimal | None, qualifier: str) -> str:
    """An official statement's figure in words ("more than US$4.2 billion")."""
    if amount is None:
        return ""
    return _exact_one_step_away(
        amount,
        as_stated(format_usd(amount, compact=True), qualifier),
        as_stated(format_usd(amount), qualifier),
    )


@register.filter
def display_currency(
    converted: InDisplayCurrency | None, qualifier: str = TotalQualifier.EXACT
) -> SafeString:
    """A US$ figure in the initiative's currency for display, with the rate, its day and its
    source (a link when the source is a web address and nothing else); empty when there is
    none."""
    if converted is None:
        return SafeString("")
    source = converted.rate.source
    shown = (
        format_html('<a href="{}">{}</a>', source, source)
        if source.startswith(("https://", "http://")) and not any(c.isspace() for c in source)
        else format_html("{}", source)
    )
    # The translated sentence is plain text: escaped, then given the escaped sentence and the
    # source (a link built by format_html).
    template = conditional_escape(_("%(sentence)s (source: %(source)s)"))
    sentence = conditional_escape(display_currency_sentence(converted, qualifier))
    return mark_safe(template % {"sentence": sentence, "source": shown})


@register.filter
def rate(value: Decimal | None) -> str:
    """An exchange rate as stored, without trailing zeros ("7.8", "17.25")."""
    if value is None:
        return ""
    return format_rate(value)


@register.filter
def part_amount_compact(part: Any) -> str:
    """A figure that may be suppressed, in words ("US$1.7 billion")."""
    if getattr(part, "suppressed", False) or part.amount_usd is None:
        return str(_("withheld (confidential)"))
    return _exact_one_step_away(
        part.amount_usd,
        with_qualifier(format_usd(part.amount_usd, compact=True), part.qualifier),
        with_qualifier(format_usd(part.amount_usd), part.qualifier),
    )


@register.filter
def ladder_step(step: str) -> str:
    return ladder_step_label(step)


@register.filter
def period_state(status: str) -> str:
    return reporting_period_label(status)


@register.filter
def period_count(periods: CommitmentPeriods, status: str) -> int:
    """How many of a commitment's periods that fell due have this record (on time…)."""
    return periods.count(status)
