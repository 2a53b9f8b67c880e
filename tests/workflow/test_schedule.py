"""Reporting periods, due-soon and overdue states, and the status light."""

from __future__ import annotations

import datetime
from datetime import date

import pytest

from adelante.commitments.choices import Relation, Status
from adelante.figures.progress import half_year_ends
from adelante.progress.models import ReportStatus
from adelante.workflow import schedule
from adelante.workflow.models import ReportingSchedule
from adelante.workflow.schedule import Light, Plan, State
from tests import builders

pytestmark = pytest.mark.django_db

ANNOUNCED = date(2023, 2, 6)


def test_default_periods_are_the_half_years_of_the_reports_punctuality():
    ends = schedule.period_ends(ANNOUNCED, date(2025, 12, 31))
    assert ends == [
        date(2023, 6, 30),
        date(2023, 12, 31),
        date(2024, 6, 30),
        date(2024, 12, 31),
        date(2025, 6, 30),
        date(2025, 12, 31),
    ]
    assert ends == half_year_ends(ANNOUNCED + datetime.timedelta(days=90), date(2025, 12, 31))


def test_a_short_first_period_is_skipped():
    # Announced in May: 30 June is within 90 days, so the first period ends in December.
    first = schedule.periods(date(2023, 5, 1), date(2024, 1, 31))[0]
    assert (first.start, first.end, first.due_on) == (
        date(2023, 5, 1),
        date(2023, 12, 31),
        date(2024, 3, 30),
    )


def test_quarterly_periods_follow_each_other():
    found = schedule.periods(ANNOUNCED, date(2023, 12, 31), Plan(3, 30))
    assert [(p.start, p.end) for p in found] == [
        (date(2023, 2, 6), date(2023, 3, 31)),
        (date(2023, 4, 1), date(2023, 6, 30)),
        (date(2023, 7, 1), date(2023, 9, 30)),
        (date(2023, 10, 1), date(2023, 12, 31)),
    ]
    assert found[0].due_on == date(2023, 4, 30)


def test_add_months_keeps_the_end_of_month():
    assert schedule.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2023, 9, 1), State.OPEN),  # due 28 September, more than 14 days away
        (date(2023, 9, 20), State.DUE_SOON),
        (date(2023, 9, 28), State.DUE_SOON),  # the due day itself
        (date(2023, 9, 29), State.OVERDUE),
    ],
)
def test_due_soon_and_overdue(today, state):
    c = builders.commitment("Acme", "100", ANNOUNCED, reporting=True)
    status = schedule.status_of(c, today)
    assert status.periods[0].period.due_on == date(2023, 9, 28)
    assert status.periods[0].state == state


def test_submitted_returned_and_verified_reports_count_drafts_do_not():
    c = builders.commitment("Acme", "100", ANNOUNCED, reporting=True)
    report = builders.report(c, date(2023, 6, 30), {"usd_invested": "1"}, status="draft")
    today = date(2023, 10, 1)
    assert schedule.status_of(c, today).periods[0].state == State.OVERDUE
    for status in (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.VERIFIED):
        report.status = status
        report.save()
        found = schedule.status_of(c, today).periods[0]
        assert found.state == State.REPORTED and found.report_id == report.id


@pytest.mark.parametrize(
    ("reported", "today", "light"),
    [
        ([], date(2023, 9, 28), Light.NOT_DUE_YET),
        ([], date(2023, 9, 29), Light.LATE),
        ([date(2023, 6, 30)], date(2023, 9, 29), Light.ON_TIME),
        ([date(2023, 6, 30)], date(2024, 3, 31), Light.LATE),
        ([], date(2024, 3, 31), Light.NO_REPORT_TWO_CYCLES),
        # Reporting again after missing a cycle puts the light back to on time.
        ([date(2023, 12, 31)], date(2024, 3, 31), Light.ON_TIME),
    ],
)
def test_status_light(reported, today, light):
    c = builders.commitment("Acme", "100", ANNOUNCED, reporting=True)
    for end in reported:
        builders.report(c, end, {"usd_invested": "1"}, status=ReportStatus.SUBMITTED)
    assert schedule.light(c, today) == light


def test_restatements_and_proposals_expect_nothing():
    restated = builders.commitment(
        "Acme", "100", ANNOUNCED, relation=Relation.RESTATEMENT, reporting=True
    )
    proposed = builders.commitment("Beta", "100", ANNOUNCED, status=Status.PROPOSED, reporting=True)
    today = date(2025, 1, 1)
    assert schedule.light(restated, today) == Light.NOT_EXPECTED
    assert schedule.light(proposed, today) == Light.NOT_EXPECTED


def test_a_withdrawn_commitment_reports_up_to_its_withdrawal():
    c = builders.commitment(
        "Acme",
        "100",
        ANNOUNCED,
        status=Status.WITHDRAWN,
        withdrawn_on=date(2023, 8, 1),
        reporting=True,
    )
    status = schedule.status_of(c, date(2026, 1, 1))
    assert [p.period.end for p in status.periods] == [date(2023, 6, 30)]


def test_a_stored_schedule_overrides_the_default():
    c = builders.commitment("Acme", "100", ANNOUNCED)
    ReportingSchedule.objects.create(commitment=c, interval_months=12, due_after_days=60)
    status = schedule.status_of(c, date(2025, 1, 1))
    assert [p.period.end for p in status.periods] == [date(2023, 12, 31), date(2024, 12, 31)]
    assert status.periods[0].period.due_on == date(2024, 2, 29)


def test_overdue_and_due_soon_querysets():
    late = builders.commitment("Late", "100", ANNOUNCED, reporting=True)
    fine = builders.commitment("Fine", "100", ANNOUNCED, reporting=True)
    builders.report(fine, date(2023, 6, 30), {"usd_invested": "1"}, status="submitted")
    soon = builders.commitment("Soon", "100", date(2023, 5, 1), reporting=True)
    assert list(schedule.overdue_commitments(date(2023, 10, 1))) == [late]
    assert list(schedule.due_soon_commitments(date(2023, 9, 20))) == [late]
    assert set(schedule.due_soon_commitments(date(2024, 3, 20))) == {late, fine, soon}


def test_statuses_take_three_queries(django_assert_num_queries):
    made = [builders.commitment(f"P{i}", "100", ANNOUNCED, reporting=True) for i in range(5)]
    with django_assert_num_queries(2):
        schedule.statuses(made, date(2025, 1, 1))
