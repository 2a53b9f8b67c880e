"""Partners submit progress reports with a token, only for their own organisation's
commitments; reports land as submitted, never verified."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from adelante.commitments.choices import Status
from adelante.figures.reached import invested
from adelante.progress.models import ProgressReport, ReportStatus
from tests import builders
from tests.api.conftest import get_json, member_of, token_client

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 1, 15)


def _body(reference: str, **extra: object) -> dict:
    body = {
        "commitment": reference,
        "period_start": "2024-01-01",
        "period_end": "2024-06-30",
        "narrative": "Opened the plant.",
        "values": [{"metric": "usd_invested", "value": "1500000.25"}],
    }
    body.update(extra)
    return body


def test_a_member_submits_for_their_own_commitment(db):
    mine = builders.commitment("Member Co", "5000000", DAY)
    user = member_of(mine.partner)
    client = token_client(user)
    response = client.post(
        "/api/v1/progress-reports", _body(mine.reference), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "submitted" and created["verification_level"] == "self_reported"
    assert created["values"] == [{"metric": "usd_invested", "value": "1500000.25"}]
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    assert report.values.get().value == Decimal("1500000.25")
    latest = report.history.latest()
    assert (
        latest.history_user == user and "submitted through the API" in latest.history_change_reason
    )
    # Not verified: the figures do not move.
    assert invested(datetime.date(2024, 12, 31)).value == 0
    assert get_json(client, f"/api/v1/progress-reports/{report.pk}")["id"] == report.pk
    # Nor does a status in the body sneak in.
    again = client.post(
        "/api/v1/progress-reports",
        _body(mine.reference, period_end="2024-12-31", status="verified"),
        content_type="application/json",
    )
    assert again.json()["status"] == "submitted"


def test_no_one_submits_for_another_organisation(db):
    theirs = builders.commitment("Their Co", "1", DAY)
    mine = builders.commitment("Member Co", "1", DAY)
    client = token_client(member_of(mine.partner))
    response = client.post(
        "/api/v1/progress-reports", _body(theirs.reference), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["type"] == "urn:adelante:problem:not-your-partner"
    report = builders.report(theirs, datetime.date(2024, 6, 30), {}, status=ReportStatus.SUBMITTED)
    assert ProgressReport.objects.filter(commitment=theirs).count() == 1
    # Another organisation's report answers as a missing one (issue 10: it was 403, which said
    # that the id exists).
    theirs_read = client.get(f"/api/v1/progress-reports/{report.pk}")
    missing_read = client.get("/api/v1/progress-reports/999999")
    assert theirs_read.status_code == missing_read.status_code == 404
    assert _without_ids(theirs_read.json()) == _without_ids(missing_read.json())


def _without_ids(problem: dict) -> dict:  # type: ignore[type-arg]
    return {
        key: value.replace("999999", "N").replace(str(ProgressReport.objects.get().pk), "N")
        for key, value in problem.items()
        if isinstance(value, str)
    } | {"status": problem["status"]}


def test_another_organisations_proposal_is_not_there(db):
    """Submitting for an unpublished commitment of another organisation answers exactly as
    for a reference that does not exist."""
    theirs = builders.commitment("Their Co", "1", DAY, status=Status.PROPOSED)
    mine = builders.commitment("Member Co", "1", DAY)
    client = token_client(member_of(mine.partner))
    hidden = client.post(
        "/api/v1/progress-reports", _body(theirs.reference), content_type="application/json"
    )
    missing = client.post(
        "/api/v1/progress-reports", _body("no-such-reference"), content_type="application/json"
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["type"] == missing.json()["type"]
    assert hidden.json()["detail"].replace(theirs.reference, "R") == missing.json()[
        "detail"
    ].replace("no-such-reference", "R")


def test_anonymous_cannot_write(db, client):
    mine = builders.commitment("Member Co", "1", DAY)
    response = client.post(
        "/api/v1/progress-reports", _body(mine.reference), content_type="application/json"
    )
    assert response.status_code == 401
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"commitment": "no-such-reference"}, 404),
        ({"period_end": "2023-12-31"}, 422),
        ({"values": [{"metric": "usd_invested", "value": 15.5}]}, 422),  # a float: refused
        ({"values": [{"metric": "usd_invested", "value": "-1"}]}, 422),
        ({"values": [{"metric": "usd_invested", "value": "1.234"}]}, 422),
        ({"values": [{"metric": "unknown_metric", "value": "1"}]}, 422),
        ({"values": [{"metric": "usd_invested", "value": "1"}] * 2}, 422),
        ({"period_start": "2024-02-30"}, 422),
    ],
)
def test_bad_submissions_write_nothing(db, change, status):
    mine = builders.commitment("Member Co", "1", DAY)
    client = token_client(member_of(mine.partner))
    body = _body(mine.reference, **change)
    response = client.post("/api/v1/progress-reports", body, content_type="application/json")
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not ProgressReport.objects.exists()


def test_me_lists_memberships(db):
    user = member_of(builders.partner("Member Co"))
    me = get_json(token_client(user), "/api/v1/me")
    assert me == {
        "username": "partner-user",
        "memberships": [
            {
                "partner": {"slug": "member-co", "name": "Member Co", "type": "company"},
                "role": "member",
            }
        ],
    }
