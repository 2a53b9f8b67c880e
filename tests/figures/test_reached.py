"""DOMAIN rule 3: invested and reached as of a date, from verified progress."""

import datetime
from decimal import Decimal

import pytest

from adelante.catalogue.models import Metric
from adelante.figures.reached import invested, reached, reached_all
from adelante.progress.models import ReportStatus
from tests import builders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 6, 7)
H1 = datetime.date(2022, 6, 30)
H2 = datetime.date(2022, 12, 31)
H3 = datetime.date(2023, 6, 30)


def test_latest_verified_cumulative_value_per_commitment_then_summed():
    alpha = builders.commitment("Alpha", "100", DAY)
    beta = builders.commitment("Beta", "100", DAY)
    builders.report(alpha, H1, {"usd_invested": "10"})
    builders.report(alpha, H2, {"usd_invested": "25.50"})
    builders.report(beta, H1, {"usd_invested": "7"})
    assert invested(H1).value == Decimal("17.00")
    assert invested(H2).value == Decimal("32.50")
    assert invested(H2).commitments == 2
    assert invested(H1 - datetime.timedelta(days=1)).value == 0


@pytest.mark.parametrize(
    "status", [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED]
)
def test_unverified_reports_do_not_count(status):
    alpha = builders.commitment("Alpha", "100", DAY)
    builders.report(alpha, H1, {"usd_invested": "10"})
    builders.report(alpha, H2, {"usd_invested": "99"}, status=status)
    assert invested(H3).value == Decimal("10.00")


def test_the_latest_report_with_a_value_for_the_metric_is_used():
    alpha = builders.commitment("Alpha", "100", DAY)
    builders.report(alpha, H1, {"usd_invested": "10", "people_trained": "100"})
    builders.report(alpha, H2, {"usd_invested": "20"})
    assert reached("people_trained", H3).value == Decimal("100.00")
    assert invested(H3).value == Decimal("20.00")


def test_per_period_metrics_are_summed():
    Metric.objects.filter(code="jobs_created").update(accumulation=Metric.Accumulation.INCREMENTAL)
    alpha = builders.commitment("Alpha", "100", DAY)
    builders.report(alpha, H1, {"jobs_created": "10"})
    builders.report(alpha, H2, {"jobs_created": "15"})
    assert reached("jobs_created", H2).value == Decimal("25.00")
    assert reached("jobs_created", H1).value == Decimal("10.00")


def test_reached_all_lists_metrics_with_values():
    alpha = builders.commitment("Alpha", "100", DAY)
    builders.report(alpha, H1, {"usd_invested": "10", "women_reached": "300"})
    assert [(r.metric, r.value) for r in reached_all(H1)] == [("women_reached", Decimal("300.00"))]


def test_unknown_metric_is_an_error():
    with pytest.raises(Metric.DoesNotExist):
        reached("smiles", H1)


def test_within_some_commitments_by_the_same_rule():
    alpha = builders.commitment("Alpha", "100", DAY)
    beta = builders.commitment("Beta", "100", DAY)
    builders.report(alpha, H1, {"usd_invested": "10"})
    builders.report(alpha, H2, {"usd_invested": "25"})
    builders.report(beta, H1, {"usd_invested": "7", "people_trained": "3"})
    from adelante.commitments.models import Commitment

    only_alpha = Commitment.objects.filter(id=alpha.id).values("id")
    assert invested(H3, within=only_alpha).value == Decimal("25.00")
    assert invested(H3, within=only_alpha).commitments == 1
    assert reached_all(H3, within=only_alpha) == ()
    both = Commitment.objects.values("id")
    assert invested(H3, within=both) == invested(H3)
