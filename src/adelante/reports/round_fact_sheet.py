"""A round's fact sheet: what the round announced (new money, commitments, restatements,
partners new to the partnership), the official statements of the day and the sources."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante.commitments.choices import Relation
from adelante.figures import labels
from adelante.reports.blocks import (
    Composition,
    breakdown_chart,
    breakdown_table,
    commitments_facts_note,
    commitments_table,
    line_sources,
    sources_block,
    statements_table,
    with_confidential,
)
from adelante.reports.document import Block, Fact, Facts, Heading, Paragraph
from adelante.reports.editions import Edition, RoundFigures
from adelante.reports.words import Words


def round_fact_sheet(edition: Edition, f: RoundFigures, words: Words) -> Composition:
    sheet = f.sheet
    title = _("Round fact sheet: %(round)s") % {"round": sheet.label}
    subtitle = (
        words.initiative,
        _("Announced on %(date)s") % {"date": words.date(sheet.announced_on)},
        _("From the record as it stood on %(date)s") % {"date": words.date(edition.recorded_on)},
    )
    row = sheet.new_money
    if row is None:
        new_money = words.usd(Decimal("0.00"))
    elif row.suppressed:
        new_money = labels.withheld()
    else:
        new_money = words.usd(row.amount_usd, row.qualifier)
    counted_new = [c for c in sheet.commitments if c.relation != Relation.RESTATEMENT]
    facts = (
        Fact(
            _("New money in this round"),
            new_money,
            with_confidential(
                ngettext(
                    "%(n)d commitment with an amount",
                    "%(n)d commitments with an amount",
                    len(counted_new) - len(sheet.without_amount),
                )
                % {"n": len(counted_new) - len(sheet.without_amount)},
                row.confidential if row is not None else 0,
            ),
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
            commitments_facts_note(
                sheet.cumulative.commitments,
                sheet.cumulative.partners,
                sheet.cumulative.commitments_without_amount,
                sheet.cumulative.restatements,
                sheet.cumulative.commitments_confidential,
            ),
        ),
    )
    blocks: list[Block] = [Heading(_("What the round announced")), Facts(facts)]
    names = labels.row_labels(f.by_round)
    chart = breakdown_chart(f.by_round, words, names)
    if chart is not None:
        blocks.append(chart)
    blocks.append(breakdown_table(f.by_round, words, names))

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
            [(s.source_url, "") for s in sheet.statements] + line_sources(sheet.commitments)
        )
    )
    return title, subtitle, blocks
