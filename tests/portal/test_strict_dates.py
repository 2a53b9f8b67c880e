"""Dates in the portal's addresses are YYYY-MM-DD: anything else is a 400 page that says so,
never a 500 and never a guess (1970, or another reading of the digits)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

BAD = ["0", "2023", "2023-2-1", "20230201", "2023-W05-3", "2023-02-30"]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("parameter", ["as_of", "recorded_on"])
def test_a_page_refuses_other_forms_with_a_clear_message(client, parameter, value):
    response = client.get("/en/", {parameter: value})
    assert response.status_code == 400
    assert "is not a date. Write it as year-month-day" in response.content.decode()


@pytest.mark.parametrize("value", BAD)
def test_the_downloads_refuse_them_too(client, value):
    response = client.get("/downloads/adelante-record.json", {"as_of": value})
    assert response.status_code == 400
    assert "write as_of as YYYY-MM-DD" in response.content.decode()


@pytest.mark.parametrize("value", BAD)
def test_the_iati_file_refuses_them_too(client, value):
    response = client.get("/api/v1/iati/activities.xml", {"as_of": value})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert "YYYY-MM-DD" in problem["detail"] and problem["errors"][0]["loc"] == ["query", "as_of"]


def test_a_proper_date_is_read(client):
    assert client.get("/en/", {"as_of": "2023-02-06"}).status_code == 200
    assert client.get("/downloads/adelante-record.json", {"as_of": "2023-02-06"}).status_code == 200
