"""Figures the reports need: commitment lines, reached by breakdown, targets, a partner's series
and punctuality, round sheets. Each agrees with the module's totals and honours recorded_on."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from adelante.catalogue.models import Metric
from adelante.commitments.choices import MoneyKind, Relation
from adelante.commitments.models import Source, Target
from adelante.figures.audience import Audience
from adelante.figures.committed import MULTI_COUNTRY, REGIONAL, UNCLASSIFIED, committed_by
from adelante.figures.listing import commitment_lines, partner_total
from adelante.figures.progress import (
    BEHIND,
    LATE,
    MISSING,
    NO_REPORT,
    ON_TIME,
    ON_TRACK,
    expected_by,
    half_year_ends,
    partner_series,
    punctuality,
    reached_by,
    target_progress,
)
from adelante.figures.reached import invested, reached
from adelante.figures.rounds import round_sheet
from adelante.money.qualifiers import AmountQualifier, TotalQualifier
from adelante.progress.models import ProgressReport, ReportStatus
from tests import builders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 6, 7)
LATER_DAY = datetime.date(2023, 2, 6)
H2 = datetime.date(2022, 12, 31)
H3 = datetime.date(2023, 6, 30)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def record():
    alpha = builders.commitment(
        "Alpha",
        "300",
        DAY,
        countries={"GT": Decimal(50), "SV": Decimal(50)},
        qualifier=AmountQualifier.AT_LEAST,
        kind=MoneyKind.CAPITAL_INVESTMENT,
        focus=["financial_inclusion"],
    )
    beta = builders.commitment(
        "Beta", "45.50", DAY, countries=["HN"], kind=MoneyKind.PROGRAMME, focus=["women"]
    )
    gamma = builders.commitment("Gamma", "20", DAY, countries=[])
    builders.commitment("Gamma", None, LATER_DAY, countries=["SV"])
    builders.commitment("Alpha", "300", LATER_DAY, relation=Relation.RESTATEMENT)
    builders.report(alpha, H2, {"usd_invested": "10", "people_trained": "100"})
    builders.report(alpha, H3, {"usd_invested": "30"})
    builders.report(beta, H2, {"usd_invested": "5", "people_trained": "40"})
    builders.report(beta, H3, {"usd_invested": "99"}, status=ReportStatus.SUBMITTED)
    builders.report(gamma, H2, {"people_trained": "7"})
    Source.objects.create(commitment=alpha, url="https://example.org/alpha", title="Alpha news")
    return {"alpha": alpha, "beta": beta, "gamma": gamma}


def test_lines_list_every_counted_commitment_with_its_amount(record):
    lines = commitment_lines(LATER_DAY)
    assert len(lines) == 5
    alpha = next(x for x in lines if x.reference == record["alpha"].reference)
    assert alpha.amount_usd == Decimal("300.00")
    assert alpha.qualifier == AmountQualifier.AT_LEAST
    assert alpha.countries == (("GT", Decimal("50.00")), ("SV", Decimal("50.00")))
    assert alpha.focus == ("financial_inclusion",)
    assert alpha.sources[0].url == "https://example.org/alpha"
    assert alpha.round_on == DAY
    restated = [x for x in lines if x.relation == Relation.RESTATEMENT]
    assert len(restated) == 1 and not restated[0].counts_in_total
    counted = sum((x.amount_usd for x in lines if x.counts_in_total), Decimal(0))
    assert counted == committed_by("kind", LATER_DAY).total.amount_usd
    assert len(commitment_lines(DAY)) == 3


def test_lines_never_show_a_confidential_amount():
    builders.commitment("Secret", "999", DAY, qualifier=AmountQualifier.CONFIDENTIAL)
    builders.commitment("Secret", "1", DAY)
    lines = commitment_lines(DAY)
    secret = next(x for x in lines if x.qualifier == AmountQualifier.CONFIDENTIAL)
    # Not in the public total, so not counted in it either.
    assert secret.amount_usd is None and not secret.counts_in_total
    # The public partner total leaves it out and counts it.
    total = partner_total(line_partner_id("Secret"), DAY)
    assert not total.suppressed and total.amount_usd == Decimal("1.00")
    assert total.commitments_confidential == 1
    # For the allowed roles, one partner's total with a confidential amount is withheld.
    allowed = partner_total(line_partner_id("Secret"), DAY, audience=Audience.CONFIDENTIAL_ALLOWED)
    assert allowed.suppressed and allowed.amount_usd is None


def line_partner_id(name):
    return builders.partner(name).id


def test_partner_total_follows_the_committed_rules(record):
    total = partner_total(record["alpha"].partner_id, LATER_DAY)
    assert total.amount_usd == Decimal("300.00")
    assert total.qualifier == TotalQualifier.AT_LEAST
    assert total.commitments == 2 and total.restatements == 1
    assert not total.suppressed


@pytest.mark.parametrize("dimension", ["country", "kind"])
@pytest.mark.parametrize("metric", ["usd_invested", "people_trained"])
def test_reached_rows_add_up_to_reached(record, dimension, metric):
    breakdown = reached_by(metric, dimension, H3)
    assert sum(r.value for r in breakdown.rows) == reached(metric, H3).value
    assert breakdown.total == reached(metric, H3)


def test_reached_by_country_never_splits_a_value(record):
    rows = {r.key: r.value for r in reached_by("usd_invested", "country", H3).rows}
    # Alpha names two countries (with shares): its value counts under "several countries".
    assert rows == {"HN": Decimal("5.00"), MULTI_COUNTRY: Decimal("30.00")}
    people = {r.key: r.value for r in reached_by("people_trained", "country", H3).rows}
    assert people[REGIONAL] == Decimal("7.00")


def test_reached_by_focus_overlaps_and_has_no_total(record):
    breakdown = reached_by("people_trained", "focus", H3)
    assert breakdown.total is None
    rows = {r.key: r.value for r in breakdown.rows}
    assert rows == {
        "financial_inclusion": Decimal("100.00"),
        "women": Decimal("40.00"),
        UNCLASSIFIED: Decimal("7.00"),
    }
    assert invested(H3).value == Decimal("35.00")


def test_expected_value_is_pro_rated_over_the_horizon():
    start, end = datetime.date(2022, 1, 1), datetime.date(2024, 1, 1)
    assert expected_by(Decimal(1000), start, end, start) == 0
    assert expected_by(Decimal(1000), start, end, datetime.date(2023, 1, 1)) == Decimal("500.00")
    assert expected_by(Decimal(1000), start, end, datetime.date(2022, 4, 1)) == Decimal("123.29")
    assert expected_by(Decimal(1000), start, end, datetime.date(2025, 1, 1)) == Decimal("1000.00")


def test_targets_on_track_behind_and_no_report(record):
    trained = Metric.objects.get(code="people_trained")
    jobs = Metric.objects.get(code="jobs_created")
    # Alpha: 100 trained by mid-2023 against a target of 150 due then.
    Target.objects.create(
        commitment=record["alpha"], metric=trained, value=Decimal(150), by_date=H3
    )
    Target.objects.create(commitment=record["beta"], metric=trained, value=Decimal(40))
    Target.objects.create(commitment=record["beta"], metric=jobs, value=Decimal(10))
    rows = {(t.partner, t.metric): t for t in target_progress(H3)}
    alpha = rows[("Alpha", "people_trained")]
    assert alpha.expected == Decimal("150.00") and alpha.reported == Decimal("100.00")
    assert alpha.status == BEHIND and not alpha.horizon_assumed
    beta = rows[("Beta", "people_trained")]
    assert beta.horizon_assumed and beta.horizon_end == datetime.date(2025, 6, 7)
    assert beta.status == ON_TRACK  # 40 of 40 already reported
    assert rows[("Beta", "jobs_created")].status == NO_REPORT
    assert len(target_progress(H3, partner_id=record["beta"].partner_id)) == 2


def test_partner_series_is_the_partner_value_at_each_period_end(record):
    series = partner_series(record["alpha"].partner_id, H3)
    usd = [(p.period_end, p.value) for p in series if p.metric == "usd_invested"]
    assert usd == [(H2, Decimal("10.00")), (H3, Decimal("30.00"))]
    beta = partner_series(record["beta"].partner_id, H3)
    assert [p.value for p in beta if p.metric == "usd_invested"] == [Decimal("5.00")]


def test_half_year_ends():
    assert half_year_ends(DAY, datetime.date(2023, 7, 1)) == [
        datetime.date(2022, 6, 30),
        H2,
        H3,
    ]
    assert half_year_ends(datetime.date(2022, 6, 30), datetime.date(2022, 12, 30)) == []


def test_no_report_is_expected_for_a_half_year_ending_soon_after_the_announcement():
    with at(datetime.datetime(2022, 6, 7, 10, tzinfo=datetime.UTC)):
        made = builders.commitment("Alpha", "100", DAY)
    (result,) = punctuality(made.partner_id, datetime.date(2023, 4, 1))
    assert [p.period_end for p in result.periods] == [H2]


def test_punctuality_from_the_submission_dates_in_history():
    announced = datetime.date(2022, 3, 1)  # so the half-year to June is due (90 days later)
    with at(datetime.datetime(2022, 3, 1, 10, tzinfo=datetime.UTC)):
        made = builders.commitment("Alpha", "100", announced)
        builders.commitment("Alpha", "100", announced, relation=Relation.RESTATEMENT)
    with at(datetime.datetime(2022, 8, 1, tzinfo=datetime.UTC)):  # within 90 days
        builders.report(made, datetime.date(2022, 6, 30), {"usd_invested": "1"})
    with at(datetime.datetime(2023, 1, 10, tzinfo=datetime.UTC)):
        late = builders.report(made, H2, {"usd_invested": "2"}, status=ReportStatus.DRAFT)
    with at(datetime.datetime(2023, 5, 20, tzinfo=datetime.UTC)):  # after 2023-03-31
        late.status = ReportStatus.SUBMITTED
        late.save()
    (result,) = punctuality(made.partner_id, datetime.date(2024, 1, 15))
    statuses = [(p.period_end, p.status) for p in result.periods]
    assert statuses == [
        (datetime.date(2022, 6, 30), ON_TIME),
        (H2, LATE),
        (H3, MISSING),
    ]  # the half-year to 2023-12-31 is not due until 2024-03-30
    assert (result.due, result.on_time, result.late, result.missing) == (3, 1, 1, 1)
    assert result.periods[1].submitted_on == datetime.date(2023, 5, 20)
    # As recorded before the late submission, that half-year was missing.
    (before,) = punctuality(
        made.partner_id, datetime.date(2024, 1, 15), recorded_on=datetime.date(2023, 4, 1)
    )
    assert [p.status for p in before.periods] == [ON_TIME, MISSING, MISSING]
    assert ProgressReport.objects.count() == 2


def test_round_sheet_new_money_restatements_and_new_partners(record):
    later = record["alpha"].__class__.objects.filter(announced_on=LATER_DAY).first()
    sheet = round_sheet(later.round_id)
    assert sheet.announced_on == LATER_DAY
    assert sheet.new_money is not None and sheet.new_money.amount_usd == 0
    assert len(sheet.restatements) == 1 and len(sheet.without_amount) == 1
    assert sheet.new_partners == ()  # Alpha and Gamma committed in 2022
    first = round_sheet(record["alpha"].round_id)
    assert first.new_partners == ("Alpha", "Beta", "Gamma")
    row = next(r for r in committed_by("round", DAY).rows if r.key == str(record["alpha"].round_id))
    assert first.new_money == row
    assert first.new_money.amount_usd == Decimal("365.50")
    assert first.cumulative.amount_usd == Decimal("365.50")


def test_round_sheet_as_recorded_before_a_correction():
    with at(datetime.datetime(2022, 6, 8, tzinfo=datetime.UTC)):
        made = builders.commitment("Alpha", "100", DAY)
    with at(datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)):
        made.amount = made.amount_usd = Decimal("250")
        made.save()
    assert round_sheet(made.round_id).new_money.amount_usd == Decimal("250.00")
    old = round_sheet(made.round_id, recorded_on=datetime.date(2022, 6, 8))
    assert old.new_money.amount_usd == Decimal("100.00")
    with pytest.raises(LookupError):
        round_sheet(made.round_id, recorded_on=datetime.date(2022, 6, 1))
