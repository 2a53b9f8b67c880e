"""The ladder's cheaper reading of silence and the reporting rate (`silence.summary`) gives
what the straightforward rule gives (`silence.reporting`, which walks every period)."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from adelante.commitments.models import Commitment
from adelante.figures.periods import due_dates, end_after, end_by, next_due, span_due_within
from adelante.figures.record import Record
from adelante.figures.silence import reporting, summary
from adelante.progress.models import ProgressReport, ReportStatus
from adelante.workflow.models import ReportingSchedule
from tests import builders

days = st.dates(datetime.date(2019, 1, 1), datetime.date(2031, 12, 31))
intervals = st.sampled_from([1, 3, 6, 12])
due_after = st.integers(1, 365)


@given(day=days, interval=intervals)
def test_period_ends_around_a_day_are_those_of_the_calendar(day, interval):
    ends = due_dates(datetime.date(2018, 1, 1), datetime.date(2033, 1, 1), interval, 1)
    calendar = [end for _start, end, _due in ends]
    assert end_after(day, interval) == min(e for e in calendar if e > day)
    assert end_by(day, interval) == max(e for e in calendar if e <= day)


@given(announced=days, until=days, interval=intervals, after_days=due_after, after=st.none() | days)
def test_the_next_due_date_is_the_first_of_the_walked_periods_after_the_day(
    announced, until, interval, after_days, after
):
    dues = [due for _s, _e, due in due_dates(announced, until, interval, after_days)]
    expected = next((d for d in dues if after is None or d > after), None)
    assert next_due(announced, until, interval, after_days, after) == expected


@given(announced=days, until=days, interval=intervals, after_days=due_after, by=days)
@settings(max_examples=300)
def test_the_span_of_the_periods_due_in_a_window_is_the_union_of_the_walked_ones(
    announced, until, interval, after_days, by
):
    after = by - datetime.timedelta(days=365)
    periods = [
        (start, end)
        for start, end, due in due_dates(announced, until, interval, after_days)
        if after < due <= by
    ]
    found = span_due_within(announced, until, interval, after_days, after, by)
    if not periods:
        assert found is None
    else:
        assert found == (periods[0][0], periods[-1][1])
        # the periods follow each other: their union is the span, day by day
        covered = sum((end - start).days + 1 for start, end in periods)
        assert covered == (found[1] - found[0]).days + 1


def _summary_equals_the_rule(as_of, recorded_on=None):
    record = Record(recorded_on)
    rows = record.commitments()
    states, rate = reporting(rows, as_of, record)
    found = summary(rows, as_of, record)
    assert found.with_obligation == sum(1 for s in states.values() if s.obligation)
    assert found.silent == frozenset(c for c, s in states.items() if s.silent)
    assert (found.rate.due, found.rate.reported) == (rate.due, rate.reported)
    return found


def _at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.mark.django_db
@override_settings(TIME_ZONE="America/Guatemala")
def test_on_a_record_the_summary_equals_the_rule_on_every_day_around_local_midnight():
    """Reports verified late in the evening, local time (the next day in UTC): the local
    date decides, as in the rule."""
    timezone.activate("America/Guatemala")
    try:
        zone = timezone.get_current_timezone()
        announced = datetime.date(2023, 2, 6)

        def evening(day):
            return datetime.datetime.combine(day, datetime.time(23, 30), tzinfo=zone)

        with _at(evening(announced)):
            made = [
                builders.commitment(f"Co {i}", "1000", announced, reporting=True) for i in range(4)
            ]
            builders.commitment("Plain Co", "1000", announced)  # no obligation
        ReportingSchedule.objects.filter(commitment=made[1]).update(
            interval_months=3, due_after_days=30
        )
        ReportingSchedule.objects.filter(commitment=made[2]).update(
            interval_months=12, due_after_days=365
        )
        Commitment.objects.filter(id=made[3].id).update(ends_on=datetime.date(2024, 6, 30))
        verified = {
            made[0]: [datetime.date(2023, 9, 27), datetime.date(2025, 9, 30)],
            made[1]: [datetime.date(2024, 1, 15)],
            made[3]: [datetime.date(2024, 12, 31)],
        }
        for commitment, evenings in verified.items():
            for n, day in enumerate(evenings):
                with _at(evening(day)):
                    report = builders.report(
                        commitment,
                        datetime.date(2023 + n, 6, 30),
                        {"usd_invested": "5"},
                        status=ReportStatus.SUBMITTED,
                    )
                with _at(evening(day + datetime.timedelta(days=2))):
                    report.status = ReportStatus.VERIFIED
                    report.save()
        with _at(evening(datetime.date(2025, 3, 1))):
            ProgressReport.objects.create(
                commitment=made[2],
                period_start=datetime.date(2024, 1, 1),
                period_end=datetime.date(2024, 12, 31),
                status=ReportStatus.RETURNED,
            )
        silent_sets = set()
        rates = set()
        start = datetime.date(2023, 9, 1)
        for step in range(0, 2200, 19):
            as_of = start + datetime.timedelta(days=step)
            found = _summary_equals_the_rule(as_of)
            silent_sets.add(found.silent)
            rates.add((found.rate.due, found.rate.reported))
        for day in (
            datetime.date(2023, 9, 27),
            datetime.date(2023, 9, 28),
            datetime.date(2024, 1, 17),
            datetime.date(2025, 10, 2),
        ):
            _summary_equals_the_rule(day)
            _summary_equals_the_rule(day + datetime.timedelta(days=400), recorded_on=day)
        # the record above is not trivial: silence and the rate both move over the years
        assert len(silent_sets) > 2
        assert len(rates) > 2
    finally:
        timezone.deactivate()


@pytest.mark.django_db
def test_without_any_obligation_nothing_is_silent_and_no_rate():
    builders.commitment("Plain Co", "1000", datetime.date(2023, 2, 6))
    found = _summary_equals_the_rule(datetime.date(2030, 1, 1))
    assert (found.with_obligation, found.silent, found.rate.rate) == (0, frozenset(), None)
