"""DOMAIN rule 6: any figure as the record stood on an earlier day, from the history."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from adelante.commitments.choices import Status
from adelante.commitments.geography import set_countries
from adelante.figures.committed import committed, committed_by
from adelante.figures.reached import invested
from adelante.progress.models import ProgressValue
from tests import builders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 6, 7)
RECORDED = datetime.date(2023, 3, 1)
LATER = datetime.datetime(2024, 1, 15, 12, tzinfo=datetime.UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_an_amount_changed_later_keeps_its_old_figure():
    with at(datetime.datetime(2023, 2, 28, 9, tzinfo=datetime.UTC)):
        made = builders.commitment("Alpha", "100", DAY, countries=["GT"])
        builders.commitment("Beta", "50", DAY, countries=["SV"])
    with at(LATER):
        made.amount_usd = made.amount = Decimal("175")
        made.save()
        set_countries(made, {"GT": None})

    assert committed(DAY).amount_usd == Decimal("225.00")
    old = committed(DAY, recorded_on=RECORDED)
    assert old.amount_usd == Decimal("150.00")
    assert old.recorded_on == RECORDED
    rows = {r.key: r.amount_usd for r in committed_by("country", DAY, recorded_on=RECORDED).rows}
    assert rows == {"GT": Decimal("100.00"), "SV": Decimal("50.00")}


def test_objects_created_after_the_day_are_not_in_the_old_record():
    with at(datetime.datetime(2023, 1, 10, tzinfo=datetime.UTC)):
        builders.commitment("Alpha", "100", DAY)
    with at(LATER):
        builders.commitment("Late entry", "900", DAY)
    assert committed(DAY, recorded_on=RECORDED).amount_usd == Decimal("100.00")
    assert committed(DAY, recorded_on=RECORDED).partners == 1
    assert committed(DAY, recorded_on=LATER.date()).amount_usd == Decimal("1000.00")


def test_deleted_objects_are_in_the_old_record_only():
    with at(datetime.datetime(2023, 1, 10, tzinfo=datetime.UTC)):
        made = builders.commitment("Alpha", "100", DAY)
    with at(LATER):
        made.delete()
    assert committed(DAY).amount_usd == 0
    assert committed(DAY, recorded_on=RECORDED).amount_usd == Decimal("100.00")


def test_a_later_withdrawal_does_not_change_the_old_record():
    with at(datetime.datetime(2023, 1, 10, tzinfo=datetime.UTC)):
        made = builders.commitment("Alpha", "100", DAY)
    with at(LATER):
        made.status = Status.WITHDRAWN
        made.withdrawn_on = datetime.date(2022, 12, 1)
        made.save()
    assert committed(datetime.date(2023, 1, 1)).amount_usd == 0
    assert committed(datetime.date(2023, 1, 1), recorded_on=RECORDED).amount_usd == Decimal(
        "100.00"
    )


def test_partner_type_and_focus_follow_their_history():
    with at(datetime.datetime(2023, 1, 10, tzinfo=datetime.UTC)):
        made = builders.commitment("Alpha", "100", DAY, partner_type="ngo", focus=["women"])
    with at(LATER):
        made.partner.type = "company"
        made.partner.save()
        made.focus_areas.set([])
    by_type = committed_by("partner-type", DAY, recorded_on=RECORDED)
    assert [(r.key, r.amount_usd) for r in by_type.rows] == [("ngo", Decimal("100.00"))]
    now = committed_by("partner-type", DAY)
    assert [(r.key, r.amount_usd) for r in now.rows] == [("company", Decimal("100.00"))]
    focus_then = committed_by("focus", DAY, recorded_on=RECORDED)
    assert [(r.key, r.amount_usd) for r in focus_then.rows] == [("women", Decimal("100.00"))]
    focus_now = committed_by("focus", DAY)
    assert [(r.key, r.amount_usd) for r in focus_now.rows] == [("unclassified", Decimal("100.00"))]


def test_a_corrected_progress_value_keeps_the_old_figure():
    with at(datetime.datetime(2023, 1, 10, tzinfo=datetime.UTC)):
        made = builders.commitment("Alpha", "100", DAY)
        builders.report(made, datetime.date(2022, 12, 31), {"usd_invested": "40"})
    with at(LATER):
        value = ProgressValue.objects.get()
        value.value = Decimal("45")
        value.save()
    end = datetime.date(2023, 12, 31)
    assert invested(end).value == Decimal("45.00")
    assert invested(end, recorded_on=RECORDED).value == Decimal("40.00")
