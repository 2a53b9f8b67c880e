"""The progress report: headline figures, official statements beside the record, what was
committed, invested and reached by country, kind of money and focus area, every commitment by
round, progress against targets, methods and sources."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante.figures import labels
from adelante.figures.listing import CommitmentLine
from adelante.reports import charts
from adelante.reports.blocks import (
    Composition,
    breakdown_chart,
    breakdown_table,
    commitments_facts_note,
    commitments_table,
    edition_dates,
    ladder_blocks,
    line_sources,
    reached_table,
    sources_block,
    statements_table,
    targets_section,
)
from adelante.reports.document import Block, Fact, Facts, Heading, Paragraph
from adelante.reports.editions import Edition, ProgressFigures
from adelante.reports.words import Words, round_label


def progress_report(edition: Edition, f: ProgressFigures, words: Words) -> Composition:
    title = _("%(initiative)s: progress report") % {"initiative": words.initiative}
    blocks: list[Block] = [Heading(_("Headline figures"))]
    facts = [
        Fact(
            _("Committed"),
            words.usd(f.committed.amount_usd, f.committed.qualifier),
            commitments_facts_note(
                f.committed.commitments,
                f.committed.partners,
                f.committed.commitments_without_amount,
                f.committed.restatements,
                f.committed.commitments_confidential,
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
            % {"n": f.invested.commitments}
            + "; "
            + _("of which %(amount)s independently verified")
            % {"amount": words.usd(f.invested_verified.value)},
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
                "the table below gives each official figure's verdict against the record."
            ),
            note=True,
        )
    )

    blocks.append(Heading(_("From announcement to delivery")))
    blocks.extend(ladder_blocks(f.ladder, words))

    blocks.append(Heading(_("Official statements and what the record backs")))
    if f.statements:
        blocks.append(statements_table(f.statements, words))
    else:
        blocks.append(Paragraph(_("No official statement was made by this date.")))

    blocks.append(Heading(_("Committed by country, kind of money and focus area")))
    for breakdown in f.committed_by:
        names = labels.row_labels(breakdown)
        blocks.append(
            Heading(
                _("Committed %(by)s") % {"by": labels.by_dimension(breakdown.dimension)}, level=3
            )
        )
        chart = breakdown_chart(breakdown, words, names)
        if chart is not None:
            blocks.append(chart)
        blocks.append(breakdown_table(breakdown, words, names))

    blocks.append(Heading(_("Invested and people reached")))
    if not f.invested.commitments and not f.reached:
        blocks.append(Paragraph(_("No verified progress report has a period ending by this date.")))
    else:
        for i, dimension in enumerate(("country", "kind", "focus")):
            chosen = [f.invested_by[i], *(b for b in f.reached_by if b.dimension == dimension)]
            blocks.append(
                Heading(
                    _("Invested and reached %(by)s") % {"by": labels.by_dimension(dimension)},
                    level=3,
                )
            )
            invested_rows = [r for r in f.invested_by[i].rows if r.value]
            names = labels.key_labels(dimension, [r.key for r in invested_rows])
            if invested_rows:
                chart_title = _("Invested %(by)s") % {"by": labels.by_dimension(dimension)}
                blocks.append(
                    charts.bar_chart(
                        chart_title,
                        [names[r.key] for r in invested_rows],
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
        name = round_label(first) if first.round_label else _("No round")
        caption = f"{name} ({words.date(first.round_on)})" if first.round_on else name
        blocks.append(Heading(caption, level=3))
        blocks.append(commitments_table(lines, words, caption))
    if not f.commitments:
        blocks.append(Paragraph(_("No commitment counts by this date.")))

    blocks.append(Heading(_("Progress against targets")))
    blocks.extend(
        targets_section(
            f.targets,
            words,
            edition.as_of,
            _("No commitment that counts by this date has a target."),
        )
    )

    blocks.append(Heading(_("Methods")))
    blocks.extend(Paragraph(text) for text in _methods())

    blocks.append(Heading(_("Sources")))
    blocks.append(
        sources_block([(s.source_url, "") for s in f.statements] + line_sources(f.commitments))
    )
    return title, edition_dates(edition, words), blocks


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
            "Confidential amounts are in no figure of this report: each total says how many "
            "commitments with a confidential amount it leaves out, so that no difference "
            "between two published figures can reveal one. Listed commitments never show a "
            "confidential amount."
        ),
        _(
            "Official statements are stored verbatim; each is shown beside the figure the "
            "record computes for the statement's own date."
        ),
    ]
