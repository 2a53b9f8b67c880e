"""Readable, translated names for what the figures are made of: the keys of breakdown rows,
the dimensions, the relations of commitments and the statuses of targets and reports.

Every output that names these (portal, API, command line, reports) asks here, in the active
language, so a row or a status reads the same wherever it appears.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _

from adelante.bilingual import as_plain, pick
from adelante.catalogue.models import FocusArea
from adelante.commitments.choices import CountryGroup, DatePrecision, MoneyKind, Relation
from adelante.commitments.models import Round
from adelante.figures.across import CommittedAcross
from adelante.figures.committed import UNCLASSIFIED
from adelante.figures.display import InDisplayCurrency
from adelante.figures.progress import BEHIND, LATE, MISSING, NO_REPORT, ON_TIME, ON_TRACK
from adelante.figures.results import Breakdown
from adelante.figures.verdicts import Judgement, Verdict
from adelante.initiatives.countries import country_name
from adelante.money.formatting import format_number, format_rate, format_usd, with_qualifier
from adelante.money.qualifiers import StatementQualifier, TotalQualifier
from adelante.partners.models import PartnerType


def special_rows() -> dict[str, str]:
    """The rows that are no key of their dimension: shared, regional, without focus area."""
    return {
        **{g.value: str(g.label) for g in CountryGroup},
        UNCLASSIFIED: _("No focus area"),
    }


def key_labels(dimension: str, keys: Sequence[str]) -> dict[str, str]:
    """The label of each key of a dimension (country, kind, partner-type, round, focus)."""
    special = special_rows()
    names: dict[str, str]
    if dimension == "country":
        # Any ISO code, named from the shipped code list (an initiative's countries are data).
        names = {key: country_name(key) for key in keys}
    elif dimension == "kind":
        names = {k.value: str(k.label) for k in MoneyKind}
    elif dimension == "partner-type":
        names = {t.value: str(t.label) for t in PartnerType}
    elif dimension == "round":
        ids = [int(k) for k in keys if k.isdigit()]
        names = {
            str(r.id): as_plain(r.in_language("label")) for r in Round.objects.filter(id__in=ids)
        }
    else:
        names = {a.code: a.name for a in FocusArea.objects.filter(code__in=keys)}
    return {key: special.get(key) or names.get(key, key) for key in keys}


def row_labels(breakdown: Breakdown) -> dict[str, str]:
    """The label of every row of a breakdown, in the active language."""
    return key_labels(breakdown.dimension, [row.key for row in breakdown.rows])


def by_dimension(dimension: str) -> str:
    """How a title says what a breakdown is by: "by country"."""
    return {
        "country": _("by country"),
        "kind": _("by kind of money"),
        "focus": _("by focus area"),
        "round": _("by round"),
    }[dimension]


def dimension_name(dimension: str) -> str:
    """The heading of a breakdown's first column: "Country"."""
    return {
        "country": _("Country"),
        "kind": _("Kind of money"),
        "focus": _("Focus area"),
        "round": _("Round"),
    }[dimension]


def withheld() -> str:
    """What a cell shows instead of an amount that would reveal a confidential one."""
    return _("withheld (confidential)")


def confidential_note(n: int) -> str:
    """What a public total says of the confidential amounts it leaves out (rule 7)."""
    return ngettext(
        "plus %(n)s commitment with a confidential amount, not in this total",
        "plus %(n)s commitments with a confidential amount, not in this total",
        n,
    ) % {"n": n}


def relation_label(relation: str) -> str:
    """A commitment's relation to earlier ones; a restatement says that it counts zero."""
    if relation == Relation.RESTATEMENT:
        return _("restatement (counts zero)")
    if relation == Relation.INCREASE:
        return str(Relation.INCREASE.label)
    return str(Relation.NEW.label)


def target_status_label(status: str) -> str:
    """A target's progress (`figures.progress`): on track, behind, no report."""
    return {ON_TRACK: _("on track"), BEHIND: _("behind"), NO_REPORT: _("no report")}[status]


def period_status_label(status: str) -> str:
    """A reporting period's punctuality (`figures.progress`): on time, late, missing."""
    return {ON_TIME: _("on time"), LATE: _("late"), MISSING: _("missing")}[status]


