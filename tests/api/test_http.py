"""What every API response shares: problem details, CORS, conditional GET, rate limits."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.test import Client

from adelante.api import ratelimit
from adelante.api.conditional import record_last_changed
from tests import builders
from tests.api.conftest import get_json, member_of, token_client

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert set(body) >= PROBLEM_KEYS and body["status"] == status
    assert body["instance"].startswith("/api/")
    return body


def test_every_kind_of_error_is_a_problem_document(db, client):
    partner = builders.partner("Member Co")
    other = builders.commitment("Other Co", "1", datetime.date(2024, 1, 1))
    writer = token_client(member_of(partner))
    assert_problem(client.get("/api/v1/no-such-thing"), 404)
    assert_problem(client.get("/api/v1/commitments/no-such-ref"), 404)
    not_allowed = assert_problem(client.delete("/api/v1/commitments"), 405)
    assert not_allowed["title"] == "Method Not Allowed"
    assert_problem(client.get("/api/v1/commitments?country=XX"), 422)
    assert_problem(client.get("/api/v1/me"), 401)
    assert_problem(
        writer.post("/api/v1/progress-reports", data="{not json", content_type="application/json"),
        400,
    )
    body = {"commitment": other.reference, "period_start": "2024-01-01", "period_end": "2024-06-30"}
    assert_problem(
        writer.post("/api/v1/progress-reports", body, content_type="application/json"), 403
    )


def test_a_conflict_is_409(db):
    mine = builders.commitment("Member Co", "1", datetime.date(2024, 1, 1))
    writer = token_client(member_of(mine.partner))
    body = {
        "commitment": mine.reference,
        "period_start": "2024-01-01",
        "period_end": "2024-06-30",
        # A report needs a value (the web form's rule, which the API now follows too).
        "values": [{"metric": "usd_invested", "value": "1.00"}],
    }
    assert (
        writer.post("/api/v1/progress-reports", body, content_type="application/json").status_code
        == 201
    )
    problem = assert_problem(
        writer.post("/api/v1/progress-reports", body, content_type="application/json"), 409
    )
    assert problem["type"] == "urn:adelante:problem:conflict"


@pytest.mark.urls("tests.api.boom_urls")
def test_a_server_error_is_a_problem_without_internals(db):
    client = Client(raise_request_exception=False)
    body = assert_problem(client.get("/api/v1/boom"), 500)
    assert "a bug" not in json.dumps(body) and "Traceback" not in json.dumps(body)


def test_an_invalid_token_is_refused_even_for_public_reads(db, client):
    for header in ("Bearer adl_nope", "Bearer ", "Basic dXNlcjpwYXNz", "Token x"):
        response = client.get("/api/v1/commitments", HTTP_AUTHORIZATION=header)
        body = assert_problem(response, 401)
        assert "Bearer" in response["WWW-Authenticate"], body


def test_cors_is_open_for_reads(db, client):
    response = client.get("/api/v1/commitments", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/commitments",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]
    # Nothing of this outside the API.
    assert "Access-Control-Allow-Origin" not in client.get("/en/admin/login/")


def test_conditional_get_with_etag_and_last_modified(db, client):
    builders.commitment("Cached Co", "1", datetime.date(2024, 1, 1))
    first = client.get("/api/v1/figures/committed?as_of=2024-06-01")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and first["Cache-Control"] == "public, no-cache"
    assert record_last_changed() is not None
    again = client.get("/api/v1/figures/committed?as_of=2024-06-01", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    since = client.get(
        "/api/v1/figures/committed?as_of=2024-06-01", HTTP_IF_MODIFIED_SINCE=last_modified
    )
    assert since.status_code == 304
    # A change to the record: a new ETag, and the old one no longer matches.
    builders.commitment("Newer Co", "2", datetime.date(2024, 1, 1))
    changed = client.get("/api/v1/figures/committed?as_of=2024-06-01", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    # Another question, another ETag.
    other = client.get("/api/v1/figures/committed?as_of=2024-01-01")
    assert other["ETag"] != changed["ETag"]


# The windows are fixed (aligned to the clock): these tests stop the clock mid-window, so that
# their requests never straddle two windows on a slow machine.
MID_WINDOW = datetime.datetime(2026, 1, 5, 12, 0, 30, tzinfo=datetime.UTC)


@time_machine.travel(MID_WINDOW, tick=False)
def test_rate_limit_per_address(db, client, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = "3/60"
    statuses = [client.get("/api/v1/metrics").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/metrics")
    body = assert_problem(limited, 429)
    assert body["type"] == "urn:adelante:problem:rate-limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["RateLimit-Remaining"] == "0"
    # Another address has its own budget.
    assert client.get("/api/v1/metrics", REMOTE_ADDR="10.0.0.9").status_code == 200


@time_machine.travel(MID_WINDOW, tick=False)
def test_rate_limit_per_token(db, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = "1/60"
    settings.API_RATE_LIMIT_TOKEN = "2/60"
    user_a = member_of(builders.partner("A Co"), "a")
    user_b = member_of(builders.partner("B Co"), "b")
    a, b = token_client(user_a), token_client(user_b)
    assert [a.get("/api/v1/metrics").status_code for _ in range(3)] == [200, 200, 429]
    assert b.get("/api/v1/metrics").status_code == 200
    assert b.get("/api/v1/metrics")["RateLimit-Limit"] == "2"


def test_rate_limit_windows():
    limit = ratelimit.Limit.parse("2/10")
    assert [ratelimit.hit("w", limit, now=1000.0).allowed for _ in range(3)] == [True, True, False]
    assert ratelimit.hit("w", limit, now=1010.5).allowed  # the next window
    assert ratelimit.hit("w", limit, now=1010.5).reset == 10
    with pytest.raises(Exception, match="requests/seconds"):
        ratelimit.Limit.parse("lots")


def test_openapi_document_and_local_docs(db, client):
    doc = get_json(client, "/api/v1/openapi.json")
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/figures/committed/by/{dimension}" in doc["paths"]
    error = doc["paths"]["/api/v1/commitments"]["get"]["responses"]["422"]
    assert "application/problem+json" in error["content"]
    money = doc["components"]["schemas"]["CommittedOut"]["properties"]["amount_usd"]
    assert money["type"] == "string"
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert '"validatorUrl": null' in html
