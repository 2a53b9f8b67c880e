"""The committed timeline: at every day, exactly what `committed(day)` answers."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from adelante.commitments.choices import Relation, StatementFigure, Status
from adelante.commitments.models import OfficialStatement
from adelante.figures.committed import committed
from adelante.figures.timeline import committed_timeline
from adelante.money.qualifiers import AmountQualifier
from tests import builders

pytestmark = pytest.mark.django_db

MAY = datetime.date(2021, 5, 27)
DEC = datetime.date(2021, 12, 13)
JUN = datetime.date(2022, 6, 7)
LATER = datetime.date(2023, 3, 1)


@pytest.fixture
def record():
    alpha = builders.commitment("Alpha", "150", MAY)
    builders.commitment("Beta", "600", DEC, qualifier=AmountQualifier.AT_LEAST)
    builders.commitment("Alpha", "150", DEC, relation=Relation.RESTATEMENT)
    builders.commitment("Gamma", None, JUN)
    builders.commitment("Delta", "75", JUN, status=Status.WITHDRAWN, withdrawn_on=LATER)
    builders.commitment("Epsilon", "5", JUN, status=Status.PROPOSED)
    OfficialStatement.objects.create(
        stated_on=DEC,
        metric="cumulative_committed_usd",
        value=Decimal("1200000000"),
        unit="USD",
        qualifier="at_least",
        source_url="https://example.org/dec",
        figure=StatementFigure.COMMITTED_USD,
    )
    return alpha


def test_every_point_equals_committed_on_its_day(record):
    today = datetime.date(2024, 1, 1)
    timeline = committed_timeline(today)
    assert [p.day for p in timeline.points] == [MAY, DEC, JUN, today]
    for point in timeline.points:
        expected = committed(point.day)
        assert point.amount_usd == expected.amount_usd
        assert point.qualifier == expected.qualifier
        assert point.commitments == expected.commitments
    # The withdrawal after the last round shows in the last point.
    assert timeline.points[-2].amount_usd == Decimal("825.00")
    assert timeline.points[-1].amount_usd == Decimal("750.00")


def test_rounds_and_statements_up_to_the_date(record):
    timeline = committed_timeline(DEC)
    assert [p.day for p in timeline.points] == [MAY, DEC]
    assert timeline.points[0].rounds == (f"Round of {MAY.isoformat()}",)
    assert [(s.day, s.value, s.qualifier) for s in timeline.statements] == [
        (DEC, Decimal("1200000000"), "at_least")
    ]
    assert committed_timeline(MAY).statements == ()


def test_an_empty_record_has_one_zero_point():
    timeline = committed_timeline(JUN)
    assert [(p.day, p.amount_usd, p.commitments) for p in timeline.points] == [
        (JUN, Decimal("0.00"), 0)
    ]


def test_as_recorded_on_an_earlier_day(record):
    # Everything above was recorded today; on an earlier day the record was empty.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    timeline = committed_timeline(JUN, recorded_on=yesterday)
    assert timeline.statements == ()
    assert all(p.amount_usd == 0 for p in timeline.points)
