"""From an edition to a document in one language: every label, number and date written here.

Call `compose(edition, language)`; it activates the language while it writes. Numbers and
money go through `adelante.money.formatting` (Babel), dates through Babel's `format_date`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from babel.dates import format_date
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante.catalogue.models import FocusArea, Metric
from adelante.commitments.choices import Country, MoneyKind, Relation, StatementFigure
from adelante.figures.committed import MULTI_COUNTRY, REGIONAL, UNCLASSIFIED
from adelante.figures.labels import row_labels
from adelante.figures.listing import CommitmentLine
from adelante.figures.progress import (
    BEHIND,
    DEFAULT_HORIZON_YEARS,
    LATE,
    MISSING,
    NO_REPORT,
    ON_TIME,
    ON_TRACK,
    REPORTING_GRACE_DAYS,
    ReachedBreakdown,
    TargetProgress,
)
from adelante.figures.reached import USD_INVESTED
from adelante.figures.results import Breakdown, Reconciliation
from adelante.money.formatting import as_stated, format_number, format_usd, with_qualifier
from adelante.money.qualifiers import AmountQualifier, TotalQualifier
from adelante.partners.models import PartnerType
from adelante.reports import charts
from adelante.reports.document import (
    Block,
    Cell,
    Chart,
    Document,
    Fact,
    Facts,
    Heading,
    Links,
    Paragraph,
    Table,
)
from adelante.reports.editions import (
    PARTNER,
    PROGRESS,
    Edition,
    PartnerFigures,
    ProgressFigures,
    RoundFigures,
)

DASH = "—"
SUMMARY_LENGTH = 180


class Words:
    """Labels and formats in the active language (created inside `translation.override`)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.metrics = {m.code: m for m in Metric.objects.all()}
        self.focus = {f.code: f.name for f in FocusArea.objects.all()}
        self.countries = {c.value: str(c.label) for c in Country}
        self.kinds = {k.value: str(k.label) for k in MoneyKind}

    # numbers, money, dates
    def date(self, day: datetime.date | None) -> str:
        return format_date(day, format="long", locale=self.language) if day else DASH

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
        if metric == USD_INVESTED or self.unit(metric) == Metric.Unit.USD:
            return format_usd(value, self.language)
        return format_number(value, self.language)

    def unit(self, metric: str) -> str:
        found = self.metrics.get(metric)
        return found.unit if found else ""

    def metric(self, code: str) -> str:
        found = self.metrics.get(code)
        return found.name if found else code.replace("_", " ")

    # labels
    def country(self, key: str) -> str:
        special = {
            MULTI_COUNTRY: _("Several countries (no split stated)"),
            REGIONAL: _("The region (no country named)"),
        }
        return special.get(key) or self.countries.get(key, key)

    def focus_area(self, key: str) -> str:
        if key == UNCLASSIFIED:
            return _("No focus area")
        return self.focus.get(key, key)

    def kind(self, key: str) -> str:
        return self.kinds.get(key, key)

    def row_key(self, dimension: str, key: str) -> str:
        if dimension == "country":
            return self.country(key)
        if dimension == "focus":
            return self.focus_area(key)
        return self.kind(key)

    def dimension(self, dimension: str) -> str:
        return {
            "country": _("by country"),
            "kind": _("by kind of money"),
            "focus": _("by focus area"),
            "round": _("by round"),
        }[dimension]

    def dimension_column(self, dimension: str) -> str:
        return {
            "country": _("Country"),
            "kind": _("Kind of money"),
            "focus": _("Focus area"),
            "round": _("Round"),
        }[dimension]

    def line_amount(self, line: CommitmentLine) -> str:
        if line.qualifier == AmountQualifier.CONFIDENTIAL and line.amount_usd is None:
            return _("confidential")
        if line.amount_usd is None:
            return _("no public amount")
        qualifier = line.qualifier if line.qualifier in TotalQualifier.values else "exact"
        return self.usd(line.amount_usd, qualifier)

    def relation(self, line: CommitmentLine) -> str:
        if line.relation == Relation.RESTATEMENT:
            return _("restatement (counts zero)")
        if line.relation == Relation.INCREASE:
            return _("increase")
        return _("new")

    def line_countries(self, line: CommitmentLine) -> str:
        if not line.countries:
            return self.country(REGIONAL)
        parts = []
        for code, share in line.countries:
            name = self.countries.get(code, code)
            if share is not None and len(line.countries) > 1:
                name = f"{name} ({format_number(share, self.language)} %)"
            parts.append(name)
        return ", ".join(parts)

    def target_status(self, status: str) -> str:
        return {ON_TRACK: _("on track"), BEHIND: _("behind"), NO_REPORT: _("no report")}[status]

    def period_status(self, status: str) -> str:
        return {ON_TIME: _("on time"), LATE: _("late"), MISSING: _("missing")}[status]


