"""Progress report rules: breakdowns, decreases confirmed with a reason, verification,
corrections that keep the old value, and the figures they feed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from adelante import errors
from adelante.commitments.choices import Status
from adelante.figures.reached import invested, reached
from adelante.progress.models import ProgressValue, ReportStatus
from adelante.workflow import reporting
from adelante.workflow.models import Action, ReviewEvent
from adelante.workflow.reporting import ValueInput
from tests import builders

pytestmark = pytest.mark.django_db

ANNOUNCED = date(2023, 2, 6)


@pytest.fixture
def commitment(partner):
    return builders.commitment(partner.name, "1000000", ANNOUNCED, countries=("GT", "HN"))


@pytest.fixture
def draft(member, commitment):
    return reporting.start_report(
        user=member, commitment=commitment, period_start=ANNOUNCED, period_end=date(2023, 6, 30)
    )


def verified(member, reviewer, commitment, end, values):
    report = reporting.start_report(
        user=member, commitment=commitment, period_start=ANNOUNCED, period_end=end
    )
    reporting.save_report(user=member, report=report, narrative="Done.", values=values)
    reporting.submit_report(user=member, report=report)
    return reporting.verify_report(reviewer=reviewer, report=report)


def test_fill_submit_verify_feeds_the_figures(member, reviewer, draft, commitment):
    values = [
        ValueInput("usd_invested", Decimal("250000")),
        ValueInput(
            "people_trained",
            Decimal("300"),
            {("sex", "female"): Decimal("180"), ("country", "GT"): Decimal("200")},
        ),
    ]
    reporting.save_report(
        user=member, report=draft, narrative="Two cohorts trained.", values=values
    )
    reporting.submit_report(user=member, report=draft)
    assert invested(date(2024, 1, 1)).value == 0
    reporting.verify_report(reviewer=reviewer, report=draft)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.VERIFIED
    assert draft.verification_level == "secretariat_reviewed"
    assert invested(date(2024, 1, 1)).value == Decimal("250000.00")
    assert reached("people_trained", date(2024, 1, 1)).value == Decimal("300.00")
    commitment.refresh_from_db()
    assert commitment.status == Status.IN_PROGRESS
    value = ProgressValue.objects.get(metric__code="people_trained")
    assert {(b.dimension, b.key): b.amount for b in value.breakdowns.all()} == {
        ("sex", "female"): Decimal("180.00"),
        ("country", "GT"): Decimal("200.00"),
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (ValueInput("usd_invested", Decimal("-1")), "zero or more"),
        (ValueInput("usd_invested", Decimal("1e14")), "too large"),
        (ValueInput("usd_invested", Decimal(5), {("sex", "female"): Decimal(1)}), "no such"),
        (ValueInput("people_trained", Decimal(5), {("country", "SV"): Decimal(1)}), "no such"),
        (ValueInput("nope", Decimal(5)), "Unknown metric"),
    ],
)
def test_values_that_cannot_be_stored_are_refused(member, draft, value, message):
    with pytest.raises(errors.Invalid) as raised:
        reporting.save_report(user=member, report=draft, narrative="x", values=[value])
    assert message in str(raised.value)
    assert not draft.values.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (ValueInput("people_trained", Decimal("2.5")), "whole number"),
        (
            ValueInput("people_trained", Decimal(5), {("sex", "male"): Decimal(6)}),
            "The parts by sex add up to 6, more than the total 5 (by 1).",
        ),
    ],
)
def test_a_draft_keeps_what_only_the_submission_refuses(member, draft, value, message):
    reporting.save_report(user=member, report=draft, narrative="x", values=[value])
    assert reporting.stored_values(draft) == [value]
    with pytest.raises(errors.Invalid) as raised:
        reporting.submit_report(user=member, report=draft)
    assert message in str(raised.value)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_a_submitted_report_is_not_editable(member, draft):
    reporting.save_report(
        user=member, report=draft, narrative="x", values=[ValueInput("usd_invested", Decimal(1))]
    )
    reporting.submit_report(user=member, report=draft)
    with pytest.raises(errors.Conflict):
        reporting.save_report(
            user=member,
            report=draft,
            narrative="y",
            values=[ValueInput("usd_invested", Decimal(2))],
        )


def test_nothing_to_submit(member, draft):
    with pytest.raises(errors.Invalid):
        reporting.submit_report(user=member, report=draft)


def test_returned_with_a_reason_then_corrected(member, reviewer, draft):
    reporting.save_report(
        user=member, report=draft, narrative="x", values=[ValueInput("usd_invested", Decimal(100))]
    )
    reporting.submit_report(user=member, report=draft)
    with pytest.raises(errors.Invalid):
        reporting.return_report(reviewer=reviewer, report=draft, reason="")
    reporting.return_report(reviewer=reviewer, report=draft, reason="The invoice shows 90.")
    draft.refresh_from_db()
    assert draft.status == ReportStatus.RETURNED and draft.return_reason == "The invoice shows 90."
    reporting.save_report(
        user=member, report=draft, narrative="x", values=[ValueInput("usd_invested", Decimal(90))]
    )
    reporting.submit_report(user=member, report=draft)
    reporting.verify_report(reviewer=reviewer, report=draft)
    assert invested(date(2024, 1, 1)).value == Decimal("90.00")
    assert list(ReviewEvent.objects.filter(report=draft).values_list("action", flat=True)) == [
        Action.REPORT_SAVED,
        Action.REPORT_SAVED,
        Action.REPORT_SUBMITTED,
        Action.REPORT_RETURNED,
        Action.REPORT_SAVED,
        Action.REPORT_SUBMITTED,
        Action.REPORT_VERIFIED,
    ]


def test_a_lower_cumulative_value_needs_a_confirmed_reason(member, reviewer, commitment):
    verified(
        member,
        reviewer,
        commitment,
        date(2023, 6, 30),
        [ValueInput("people_trained", Decimal(300))],
    )
    later = reporting.start_report(
        user=member,
        commitment=commitment,
        period_start=date(2023, 7, 1),
        period_end=date(2023, 12, 31),
    )
    # Saving a draft with the lower value is fine; submitting it is not, without a reason.
    reporting.save_report(
        user=member, report=later, narrative="", values=[ValueInput("people_trained", Decimal(280))]
    )
    with pytest.raises(errors.Invalid) as raised:
        reporting.submit_report(user=member, report=later)
    decrease = raised.value.extra["decreases"][0]
    assert (decrease.metric, decrease.last_verified, decrease.new) == (
        "people_trained",
        Decimal("300.00"),
        Decimal("280.00"),
    )
    later.refresh_from_db()
    assert later.status == ReportStatus.DRAFT
    reporting.save_report(
        user=member,
        report=later,
        narrative="",
        values=[
            ValueInput("people_trained", Decimal(280), decrease_reason="20 counted twice before.")
        ],
    )
    reporting.submit_report(user=member, report=later)
    event = ReviewEvent.objects.get(action=Action.DECREASE_CONFIRMED)
    assert event.reason == "20 counted twice before." and event.details["new"] == "280.00"


def test_correcting_a_verified_value_keeps_the_old_one(member, reviewer, commitment):
    report = verified(
        member, reviewer, commitment, date(2023, 6, 30), [ValueInput("usd_invested", Decimal(1000))]
    )
    with pytest.raises(errors.Invalid):
        reporting.correct_value(
            reviewer=reviewer, report=report, metric="usd_invested", value=Decimal(900), reason="  "
        )
    with pytest.raises(errors.Invalid):
        reporting.correct_value(
            reviewer=reviewer,
            report=report,
            metric="usd_invested",
            value=Decimal(-9),
            reason="typo",
        )
    reporting.correct_value(
        reviewer=reviewer,
        report=report,
        metric="usd_invested",
        value=Decimal(900),
        reason="Audit: 900.",
    )
    value = ProgressValue.objects.get(report=report)
    assert value.value == Decimal("900.00")
    versions = list(value.history.order_by("history_date").values_list("value", flat=True))
    assert versions == [Decimal("1000.00"), Decimal("900.00")]
    assert value.history.latest().history_change_reason == "Audit: 900."
    assert value.history.latest().history_user == reviewer
    event = ReviewEvent.objects.get(action=Action.VALUE_CORRECTED)
    assert (event.details["old"], event.details["new"]) == ("1000.00", "900")
    assert invested(date(2024, 1, 1)).value == Decimal("900.00")


def test_only_ended_periods_and_one_report_per_period(member, commitment):
    with pytest.raises(errors.Invalid):
        reporting.start_report(
            user=member,
            commitment=commitment,
            period_start=date(2023, 1, 1),
            period_end=date(2099, 1, 1),
        )
    reporting.start_report(
        user=member, commitment=commitment, period_start=ANNOUNCED, period_end=date(2023, 6, 30)
    )
    with pytest.raises(errors.Conflict):
        reporting.start_report(
            user=member, commitment=commitment, period_start=ANNOUNCED, period_end=date(2023, 6, 30)
        )


def test_submit_new_for_the_api(member, commitment):
    report = reporting.submit_new(
        user=member,
        commitment=commitment,
        period_start=ANNOUNCED,
        period_end=date(2023, 6, 30),
        narrative="By API",
        values=[ValueInput("usd_invested", Decimal(5))],
        through=reporting.Through.API,
    )
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(errors.Invalid):
        reporting.submit_new(
            user=member,
            commitment=commitment,
            period_start=ANNOUNCED,
            period_end=date(2023, 12, 31),
            narrative="",
            values=[ValueInput("usd_invested", Decimal(-5))],
            through=reporting.Through.API,
        )
    assert commitment.progress_reports.count() == 1
