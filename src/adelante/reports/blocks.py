"""The pieces that more than one kind of report is made of: the tables of official statements,
commitments, breakdowns and targets, the breakdown chart, the sources and the dates of an
edition. Every word comes from `Words` (formats) and `adelante.figures.labels` (names)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante.bilingual import as_plain
from adelante.catalogue.names import statement_name
from adelante.commitments.choices import StatementFigure
from adelante.figures import labels
from adelante.figures.committed import MULTI_COUNTRY, REGIONAL, UNCLASSIFIED
from adelante.figures.ladder import Ladder
from adelante.figures.listing import CommitmentLine
from adelante.figures.progress import DEFAULT_HORIZON_YEARS, ReachedBreakdown, TargetProgress
from adelante.figures.results import Breakdown, Reconciliation
from adelante.figures.verdicts import about_tolerance
from adelante.money.formatting import as_stated, format_number, format_usd, with_qualifier
from adelante.money.qualifiers import TotalQualifier
from adelante.reports import charts
from adelante.reports.document import Block, Cell, Chart, Links, Paragraph, Table
from adelante.reports.editions import Edition
from adelante.reports.words import DASH, Words, summary

#: What a kind of report composes from an edition: its title, subtitle lines and blocks.
Composition = tuple[str, tuple[str, ...], list[Block]]


def edition_dates(edition: Edition, words: Words) -> tuple[str, ...]:
    return (
        words.initiative,
        _("Figures as of %(date)s") % {"date": words.date(edition.as_of)},
        _("From the record as it stood on %(date)s") % {"date": words.date(edition.recorded_on)},
    )


def _statement_text(row: Reconciliation, words: Words) -> str:
    if row.figure:
        return str(StatementFigure(row.figure).label)
    return as_plain(statement_name(row.metric, words.language))


def _stated_value(row: Reconciliation, words: Words) -> str:
    if row.unit.upper() == "USD":
        text = format_usd(row.stated_value, words.language)
    else:
        text = format_number(row.stated_value, words.language)
    return as_stated(text, row.stated_qualifier, words.language)


def _computed_value(row: Reconciliation, words: Words, value: Decimal | None) -> str:
    if value is None:
        return DASH
    if row.unit.upper() == "USD":
        return words.usd(value, row.computed_qualifier or TotalQualifier.EXACT)
    return words.number(value)


def _verdict(row: Reconciliation, words: Words) -> str:
    judgement = row.judgement
    amount = ""
    if judgement.by is not None:
        money = row.unit.upper() == "USD"
        amount = words.usd(judgement.by) if money else words.number(judgement.by)
    return labels.verdict_label(judgement, row.stated_qualifier, amount)


def statements_table(rows: Sequence[Reconciliation], words: Words) -> Table:
    return Table(
        caption=_("Official statements beside the record"),
        header=(
            _("Date"),
            _("Statement"),
            _("As published"),
            _("What the record backs"),
            _("Verdict"),
            _("Source"),
        ),
        rows=tuple(
            (
                Cell(words.loose_date(r.stated_on, r.date_precision)),
                Cell(_statement_text(r, words)),
                Cell(_stated_value(r, words)),
                Cell(
                    _computed_value(r, words, r.computed_value)
                    if r.computed_value is not None
                    else _("not computable from the record")
                ),
                Cell(_verdict(r, words)),
                Cell(_("source"), href=r.source_url),
            )
            for r in rows
        ),
        numeric=(2, 3),
        note=_(
            "Statements are shown as published and never recomputed. The verdict reads the "
            "statement's qualifier: a “more than” figure is consistent with a record at or "
            "above it, an “about” figure with a record within %(tolerance)s%% of it, an exact "
            "figure only with the same figure; otherwise the record is short of the statement "
            "or above it by the amount shown."
        )
        % {"tolerance": format_number(about_tolerance(), words.language)},
        widths=(1.2, 1.6, 1.85, 1.85, 1.85, 0.85),
    )


def commitments_table(
    lines: Iterable[CommitmentLine],
    words: Words,
    caption: str,
    *,
    with_date: bool = False,
    with_partner: bool = True,
) -> Table:
    columns: list[tuple[str, float]] = []
    if with_date:
        columns.append((_("Announced"), 1.2))
    if with_partner:
        columns.append((_("Partner"), 1.3))
    columns += [
        (_("Commitment"), 3.2),
        (_("Kind of money"), 1.2),
        (_("Countries"), 1.3),
        (_("Amount"), 1.7),
        (_("Relation"), 1.0),
    ]
    rows = []
    for line in lines:
        cells = []
        if with_date:
            cells.append(Cell(words.date(line.announced_on)))
        if with_partner:
            cells.append(Cell(line.partner))
        cells += [
            Cell(summary(line)),
            Cell(words.kind(line.kind)),
            Cell(words.line_countries(line)),
            Cell(words.line_amount(line)),
            Cell(labels.relation_label(line.relation)),
        ]
        rows.append(tuple(cells))
    return Table(
        caption=caption,
        header=tuple(name for name, _width in columns),
        rows=tuple(rows),
        numeric=(len(columns) - 2,),
        widths=tuple(width for _name, width in columns),
    )


def breakdown_table(breakdown: Breakdown, words: Words, names: dict[str, str]) -> Table:
    rows = tuple(
        (
            Cell(names.get(row.key, row.key)),
            Cell(labels.withheld() if row.suppressed else words.usd(row.amount_usd, row.qualifier)),
            Cell(words.number(row.commitments)),
        )
        for row in breakdown.rows
    )
    total = None
    if breakdown.total is not None:
        total = (
            Cell(_("Total")),
            Cell(words.usd(breakdown.total.amount_usd, breakdown.total.qualifier)),
            Cell(words.number(breakdown.total.commitments - breakdown.total.restatements)),
        )
    notes = []
    if breakdown.overlapping:
        notes.append(
            _("A commitment can have several focus areas: rows overlap and are not added up.")
        )
    if breakdown.total is not None and breakdown.total.commitments_confidential:
        notes.append(
            labels.confidential_note(breakdown.total.commitments_confidential).capitalize()
            + "; "
            + _("no row includes them.")
        )
    elif breakdown.total is None and any(row.confidential for row in breakdown.rows):
        notes.append(
            _(
                "Amounts that are confidential are in no row; the commitments that have them "
                "are counted in the rows."
            )
        )
    if any(row.suppressed for row in breakdown.rows):
        notes.append(
            _(
                "Withheld: the cell includes confidential amounts of fewer than three partners, "
                "so it is not shown (nor another cell, which would reveal it by subtraction). "
                "It still counts in the total."
            )
        )
    return Table(
        caption=_("Committed %(by)s") % {"by": labels.by_dimension(breakdown.dimension)},
        header=(labels.dimension_name(breakdown.dimension), _("Committed"), _("Commitments")),
        rows=rows,
        numeric=(1, 2),
        total=total,
        note=" ".join(notes),
        widths=(3.0, 2.2, 1.2),
    )


def breakdown_chart(breakdown: Breakdown, words: Words, names: dict[str, str]) -> Chart | None:
    shown = [r for r in breakdown.rows if r.amount_usd]
    if not shown:
        return None
    shown.sort(key=lambda r: r.amount_usd or 0, reverse=True)
    title = _("Committed %(by)s") % {"by": labels.by_dimension(breakdown.dimension)}
    return charts.bar_chart(
        title,
        [names.get(r.key, r.key) for r in shown],
        [r.amount_usd or Decimal(0) for r in shown],
        [with_qualifier(words.compact_usd(r.amount_usd or Decimal(0)), r.qualifier) for r in shown],
        alt=_("Bar chart of the amounts in the table “%(title)s”.") % {"title": title},
    )


def reached_table(
    dimension: str,
    breakdowns: Sequence[ReachedBreakdown],
    words: Words,
) -> Table:
    """One table per dimension: a row per key, a column per metric."""
    keys: list[str] = []
    for b in breakdowns:
        keys += [r.key for r in b.rows if r.key not in keys]
    names = labels.key_labels(dimension, keys)
    special = {MULTI_COUNTRY: 1, REGIONAL: 2, UNCLASSIFIED: 3}
    keys.sort(key=lambda k: (special.get(k, 0), names[k].casefold()))
    values = {(b.metric, r.key): r.value for b in breakdowns for r in b.rows}
    rows = tuple(
        (
            Cell(names[key]),
            *(Cell(words.metric_value(b.metric, values.get((b.metric, key)))) for b in breakdowns),
        )
        for key in keys
    )
    total = None
    if all(b.total is not None for b in breakdowns):
        total = (
            Cell(_("Total")),
            *(
                Cell(words.metric_value(b.metric, b.total.value if b.total else None))
                for b in breakdowns
            ),
        )
    return Table(
        caption=_("Invested and reached %(by)s") % {"by": labels.by_dimension(dimension)},
        header=(labels.dimension_name(dimension), *(words.metric(b.metric) for b in breakdowns)),
        rows=rows,
        numeric=tuple(range(1, len(breakdowns) + 1)),
        total=total,
        note=(
            _("A commitment can have several focus areas: rows overlap and are not added up.")
            if dimension == "focus"
            else ""
        ),
        widths=(2.6, *([1.6] * len(breakdowns))),
    )


def targets_table(rows: Sequence[TargetProgress], words: Words, as_of: datetime.date) -> Table:
    return Table(
        caption=_("Progress against targets"),
        header=(
            _("Partner"),
            _("Commitment"),
            _("Metric"),
            _("Target"),
            _("Expected by %(date)s") % {"date": words.date(as_of)},
            _("Latest verified"),
            _("Status"),
        ),
        rows=tuple(
            (
                Cell(t.partner),
                Cell(t.title or t.reference),
                Cell(words.metric(t.metric)),
                Cell(
                    _("%(value)s by %(date)s")
                    % {
                        "value": words.metric_value(t.metric, t.target),
                        "date": words.date(t.horizon_end),
                    }
                    + (" *" if t.horizon_assumed else "")
                ),
                Cell(words.metric_value(t.metric, t.expected)),
                Cell(
                    DASH
                    if t.reported is None
                    else _("%(value)s (period to %(date)s)")
                    % {
                        "value": words.metric_value(t.metric, t.reported),
                        "date": words.date(t.reported_period_end),
                    }
                ),
                Cell(labels.target_status_label(t.status)),
            )
            for t in rows
        ),
        numeric=(3, 4, 5),
        note=(
            _("* No end date stated: judged over %(years)d years from the start.")
            % {"years": DEFAULT_HORIZON_YEARS}
            if any(t.horizon_assumed for t in rows)
            else ""
        ),
        widths=(1.3, 2.0, 1.3, 1.6, 1.3, 1.7, 0.9),
    )


def targets_section(
    rows: Sequence[TargetProgress], words: Words, as_of: datetime.date, none: str
) -> list[Block]:
    """What a section on targets says under its heading: the rule, then the targets' table
    (`none` when there is no target)."""
    return [target_rule(words), targets_table(rows, words, as_of) if rows else Paragraph(none)]


def target_rule(words: Words) -> Paragraph:
    return Paragraph(
        _(
            "On track: the latest verified value (cumulative to date) is at least the target "
            "pro-rated over the commitment's time horizon, from its start (or announcement) to "
            "the target's date (or the commitment's end; %(years)d years when neither is "
            "stated). Behind: below that. No report: no verified value for the metric by the "
            "date."
        )
        % {"years": DEFAULT_HORIZON_YEARS}
    )


def sources_block(urls: Iterable[tuple[str, str]]) -> Links:
    seen: dict[str, str] = {}
    for url, title in urls:
        if url and url not in seen:
            seen[url] = title
    return Links(tuple(Cell(title or url, href=url) for url, title in seen.items()))


def line_sources(lines: Iterable[CommitmentLine]) -> list[tuple[str, str]]:
    return [(s.url, s.title) for line in lines for s in line.sources]


def with_confidential(note: str, confidential: int) -> str:
    """A figure's note, with what it says of the confidential amounts left out of it."""
    if not confidential:
        return note
    return (
        f"{note}; {labels.confidential_note(confidential)}"
        if note
        else (labels.confidential_note(confidential))
    )


