"""Dates in the API are YYYY-MM-DD and nothing else: a number is never read as seconds since
1970, a year alone or a month without its zero is refused, naming the parameter."""

from __future__ import annotations

import datetime

import pytest

from adelante.progress.models import ProgressReport
from tests import builders
from tests.api.conftest import member_of, token_client

pytestmark = pytest.mark.django_db

BAD = ["0", "2023", "2023-2-1", "20230201", "2023-02-01T00:00", "2023-W05-3", "1e3", "2023-02-30"]
ENDPOINTS = [
    "/api/v1/figures/committed",
    "/api/v1/figures/invested",
    "/api/v1/figures/committed/by/country",
    "/api/v1/commitments",
    "/api/v1/statements",
    "/api/v1/progress",
]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_as_of_other_than_year_month_day_is_a_422_naming_it(client, endpoint, value):
    response = client.get(endpoint, {"as_of": value})
    assert response.status_code == 422, (endpoint, value, response.content)
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["type"] == "urn:adelante:problem:invalid-parameters"
    assert "as_of" in problem["detail"]
    assert [e["loc"] for e in problem["errors"]] == [["query", "as_of"]]
    assert "1970" not in response.content.decode()


@pytest.mark.parametrize("value", ["0", "2023", "2023-2-1"])
def test_recorded_on_is_as_strict(client, value):
    response = client.get("/api/v1/figures/committed", {"recorded_on": value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "recorded_on"]


def test_a_proper_date_still_works(client):
    response = client.get("/api/v1/figures/committed", {"as_of": "2023-02-06"})
    assert response.status_code == 200
    assert response.json()["as_of"] == "2023-02-06"


@pytest.mark.parametrize("value", [0, "2024", "2024-1-1", 1704067200])
def test_dates_in_a_submission_are_as_strict(value):
    mine = builders.commitment("Member Co", "1", datetime.date(2024, 1, 15))
    client = token_client(member_of(mine.partner))
    body = {
        "commitment": mine.reference,
        "period_start": value,
        "period_end": "2024-06-30",
        "values": [],
    }
    response = client.post("/api/v1/progress-reports", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["loc"] == ["body", "body", "period_start"]
    assert not ProgressReport.objects.exists()