def round_names(english: Sequence[str], spanish: Sequence[str]) -> list[str]:
    """Rounds' labels in the active language (a label only in English says so after it)."""
    padded = [*spanish, *[""] * (len(english) - len(spanish))]
    return [as_plain(pick(en, es)) for en, es in zip(english, padded, strict=False)]


def verdict_label(judgement: Judgement, qualifier: str, amount: str) -> str:
    """A statement's verdict in words (`figures.verdicts`); `amount` is the difference as the
    reader's output formats it (money or a count)."""
    if judgement.verdict == Verdict.CONSISTENT:
        return _("consistent with the record")
    if judgement.verdict == Verdict.SHORT:
        if qualifier == StatementQualifier.AT_LEAST:
            return _("record short by at least %(amount)s") % {"amount": amount}
        return _("record short by %(amount)s") % {"amount": amount}
    if judgement.verdict == Verdict.ABOVE:
        return _("record above by %(amount)s") % {"amount": amount}
    return _("not computable from the record")


def dated(day: datetime.date, precision: str) -> str:
    """A date as precisely as its source gave it: "2024", "March 2024" / "marzo de 2024", or
    the full date."""
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.MONTH:
        return date_format(day, "YEAR_MONTH_FORMAT")
    return date_format(day, "DATE_FORMAT")


def ladder_step_label(step: str) -> str:
    """A step of the delivery ladder (`figures.ladder`)."""
    return {
        "announced": _("Announced"),
        "with_amount": _("With a public amount"),
        "reporting": _("Reporting (a verified report)"),
        "evidence_backed": _("Backed by evidence"),
        "independently_verified": _("Independently verified"),
        "completed": _("Completed"),
    }[step]


def reporting_period_label(status: str) -> str:
    """A reporting period's record (`figures.silence`): on time, late, missing, silent."""
    return {
        "on_time": _("on time"),
        "late": _("late"),
        "missing": _("missing"),
        "silent": _("silent"),
    }[status]


def across_sentence(across: CommittedAcross, language: str | None = None) -> str:
    """The total across initiatives and what counting a pledge once left out
    (`figures.across`), in the active language (or `language`)."""
    with override(language or get_language()):
        total = format_usd(across.total.amount_usd, language)
        if not across.counted_once:
            return _("%(total)s across initiatives.") % {"total": total}
        return ngettext(
            "%(total)s across initiatives; %(count)d commitment also announced under another "
            "initiative is counted once (%(left_out)s not added again).",
            "%(total)s across initiatives; %(count)d commitments also announced under another "
            "initiative are counted once (%(left_out)s not added again).",
            across.counted_once,
        ) % {
            "total": total,
            "count": across.counted_once,
            "left_out": format_usd(across.counted_once_usd, language),
        }


def display_currency_sentence(
    converted: InDisplayCurrency,
    qualifier: str = TotalQualifier.EXACT,
    language: str | None = None,
) -> str:
    """A US$ figure read in the initiative's currency, with the rate and the rate's day
    ("≈ KES 540,000,000,000 at 129.5 KES per US$ on Feb. 28, 2023"; "≈ at least KES …" for an
    "at least" total), in the active language (or `language`); its source is said apart
    (`display_currency_text`)."""
    with override(language or get_language()):
        amount = f"{converted.currency} {format_number(converted.amount, language)}"
        return _("≈ %(amount)s at %(rate)s %(currency)s per US$ on %(day)s") % {
            "amount": with_qualifier(amount, qualifier, language),
            "currency": converted.currency,
            "rate": format_rate(converted.rate.units_per_usd, language),
            "day": date_format(converted.rate.on, "DATE_FORMAT"),
        }


def display_currency_text(
    converted: InDisplayCurrency,
    qualifier: str = TotalQualifier.EXACT,
    language: str | None = None,
) -> str:
    """`display_currency_sentence` with the rate's source, as plain text."""
    with override(language or get_language()):
        return _("%(sentence)s (source: %(source)s)") % {
            "sentence": display_currency_sentence(converted, qualifier, language),
            "source": converted.rate.source,
        }
