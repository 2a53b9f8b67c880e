"""The figure endpoints answer exactly what the figures module computes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from adelante.figures.committed import committed, committed_by
from adelante.figures.reached import invested, reached
from adelante.figures.reconcile import reconcile
from adelante.money.qualifiers import AmountQualifier
from tests import builders
from tests.api.conftest import CAF, LAUNCH, get_json

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 1)


def test_committed_equals_the_figures_module(demo, client):
    for day in (LAUNCH, CAF):
        got = get_json(client, f"/api/v1/figures/committed?as_of={day}")
        expected = committed(day)
        assert Decimal(got["amount_usd"]) == expected.amount_usd
        assert got["amount_usd"] == f"{expected.amount_usd:f}"
        assert got["qualifier"] == expected.qualifier
        assert got["commitments"] == expected.commitments
        assert got["commitments_without_amount"] == expected.commitments_without_amount
        assert got["partners"] == expected.partners
    assert (
        get_json(client, f"/api/v1/figures/committed?as_of={CAF}")["amount_usd"] == "3641600000.00"
    )


@pytest.mark.parametrize("dimension", ["country", "kind", "round", "partner-type", "focus"])
def test_breakdowns_equal_the_figures_module(demo, client, dimension):
    got = get_json(client, f"/api/v1/figures/committed/by/{dimension}?as_of={CAF}")
    expected = committed_by(dimension, CAF)
    assert [(r["key"], r["amount_usd"], r["commitments"]) for r in got["rows"]] == [
        (r.key, f"{r.amount_usd:f}" if r.amount_usd is not None else None, r.commitments)
        for r in expected.rows
    ]
    assert got["overlapping"] == (dimension == "focus")
    assert (got["total"] is None) == (dimension == "focus")
    assert all(row["label"] for row in got["rows"])


def test_figures_leave_confidential_amounts_out_and_count_them(db, client):
    builders.commitment(
        "Secret Co", "1000", DAY, qualifier=AmountQualifier.CONFIDENTIAL, countries=("GT",)
    )
    builders.commitment("Open Co", "50", DAY, countries=("SV",))
    builders.commitment("Other Co", "70", DAY, countries=("HN",))
    got = get_json(client, f"/api/v1/figures/committed/by/country?as_of={DAY}")
    rows = {r["key"]: r for r in got["rows"]}
    # Rule 7 (non-interference): no cell and no total includes the confidential amount.
    assert (rows["GT"]["amount_usd"], rows["GT"]["confidential"]) == ("0.00", 1)
    assert not any(r["suppressed"] for r in got["rows"])
    assert rows["HN"]["amount_usd"] == "70.00"
    assert "1000.00" not in str(got)
    assert got["total"]["amount_usd"] == "120.00"
    assert got["total"]["commitments_confidential"] == 1
    total = get_json(client, f"/api/v1/figures/committed?as_of={DAY}")
    assert (total["amount_usd"], total["commitments_confidential"]) == ("120.00", 1)


def test_invested_reached_and_reconcile(demo, client):
    c = builders.commitment("Reporter", "100", DAY)
    builders.report(c, datetime.date(2024, 6, 30), {"usd_invested": "40", "people_trained": "12"})
    day = datetime.date(2024, 12, 31)
    got = get_json(client, f"/api/v1/figures/invested?as_of={day}")
    assert got == {
        "metric": "usd_invested",
        "as_of": day.isoformat(),
        "recorded_on": None,
        "value": f"{invested(day).value:f}",
        "commitments": 1,
        # The primary initiative's currency for display is US$: nothing converted.
        "display_currency": None,
    }
    trained = get_json(client, f"/api/v1/figures/reached/people_trained?as_of={day}")
    assert trained["value"] == f"{reached('people_trained', day).value:f}" == "12.00"
    every = get_json(client, f"/api/v1/figures/reached?as_of={day}")
    assert [f["metric"] for f in every] == ["people_trained"]
    get_json(client, "/api/v1/figures/reached/no_such_metric", 404)
    rows = get_json(client, f"/api/v1/figures/reconcile?as_of={CAF}")
    expected = reconcile(CAF)
    assert len(rows) == len(expected)
    for row, exp in zip(rows, expected, strict=True):
        assert row["statement_id"] == exp.statement_id
        assert row["gap"] == (f"{exp.gap:f}" if exp.gap is not None else None)


def test_as_recorded_on_an_earlier_day(db, client):
    with time_machine.travel(datetime.datetime(2024, 3, 2, 12, tzinfo=datetime.UTC)):
        c = builders.commitment("Changer", "100", DAY)
    with time_machine.travel(datetime.datetime(2024, 4, 2, 12, tzinfo=datetime.UTC)):
        c.amount_usd = Decimal("300")
        c.save()
    now = get_json(client, f"/api/v1/figures/committed?as_of={DAY}")
    then = get_json(client, f"/api/v1/figures/committed?as_of={DAY}&recorded_on=2024-03-15")
    assert now["amount_usd"] == "300.00"
    assert (
        then["amount_usd"]
        == "100.00"
        == f"{committed(DAY, recorded_on=datetime.date(2024, 3, 15)).amount_usd:f}"
    )
    assert then["recorded_on"] == "2024-03-15"


@pytest.mark.parametrize(
    "query",
    [
        "as_of=2023-13-01",
        "as_of=yesterday",
        "recorded_on=2023-02-30",
        "as_of=0001-01-01",
        "recorded_on=9999-12-31",
        "as_of=2023-02-06T00:00:00%2B99:00",
    ],
)
def test_bad_dates_are_problems_not_errors(db, client, query):
    for url in (
        "/api/v1/figures/committed",
        "/api/v1/figures/committed/by/country",
        "/api/v1/figures/reconcile",
        "/api/v1/figures/invested",
    ):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 422, (url, query, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["errors"]


def test_unknown_dimension_is_refused(db, client):
    problem = get_json(client, "/api/v1/figures/committed/by/planet", 422)
    assert problem["errors"][0]["loc"] == ["path", "dimension"]


def test_default_date_is_today(db, client):
    builders.commitment("Today Co", "5", timezone.localdate())
    assert get_json(client, "/api/v1/figures/committed")["amount_usd"] == "5.00"
