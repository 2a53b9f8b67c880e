"""Dates as precise as the source: YYYY and YYYY-MM (issue 13, item 6)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from adelante.commitments.choices import DatePrecision, StatementFigure
from adelante.commitments.models import OfficialStatement
from adelante.figures.labels import dated
from adelante.figures.reconcile import reconcile
from adelante.figures.timeline import committed_timeline
from adelante.isodates import LooseDate, parse_loose
from tests import builders


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", LooseDate(datetime.date(2024, 12, 31), "year")),
        ("2024-02", LooseDate(datetime.date(2024, 2, 29), "month")),
        ("2023-02-06", LooseDate(datetime.date(2023, 2, 6), "day")),
        (" 2024 ", LooseDate(datetime.date(2024, 12, 31), "year")),
        ("2024-13", None),
        ("2023-02-30", None),
        ("24", None),
        ("0000", None),
        ("2024-W06", None),
        ("20240206", None),
        ("Feb 2024", None),
    ],
)
def test_reduced_precision_is_read_strictly(text, expected):
    assert parse_loose(text) == expected


def test_shown_as_precisely_as_given():
    day = datetime.date(2024, 3, 31)
    with translation.override("en"):
        assert dated(day, DatePrecision.YEAR) == "2024"
        assert dated(day, DatePrecision.MONTH) == "March 2024"
    with translation.override("es"):
        assert dated(day, DatePrecision.MONTH) == "marzo de 2024"


@pytest.mark.django_db
def test_a_year_only_statement_counts_from_the_end_of_its_year():
    builders.commitment("Alpha", "100", datetime.date(2024, 6, 1))
    OfficialStatement.objects.create(
        stated_on=datetime.date(2024, 12, 31),
        date_precision=DatePrecision.YEAR,
        metric="cumulative_committed_usd",
        value=Decimal("100"),
        unit="USD",
        qualifier="exact",
        source_url="https://example.org/2024",
        figure=StatementFigure.COMMITTED_USD,
    )
    assert reconcile(datetime.date(2024, 12, 30)) == ()
    [row] = reconcile(datetime.date(2024, 12, 31))
    assert row.date_precision == "year"
    timeline = committed_timeline(datetime.date(2025, 6, 1))
    [stated] = timeline.statements
    assert (stated.day, stated.precision) == (datetime.date(2024, 12, 31), "year")
    # its place on the timeline: after the mid-year commitment, at the end of its year
    days = [p.day for p in timeline.points]
    assert days.index(datetime.date(2024, 12, 31)) > days.index(datetime.date(2024, 6, 1))