def _summary(line: CommitmentLine, length: int = SUMMARY_LENGTH) -> str:
    text = line.title or line.summary or line.reference
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def compose(edition: Edition, language: str) -> Document:
    """The edition as a document in English or Spanish."""
    with translation.override(language):
        words = Words(language)
        if edition.kind == PROGRESS:
            assert isinstance(edition.figures, ProgressFigures)
            title, subtitle, blocks = _progress(edition, edition.figures, words)
        elif edition.kind == PARTNER:
            assert isinstance(edition.figures, PartnerFigures)
            title, subtitle, blocks = _partner(edition, edition.figures, words)
        else:
            assert isinstance(edition.figures, RoundFigures)
            title, subtitle, blocks = _round(edition, edition.figures, words)
        blocks = _without_repeated_captions(blocks)
        colophon = _colophon(edition, words, language)
        footer = _("Adelante · as of %(as_of)s · record of %(recorded_on)s · SHA-256 %(short)s") % {
            "as_of": edition.as_of.isoformat(),
            "recorded_on": edition.recorded_on.isoformat(),
            "short": edition.checksum[:16],
        }
        stem = "-".join(
            part
            for part in (edition.kind, edition.subject, edition.as_of.isoformat(), language)
            if part
        )
        return Document(
            language=language,
            kind=edition.kind,
            title=title,
            subtitle=subtitle,
            blocks=tuple(blocks),
            colophon=colophon,
            footer=footer,
            as_of=edition.as_of,
            recorded_on=edition.recorded_on,
            checksum=edition.checksum,
            stem=stem,
            keywords=(
                f"as-of={edition.as_of.isoformat()}",
                f"recorded-on={edition.recorded_on.isoformat()}",
                f"sha256={edition.checksum}",
            ),
        )


def _without_repeated_captions(blocks: list[Block]) -> list[Block]:
    """Hide a table's caption where the heading above it (maybe above a chart) says the same."""
    result: list[Block] = []
    heading = ""
    for block in blocks:
        if isinstance(block, Heading):
            heading = block.text
        elif isinstance(block, Table):
            if block.caption == heading:
                block = dataclasses.replace(block, show_caption=False)
            heading = ""
        elif not isinstance(block, Chart):
            heading = ""
        result.append(block)
    return result


def _dates(edition: Edition, words: Words) -> tuple[str, ...]:
    return (
        _("Figures as of %(date)s") % {"date": words.date(edition.as_of)},
        _("From the record as it stood on %(date)s") % {"date": words.date(edition.recorded_on)},
    )


def _colophon(edition: Edition, words: Words, language: str) -> tuple[str, ...]:
    command = f"adelante report {edition.kind}"
    if edition.subject:
        command += f" {edition.subject}"
    if edition.kind != "round":
        command += f" --as-of {edition.as_of.isoformat()}"
    command += f" --recorded-on {edition.recorded_on.isoformat()} --lang {language}"
    return (
        _("Edition: figures as of %(as_of)s, from the record as it stood on %(recorded_on)s.")
        % {"as_of": words.date(edition.as_of), "recorded_on": words.date(edition.recorded_on)},
        _("Checksum of the figures (SHA-256): %(checksum)s") % {"checksum": edition.checksum},
        _("To regenerate this edition with the same figures: %(command)s") % {"command": command},
        _("Generated by Adelante from the record; every figure is computed by its figures module."),
    )