def commitments_facts_note(
    total_commitments: int, partners: int, without: int, re: int, confidential: int = 0
) -> str:
    return with_confidential(_facts_note(total_commitments, partners, without, re), confidential)


def _facts_note(total_commitments: int, partners: int, without: int, re: int) -> str:
    return (
        ngettext(
            "%(n)d commitment by %(p)d partners",
            "%(n)d commitments by %(p)d partners",
            total_commitments,
        )
        % {"n": total_commitments, "p": partners}
        + "; "
        + ngettext("%(n)d without a public amount", "%(n)d without a public amount", without)
        % {"n": without}
        + "; "
        + ngettext("%(n)d restatement counted zero", "%(n)d restatements counted zero", re)
        % {"n": re}
    )


def ladder_blocks(found: Ladder, words: Words) -> list[Block]:
    """The delivery ladder as a bar chart of its steps and the table beside it."""
    names = [labels.ladder_step_label(s.step) for s in found.steps]
    title = _("From announcement to delivery")
    chart = charts.bar_chart(
        title,
        names,
        [Decimal(s.commitments) for s in found.steps],
        [words.number(s.commitments) for s in found.steps],
        alt=_("Bar chart of the commitments at each step in the table “%(title)s”.")
        % {"title": title},
    )
    notes = [
        _(
            "Each step holds the commitments of the step before that reached it: a public "
            "amount, a verified progress report, a verified value with evidence attached, an "
            "independent verification, completion."
        )
    ]
    if found.with_obligation:
        notes.append(
            ngettext(
                "Of the committed money, %(amount)s is silent: %(n)s commitment with no report "
                "for the set time after one was due (still counted as committed).",
                "Of the committed money, %(amount)s is silent: %(n)s commitments with no "
                "report for the set time after one was due (still counted as committed).",
                found.silent,
            )
            % {"amount": words.usd(found.silent_usd), "n": words.number(found.silent)}
        )
        rate = found.reporting_rate
        if rate.rate is not None:
            notes.append(
                _(
                    "Reporting rate: %(rate)s%% (%(reported)s of the %(due)s commitments due a "
                    "report in the last 12 months reported)."
                )
                % {
                    "rate": words.number(rate.rate),
                    "reported": words.number(rate.reported),
                    "due": words.number(rate.due),
                }
            )
    else:
        notes.append(
            _(
                "None of these commitments reports through the platform (no reporting "
                "schedule was set), so none is counted late or silent."
            )
        )
    table = Table(
        caption=title,
        header=(_("Step"), _("Commitments"), _("Committed"), _("Invested (verified)")),
        rows=tuple(
            (
                Cell(name),
                Cell(words.number(s.commitments)),
                Cell(words.usd(s.committed_usd)),
                Cell(words.usd(s.invested_usd)),
            )
            for name, s in zip(names, found.steps, strict=True)
        ),
        numeric=(1, 2, 3),
        note=" ".join(notes),
        widths=(2.6, 1.2, 2.2, 2.2),
    )
    return [chart, table]
