"""A round's figures: its by-round row, its counts and the statements of its date."""

import datetime
from decimal import Decimal

import pytest

from adelante.commitments.choices import Relation, StatementFigure
from adelante.commitments.models import OfficialStatement
from adelante.figures.audience import Audience
from adelante.figures.committed import committed_by
from adelante.figures.reconcile import latest_reconciled, reconcile, reconcile_on
from adelante.figures.rounds import round_figures
from adelante.money.qualifiers import AmountQualifier
from tests import builders

pytestmark = pytest.mark.django_db

MAY = datetime.date(2021, 5, 27)
DEC = datetime.date(2021, 12, 13)


def statement(day, value, figure, metric):
    return OfficialStatement.objects.create(
        stated_on=day,
        metric=metric,
        value=Decimal(value),
        unit="USD",
        qualifier="at_least",
        source_url=f"https://example.org/{metric}/{day}",
        figure=figure,
    )


@pytest.fixture
def record():
    builders.commitment("Alpha", "150", MAY)
    builders.commitment("Beta", "600", DEC)
    builders.commitment("Alpha", "150", DEC, relation=Relation.RESTATEMENT)
    builders.commitment("Gamma", None, DEC)
    statement(DEC, "800", StatementFigure.ROUND_COMMITTED_USD, "new_commitments_usd")
    statement(DEC, "1200", StatementFigure.COMMITTED_USD, "cumulative_committed_usd")
    statement(MAY, "750", StatementFigure.COMMITTED_USD, "cumulative_committed_usd")


def test_the_round_row_counts_and_statements(record):
    december = builders.round_on(DEC)
    figures = round_figures(december.id, DEC)
    row = next(r for r in committed_by("round", DEC).rows if r.key == str(december.id))
    assert figures.amount_usd == row.amount_usd == Decimal("600.00")
    assert (figures.commitments, figures.restatements, figures.partners) == (3, 1, 3)
    assert figures.new_partners == 2  # Beta and Gamma; Alpha came in May
    assert [s.metric for s in figures.statements] == [
        "cumulative_committed_usd",
        "new_commitments_usd",
    ]
    assert figures.statements == reconcile_on(DEC)
    by_id = {r.statement_id: r for r in reconcile(DEC)}
    for s in figures.statements:
        assert s == by_id[s.statement_id]


def test_a_round_after_the_date_has_nothing_yet(record):
    december = builders.round_on(DEC)
    figures = round_figures(december.id, MAY)
    assert not figures.announced
    assert figures.amount_usd == 0 and figures.commitments == 0 and figures.statements == ()


def test_a_confidential_amount_is_left_out_of_the_public_round_figure():
    builders.commitment("Secret", "10", MAY, qualifier=AmountQualifier.CONFIDENTIAL)
    builders.commitment("Open", "20", DEC)
    may = builders.round_on(MAY)
    figures = round_figures(may.id, DEC)
    assert not figures.suppressed and figures.amount_usd == 0
    assert (figures.commitments, figures.confidential) == (1, 1)


def test_for_allowed_roles_a_confidential_round_row_is_suppressed_as_in_the_breakdown():
    builders.commitment("Secret", "10", MAY, qualifier=AmountQualifier.CONFIDENTIAL)
    builders.commitment("Open", "20", DEC)
    may = builders.round_on(MAY)
    figures = round_figures(may.id, DEC, audience=Audience.CONFIDENTIAL_ALLOWED)
    assert figures.suppressed and figures.amount_usd is None


def test_latest_reconciled_gives_the_latest_statements_of_a_figure(record):
    latest = latest_reconciled(StatementFigure.COMMITTED_USD, DEC)
    assert [(r.stated_on, r.stated_value) for r in latest] == [(DEC, Decimal("1200"))]
    assert latest[0].computed_value == Decimal("750.00")
    assert latest[0].gap == Decimal("450.00")
    may = latest_reconciled(StatementFigure.COMMITTED_USD, DEC - datetime.timedelta(days=1))
    assert [r.stated_on for r in may] == [MAY]
    assert latest_reconciled(StatementFigure.INVESTED_USD, DEC) == ()