# --- Shared pieces ----------------------------------------------------------------------------


def _statement_text(row: Reconciliation, words: Words) -> str:
    if row.figure:
        return str(StatementFigure(row.figure).label)
    return row.metric.replace("_", " ")


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


def statements_table(rows: Sequence[Reconciliation], words: Words) -> Table:
    return Table(
        caption=_("Official statements beside the record"),
        header=(
            _("Date"),
            _("Statement"),
            _("As published"),
            _("What the record backs"),
            _("Not itemised"),
            _("Source"),
        ),
        rows=tuple(
            (
                Cell(words.date(r.stated_on)),
                Cell(_statement_text(r, words)),
                Cell(_stated_value(r, words)),
                Cell(
                    _computed_value(r, words, r.computed_value)
                    if r.computed_value is not None
                    else _("not computable from the record")
                ),
                Cell(_computed_value(r, words, r.gap)),
                Cell(_("source"), href=r.source_url),
            )
            for r in rows
        ),
        numeric=(2, 3, 4),
        note=_(
            "Statements are shown as published and never recomputed. “Not itemised” is what a "
            "statement claims beyond the commitments the record itemises."
        ),
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
            Cell(_summary(line)),
            Cell(words.kind(line.kind)),
            Cell(words.line_countries(line)),
            Cell(words.line_amount(line)),
            Cell(words.relation(line)),
        ]
        rows.append(tuple(cells))
    return Table(
        caption=caption,
        header=tuple(name for name, _width in columns),
        rows=tuple(rows),
        numeric=(len(columns) - 2,),
        widths=tuple(width for _name, width in columns),
    )


