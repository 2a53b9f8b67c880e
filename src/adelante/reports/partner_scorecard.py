"""A partner's scorecard: what it committed, its targets, its verified progress over time and
how punctually it reported, with the sources."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante.figures import labels
from adelante.figures.progress import BEHIND, NO_REPORT, ON_TRACK, REPORTING_GRACE_DAYS
from adelante.figures.reached import USD_INVESTED
from adelante.partners.models import PartnerType
from adelante.reports import charts
from adelante.reports.blocks import (
    Composition,
    commitments_table,
    edition_dates,
    line_sources,
    sources_block,
    targets_section,
    with_confidential,
)
from adelante.reports.document import Block, Cell, Fact, Facts, Heading, Paragraph, Table
from adelante.reports.editions import Edition, PartnerFigures
from adelante.reports.words import Words, summary


def partner_scorecard(edition: Edition, f: PartnerFigures, words: Words) -> Composition:
    title = _("Partner scorecard: %(partner)s") % {"partner": f.name}
    type_label = str(PartnerType(f.type).label) if f.type in PartnerType.values else f.type
    subtitle = (*edition_dates(edition, words), type_label.capitalize())
    total = f.total
    statuses = [t.status for t in f.targets]
    due = sum(p.due for p in f.punctuality)
    on_time = sum(p.on_time for p in f.punctuality)
    facts = (
        Fact(
            _("Committed"),
            labels.withheld() if total.suppressed else words.usd(total.amount_usd, total.qualifier),
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
            + with_confidential(
                ngettext(
                    "%(n)d restatement counted zero",
                    "%(n)d restatements counted zero",
                    total.restatements,
                )
                % {"n": total.restatements},
                total.commitments_confidential,
            ),
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
    blocks.extend(
        targets_section(
            f.targets, words, edition.as_of, _("No commitment of this partner has a target.")
        )
    )

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
    names = {line.reference: summary(line, 90) for line in f.commitments}
    rows = [
        (
            Cell(names.get(c.reference) or c.title or c.reference),
            Cell(words.date(p.period_end)),
            Cell(words.date(p.due_on)),
            Cell(words.date(p.submitted_on)),
            Cell(labels.period_status_label(p.status)),
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
    blocks.append(sources_block(line_sources(f.commitments)))
    return title, subtitle, blocks


def _number_format(words: Words, metric: str) -> Callable[[Decimal], str]:
    if words.is_money(metric):
        return words.compact_usd
    return words.number
