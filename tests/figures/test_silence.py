"""The silence rule and the reporting rate on a moving clock (issue 13, item 3)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from adelante.commitments.models import Commitment
from adelante.figures.ladder import ladder
from adelante.figures.record import Record
from adelante.figures.silence import (
    LATE,
    MISSING,
    ON_TIME,
    SILENT,
    Episode,
    period_record,
    reporting_rate,
    reporting_states,
)
from adelante.progress.models import ReportStatus
from tests import builders

pytestmark = pytest.mark.django_db

ANNOUNCED = datetime.date(2023, 2, 6)
# Default schedule: half-years; the first period ends 30 June 2023, due 28 September 2023.
FIRST_DUE = datetime.date(2023, 9, 28)
SILENT_FROM = datetime.date(2025, 9, 28)  # 24 months later, with no report
VERIFIED_ON = datetime.date(2026, 1, 10)


def at(day):
    """The clock on that day at noon (the history is dated by it)."""
    noon = datetime.datetime.combine(day, datetime.time(12))
    return time_machine.travel(timezone.make_aware(noon), tick=False)


def state_of(commitment, as_of, recorded_on=None):
    record = Record(recorded_on)
    rows = record.commitments().filter(id=commitment.id)
    return reporting_states(rows, as_of, record)[commitment.id]


@pytest.fixture
def quiet():
    with at(ANNOUNCED):
        return builders.commitment("Quiet Co", "1000", ANNOUNCED, reporting=True)


def test_silent_from_the_set_time_after_a_report_fell_due_then_active_again(quiet):
    with at(datetime.date(2025, 9, 27)):
        assert not state_of(quiet, timezone.localdate()).silent
    with at(SILENT_FROM):
        state = state_of(quiet, timezone.localdate())
        assert state.silent_since == SILENT_FROM
        found = ladder(timezone.localdate())
        assert (found.silent, found.silent_usd) == (1, Decimal("1000.00"))
        assert found.step("announced").committed_usd == Decimal("1000.00")  # still committed
    with at(VERIFIED_ON):
        builders.report(quiet, datetime.date(2025, 12, 31), {"usd_invested": "5"})
    with at(datetime.date(2026, 2, 1)):
        state = state_of(quiet, timezone.localdate())
        assert not state.silent
        assert state.active_again_on == VERIFIED_ON
        assert state.episodes == (Episode(SILENT_FROM, VERIFIED_ON),)
        assert ladder(timezone.localdate()).silent == 0
        # as recorded on a day when it was silent, it shows silent, with the date
        then = datetime.date(2025, 12, 1)
        assert state_of(quiet, timezone.localdate(), recorded_on=then).silent_since == SILENT_FROM
        assert ladder(timezone.localdate(), recorded_on=then).silent == 1
        # and as of that day on today's record too: the report came later
        assert state_of(quiet, then).silent_since == SILENT_FROM


def test_the_silence_time_is_a_setting(quiet):
    with override_settings(ADELANTE_SILENCE_MONTHS=6):
        assert state_of(quiet, datetime.date(2024, 3, 28)).silent_since == datetime.date(
            2024, 3, 28
        )
    assert not state_of(quiet, datetime.date(2024, 3, 28)).silent


def test_without_a_schedule_nothing_is_owed_and_nothing_is_silent():
    plain = builders.commitment("Plain Co", "1000", ANNOUNCED)
    state = state_of(plain, datetime.date(2030, 1, 1))
    assert (state.obligation, state.silent) == (False, False)
    assert ladder(datetime.date(2030, 1, 1)).silent == 0


def test_a_report_still_unverified_does_not_end_a_silence(quiet):
    with at(VERIFIED_ON):
        builders.report(
            quiet, datetime.date(2025, 12, 31), {"usd_invested": "5"}, status=ReportStatus.SUBMITTED
        )
    assert state_of(quiet, datetime.date(2026, 2, 1)).silent_since == SILENT_FROM


def test_reporting_rate_and_the_record_of_periods(quiet):
    other = builders.commitment("Other Co", "10", ANNOUNCED, reporting=True)
    with at(datetime.date(2023, 9, 1)):  # on time for the first half-year
        builders.report(quiet, datetime.date(2023, 6, 30), {"usd_invested": "1"})
    with at(datetime.date(2024, 5, 1)):  # late for the second
        builders.report(quiet, datetime.date(2023, 12, 31), {"usd_invested": "2"})
    as_of = datetime.date(2024, 6, 1)
    record = Record()
    both = Commitment.objects.filter(id__in=[quiet.id, other.id])
    rate = reporting_rate(both, as_of, record)
    # due in the twelve months to 1 June 2024: 28 Sep 2023 and 29 Mar 2024, for both
    assert (rate.due, rate.reported, rate.rate) == (2, 1, Decimal("50.0"))
    rows = {c.reference: c for c in period_record(both, as_of, record)}
    assert [s for _end, s in rows[quiet.reference].periods] == [ON_TIME, LATE]
    assert [s for _end, s in rows[other.reference].periods] == [MISSING, MISSING]
    later = {c.reference: c for c in period_record(both, datetime.date(2025, 10, 1), record)}
    assert later[other.reference].count(SILENT) == 1  # due 28 Sep 2023, silent 28 Sep 2025
