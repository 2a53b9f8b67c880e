"""Reading ?as_of= and ?recorded_on=: today by default, future dates clamped, bad ones refused."""

import datetime

import pytest
from django.utils import timezone

from adelante.portal.dates import EARLIEST, ViewDate, view_date
from adelante.portal.problems import BadParameters


def test_today_by_default():
    today = timezone.localdate()
    assert view_date({}) == ViewDate(as_of=today, today=today)
    assert view_date({"as_of": "  "}).as_of == today
    assert not view_date({}).past


def test_a_past_date():
    when = view_date({"as_of": "2022-06-07"})
    assert when.as_of == datetime.date(2022, 6, 7) and when.past
    assert when.query() == {"as_of": "2022-06-07"}


def test_a_future_date_is_clamped():
    when = view_date({"as_of": "2999-01-01"})
    assert when.as_of == timezone.localdate() and when.clamped and not when.past


def test_recorded_on():
    when = view_date({"as_of": "2023-02-06", "recorded_on": "2023-03-01"})
    assert when.recorded_on == datetime.date(2023, 3, 1) and when.past
    assert view_date({"recorded_on": timezone.localdate().isoformat()}).recorded_on is None


@pytest.mark.parametrize(
    "text",
    [
        "2022-6-7",
        "20220607",
        "2022-02-30",
        "yesterday",
        "2022-06-07T00:00",
        "\uff11\uff12\uff13\uff14-01-01",
    ],
)
def test_malformed_dates(text):
    with pytest.raises(BadParameters) as raised:
        view_date({"as_of": text})
    assert raised.value.drop == ("as_of",)


def test_too_early():
    with pytest.raises(BadParameters):
        view_date({"as_of": (EARLIEST - datetime.timedelta(days=1)).isoformat()})