def breakdown_table(breakdown: Breakdown, words: Words, labels: dict[str, str]) -> Table:
    rows = tuple(
        (
            Cell(labels.get(row.key, row.key)),
            Cell(
                _("withheld (confidential)")
                if row.suppressed
                else words.usd(row.amount_usd, row.qualifier)
            ),
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
    if any(row.suppressed for row in breakdown.rows):
        notes.append(
            _(
                "Withheld: the cell would reveal a partner's confidential amount (fewer than "
                "three contributors); it still counts in the total."
            )
        )
    return Table(
        caption=_("Committed %(by)s") % {"by": words.dimension(breakdown.dimension)},
        header=(words.dimension_column(breakdown.dimension), _("Committed"), _("Commitments")),
        rows=rows,
        numeric=(1, 2),
        total=total,
        note=" ".join(notes),
        widths=(3.0, 2.2, 1.2),
    )


def breakdown_chart(breakdown: Breakdown, words: Words, labels: dict[str, str]) -> Chart | None:
    shown = [r for r in breakdown.rows if r.amount_usd]
    if not shown:
        return None
    shown.sort(key=lambda r: r.amount_usd or 0, reverse=True)
    title = _("Committed %(by)s") % {"by": words.dimension(breakdown.dimension)}
    return charts.bar_chart(
        title,
        [labels.get(r.key, r.key) for r in shown],
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
    special = {MULTI_COUNTRY: 1, REGIONAL: 2, UNCLASSIFIED: 3}
    keys.sort(key=lambda k: (special.get(k, 0), words.row_key(dimension, k).casefold()))
    values = {(b.metric, r.key): r.value for b in breakdowns for r in b.rows}
    rows = tuple(
        (
            Cell(words.row_key(dimension, key)),
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
        caption=_("Invested and reached %(by)s") % {"by": words.dimension(dimension)},
        header=(words.dimension_column(dimension), *(words.metric(b.metric) for b in breakdowns)),
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
                Cell(words.target_status(t.status)),
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


def _line_sources(lines: Iterable[CommitmentLine]) -> list[tuple[str, str]]:
    return [(s.url, s.title) for line in lines for s in line.sources]


def _commitments_facts_note(total_commitments: int, partners: int, without: int, re: int) -> str:
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


# --- The progress report ----------------------------------------------------------------------


def _progress(
    edition: Edition, f: ProgressFigures, words: Words
) -> tuple[str, tuple[str, ...], list[Block]]:
    title = _("Central America Forward: progress report")
    blocks: list[Block] = [Heading(_("Headline figures"))]
    facts = [
        Fact(
            _("Committed"),
            words.usd(f.committed.amount_usd, f.committed.qualifier),
            _commitments_facts_note(
                f.committed.commitments,
                f.committed.partners,
                f.committed.commitments_without_amount,
                f.committed.restatements,
            ),
        ),
        Fact(
            _("Invested (verified progress)"),
            words.usd(f.invested.value),
            ngettext(
                "reported for %(n)d commitment",
                "reported for %(n)d commitments",
                f.invested.commitments,
            )
            % {"n": f.invested.commitments},
        ),
    ]
    for r in f.reached:
        facts.append(
            Fact(
                words.metric(r.metric),
                words.metric_value(r.metric, r.value),
                ngettext(
                    "reported for %(n)d commitment",
                    "reported for %(n)d commitments",
                    r.commitments,
                )
                % {"n": r.commitments},
            )
        )
    blocks.append(Facts(tuple(facts)))
    blocks.append(
        Paragraph(
            _(
                "Figures are computed from the itemised record: commitments announced by the "
                "date and not withdrawn, new money only, in US dollars at the rate of the "
                "announcement date. Itemised commitments do not add up to the official totals; "
                "the table below shows the gap."
            ),
            note=True,
        )
    )

    blocks.append(Heading(_("Official statements and what the record backs")))
    if f.statements:
        blocks.append(statements_table(f.statements, words))
    else:
        blocks.append(Paragraph(_("No official statement was made by this date.")))

    blocks.append(Heading(_("Committed by country, kind of money and focus area")))
    for breakdown in f.committed_by:
        labels = row_labels(breakdown)
        blocks.append(
            Heading(_("Committed %(by)s") % {"by": words.dimension(breakdown.dimension)}, level=3)
        )
        chart = breakdown_chart(breakdown, words, labels)
        if chart is not None:
            blocks.append(chart)
        blocks.append(breakdown_table(breakdown, words, labels))

    blocks.append(Heading(_("Invested and people reached")))
    if not f.invested.commitments and not f.reached:
        blocks.append(Paragraph(_("No verified progress report has a period ending by this date.")))
    else:
        for i, dimension in enumerate(("country", "kind", "focus")):
            chosen = [f.invested_by[i], *(b for b in f.reached_by if b.dimension == dimension)]
            blocks.append(
                Heading(
                    _("Invested and reached %(by)s") % {"by": words.dimension(dimension)}, level=3
                )
            )
            invested_rows = [r for r in f.invested_by[i].rows if r.value]
            if invested_rows:
                chart_title = _("Invested %(by)s") % {"by": words.dimension(dimension)}
                blocks.append(
                    charts.bar_chart(
                        chart_title,
                        [words.row_key(dimension, r.key) for r in invested_rows],
                        [r.value for r in invested_rows],
                        [words.compact_usd(r.value) for r in invested_rows],
                        alt=_("Bar chart of the amounts in the table “%(title)s”.")
                        % {"title": chart_title},
                    )
                )
            blocks.append(reached_table(dimension, chosen, words))
        blocks.append(
            Paragraph(
                _(
                    "Progress is not reported per country: a commitment's value counts in its "
                    "country when it names one, under “several countries” when it names "
                    "several, and under “the region” when it names none."
                ),
                note=True,
            )
        )

    blocks.append(Heading(_("Partners and their commitments, by round")))
    by_round: dict[str, list[CommitmentLine]] = {}
    for line in sorted(
        f.commitments, key=lambda x: (x.round_on or datetime.date.min, x.round_slug)
    ):
        by_round.setdefault(line.round_slug, []).append(line)
    for lines in by_round.values():
        first = lines[0]
        name = first.round_label or _("No round")
        caption = f"{name} ({words.date(first.round_on)})" if first.round_on else name
        blocks.append(Heading(caption, level=3))
        blocks.append(commitments_table(lines, words, caption))
    if not f.commitments:
        blocks.append(Paragraph(_("No commitment counts by this date.")))

    blocks.append(Heading(_("Progress against targets")))
    blocks.append(target_rule(words))
    if f.targets:
        blocks.append(targets_table(f.targets, words, edition.as_of))
    else:
        blocks.append(Paragraph(_("No commitment that counts by this date has a target.")))

    blocks.append(Heading(_("Methods")))
    blocks.extend(Paragraph(text) for text in _methods())

    blocks.append(Heading(_("Sources")))
    blocks.append(
        sources_block([(s.source_url, "") for s in f.statements] + _line_sources(f.commitments))
    )
    return title, _dates(edition, words), blocks


def _methods() -> list[str]:
    return [
        _(
            "Committed as of a date: new money of commitments announced on or before the date "
            "and not withdrawn by then. Restatements of earlier pledges count zero; commitments "
            "without a public amount are counted but add nothing. Amounts in other currencies "
            "are converted at the rate of the announcement date. A total that includes an "
            "“at least” amount is itself “at least”."
        ),
        _(
            "By country: stated shares split an amount; several countries without shares count "
            "under “several countries”, none under “the region”; the rows add up to the total. "
            "Focus areas overlap, so that table has no total."
        ),
        _(
            "Invested and reached: for each commitment, the latest verified value (cumulative "
            "to date) with a period ending by the date, then summed. Drafts, submitted and "
            "returned reports do not count."
        ),
        _(
            "Confidential amounts count in totals, but a cell that would reveal one partner's "
            "confidential amount (fewer than three contributors) is withheld, with a second "
            "cell where the first could be recovered by subtraction. Listed commitments never "
            "show a confidential amount."
        ),
        _(
            "Official statements are stored verbatim; each is shown beside the figure the "
            "record computes for the statement's own date."
        ),
    ]


# --- The round fact sheet ---------------------------------------------------------------------


def _round(
    edition: Edition, f: RoundFigures, words: Words
) -> tuple[str, tuple[str, ...], list[Block]]:
    sheet = f.sheet
    title = _("Round fact sheet: %(round)s") % {"round": sheet.label}
    subtitle = (
        _("Announced on %(date)s") % {"date": words.date(sheet.announced_on)},
        _("From the record as it stood on %(date)s") % {"date": words.date(edition.recorded_on)},
    )
    row = sheet.new_money
    if row is None:
        new_money = words.usd(Decimal("0.00"))
    elif row.suppressed:
        new_money = _("withheld (confidential)")
    else:
        new_money = words.usd(row.amount_usd, row.qualifier)
    counted_new = [c for c in sheet.commitments if c.relation != Relation.RESTATEMENT]
    facts = (
        Fact(
            _("New money in this round"),
            new_money,
            ngettext(
                "%(n)d commitment with an amount",
                "%(n)d commitments with an amount",
                len(counted_new) - len(sheet.without_amount),
            )
            % {"n": len(counted_new) - len(sheet.without_amount)},
        ),
        Fact(
            _("Commitments announced"),
            words.number(len(sheet.commitments)),
            ngettext(
                "%(n)d without a public amount",
                "%(n)d without a public amount",
                len(sheet.without_amount),
            )
            % {"n": len(sheet.without_amount)}
            + "; "
            + ngettext(
                "%(n)d restatement counted zero",
                "%(n)d restatements counted zero",
                len(sheet.restatements),
            )
            % {"n": len(sheet.restatements)},
        ),
        Fact(_("Partners new to the partnership"), words.number(len(sheet.new_partners))),
        Fact(
            _("Committed to date, all rounds"),
            words.usd(sheet.cumulative.amount_usd, sheet.cumulative.qualifier),
            _commitments_facts_note(
                sheet.cumulative.commitments,
                sheet.cumulative.partners,
                sheet.cumulative.commitments_without_amount,
                sheet.cumulative.restatements,
            ),
        ),
    )
    blocks: list[Block] = [Heading(_("What the round announced")), Facts(facts)]
    labels = row_labels(f.by_round)
    chart = breakdown_chart(f.by_round, words, labels)
    if chart is not None:
        blocks.append(chart)
    blocks.append(breakdown_table(f.by_round, words, labels))

    blocks.append(Heading(_("Official statements on the day")))
    if sheet.statements:
        blocks.append(statements_table(sheet.statements, words))
    else:
        blocks.append(Paragraph(_("No official statement is recorded for this day.")))

    blocks.append(Heading(_("Commitments announced")))
    if sheet.commitments:
        blocks.append(commitments_table(sheet.commitments, words, _("Commitments announced")))
    else:
        blocks.append(Paragraph(_("No commitment of this round counts.")))

    blocks.append(Heading(_("Restatements")))
    if sheet.restatements:
        blocks.append(
            Paragraph(
                _(
                    "These repeat a pledge made earlier; they are listed but count zero, so "
                    "the money is not counted twice."
                )
            )
        )
        blocks.append(commitments_table(sheet.restatements, words, _("Restatements")))
    else:
        blocks.append(Paragraph(_("No commitment in this round restates an earlier one.")))

    blocks.append(Heading(_("Partners new to the partnership")))
    if sheet.new_partners:
        blocks.append(Paragraph(", ".join(sheet.new_partners)))
    else:
        blocks.append(Paragraph(_("Every partner in this round had committed before.")))

    blocks.append(Heading(_("Sources")))
    blocks.append(
        sources_block(
            [(s.source_url, "") for s in sheet.statements] + _line_sources(sheet.commitments)
        )
    )
    return title, subtitle, blocks


# --- The partner scorecard --------------------------------------------------------------------


def _partner(
    edition: Edition, f: PartnerFigures, words: Words
) -> tuple[str, tuple[str, ...], list[Block]]:
    title = _("Partner scorecard: %(partner)s") % {"partner": f.name}
    type_label = str(PartnerType(f.type).label) if f.type in PartnerType.values else f.type
    subtitle = (*_dates(edition, words), type_label.capitalize())
    total = f.total
    statuses = [t.status for t in f.targets]
    due = sum(p.due for p in f.punctuality)
    on_time = sum(p.on_time for p in f.punctuality)
    facts = (
        Fact(
            _("Committed"),
            _("withheld (confidential)")
            if total.suppressed
            else words.usd(total.amount_usd, total.qualifier),
            ngettext("%(n)d commitment", "%(n)d commitments", total.commitments)
            % {"n": total.commitments}
            + "; "
            + ngettext(
                "%(n)d without a public amount",
                "%(n)d without a public amount",
                total.commitments_without_amount,
            )
            % {"n": total.commitments_without_amount}
            + "; "
            + ngettext(
                "%(n)d restatement counted zero",
                "%(n)d restatements counted zero",
                total.restatements,
            )
            % {"n": total.restatements},
        ),
        Fact(
            _("Targets"),
            words.number(len(f.targets)),
            _("%(on)d on track, %(behind)d behind, %(none)d with no report")
            % {
                "on": statuses.count(ON_TRACK),
                "behind": statuses.count(BEHIND),
                "none": statuses.count(NO_REPORT),
            },
        ),
        Fact(
            _("Reports on time"),
            _("%(on)s of %(due)s") % {"on": words.number(on_time), "due": words.number(due)},
            _("half-year reports due by the date"),
        ),
    )
    blocks: list[Block] = [Heading(_("Summary")), Facts(facts)]

    blocks.append(Heading(_("Commitments")))
    if f.commitments:
        blocks.append(
            commitments_table(
                f.commitments, words, _("Commitments"), with_date=True, with_partner=False
            )
        )
    else:
        blocks.append(Paragraph(_("No commitment of this partner counts by this date.")))

    blocks.append(Heading(_("Targets")))
    blocks.append(target_rule(words))
    if f.targets:
        blocks.append(targets_table(f.targets, words, edition.as_of))
    else:
        blocks.append(Paragraph(_("No commitment of this partner has a target.")))

    blocks.append(Heading(_("Reported progress over time")))
    metrics = sorted({p.metric for p in f.series}, key=lambda m: (m != USD_INVESTED, m))
    if metrics:
        series = []
        for metric in metrics:
            points = [(p.period_end, p.value) for p in f.series if p.metric == metric]
            series.append((words.metric(metric), points, _number_format(words, metric)))
        chart_title = _("Verified values at the end of each reporting period")
        blocks.append(
            charts.line_chart(
                chart_title,
                series,
                words.short_date,
                alt=_("Line chart of the values in the table “%(title)s”.")
                % {"title": chart_title},
            )
        )
        blocks.append(
            Table(
                caption=chart_title,
                header=(_("Metric"), _("Period ending"), _("Value")),
                rows=tuple(
                    (
                        Cell(words.metric(p.metric)),
                        Cell(words.date(p.period_end)),
                        Cell(words.metric_value(p.metric, p.value)),
                    )
                    for metric in metrics
                    for p in f.series
                    if p.metric == metric
                ),
                numeric=(2,),
                widths=(2.5, 2.0, 2.0),
            )
        )
    else:
        blocks.append(Paragraph(_("No verified progress report by this date.")))

    blocks.append(Heading(_("Reporting punctuality")))
    blocks.append(
        Paragraph(
            _(
                "Each commitment is expected to report for every half-year (January to June, "
                "July to December) that ends more than %(days)d days after its announcement, "
                "until its end; restatements are not expected to report. A report is "
                "on time when it was first submitted within %(days)d days of the period's end "
                "(the submission date comes from the record's history), late when submitted "
                "after that, and missing when not submitted by the date. Periods whose %(days)d "
                "days have not yet passed are not counted."
            )
            % {"days": REPORTING_GRACE_DAYS}
        )
    )
    names = {line.reference: _summary(line, 90) for line in f.commitments}
    rows = [
        (
            Cell(names.get(c.reference) or c.title or c.reference),
            Cell(words.date(p.period_end)),
            Cell(words.date(p.due_on)),
            Cell(words.date(p.submitted_on)),
            Cell(words.period_status(p.status)),
        )
        for c in f.punctuality
        for p in c.periods
    ]
    if rows:
        blocks.append(
            Table(
                caption=_("Reports due by the date"),
                header=(
                    _("Commitment"),
                    _("Half-year ending"),
                    _("Due by"),
                    _("Submitted on"),
                    _("Status"),
                ),
                rows=tuple(rows),
                total=(
                    Cell(_("Total")),
                    Cell(words.number(due)),
                    Cell(""),
                    Cell(
                        _("%(late)s late")
                        % {"late": words.number(sum(c.late for c in f.punctuality))}
                    ),
                    Cell(_("%(on)s on time") % {"on": words.number(on_time)}),
                ),
                widths=(3.0, 1.5, 1.5, 1.5, 1.0),
            )
        )
    else:
        blocks.append(Paragraph(_("No half-year report was due by this date.")))

    blocks.append(Heading(_("Sources")))
    blocks.append(sources_block(_line_sources(f.commitments)))
    return title, subtitle, blocks


def _number_format(words: Words, metric: str) -> Callable[[Decimal], str]:
    if metric == USD_INVESTED or words.unit(metric) == Metric.Unit.USD:
        return words.compact_usd
    return words.number
