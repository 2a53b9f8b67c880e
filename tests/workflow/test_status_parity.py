"""One rule, every door, for a recorded commitment's status: the secretariat's status page and
the staff spreadsheet import (in the web) refuse the same changes with the same reason, and
record the same review event for the changes they make (each with the reason it was given);
the admin shows the status and changes it never."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from adelante.accounts.grants import grant
from adelante.commitments.choices import Status
from adelante.commitments.models import Commitment
from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.models import ImportJob
from adelante.workflow.models import Action, Proposal, ReviewEvent, Stage
from tests.adminforms import posted
from tests.exchange.conftest import commitment as row_of
from tests.exchange.workers import work

pytestmark = pytest.mark.django_db

WITHDRAWN_ON = datetime.date(2024, 6, 1)
NEEDS_A_DATE = (
    "Give the date it was withdrawn: it is required when the status is withdrawn, and until "
    "that date the commitment counts as committed."
)
NO_DATE_HERE = "Only a withdrawn commitment has a withdrawal date. Here the status is in_progress."
THE_INTAKE = (
    "The intake sets this commitment's status until it is announced: review the proposal in "
    "the work queue."
)


@dataclass(frozen=True)
class Case:
    name: str
    status: str
    withdrawn_on: datetime.date | None = None
    #: The commitment is a proposal still in review.
    in_intake: bool = False
    refused: str | None = None


CASES = [
    Case("withdrawn without a date", Status.WITHDRAWN, refused=NEEDS_A_DATE),
    Case("a date but not withdrawn", Status.IN_PROGRESS, WITHDRAWN_ON, refused=NO_DATE_HERE),
    Case(
        "a proposal in review", Status.WITHDRAWN, WITHDRAWN_ON, in_intake=True, refused=THE_INTAKE
    ),
    Case("withdrawn on a date", Status.WITHDRAWN, WITHDRAWN_ON),
    Case("completed", Status.COMPLETED),
]


@pytest.fixture
def staffer() -> User:
    user = User.objects.create_user("staffer", password="x-password-123")
    grant(user, "secretariat-reviewer")
    return user


def _recorded(case: Case, partner: str, tmp_path: Any) -> Commitment:
    """A commitment of the record, as the import first wrote it (announced)."""
    path = tmp_path / f"{partner}.csv"
    _write(path, [row_of(partner=partner)])
    import_commitments(path)
    made = Commitment.objects.get(partner__name=partner)
    if case.in_intake:
        Proposal.objects.create(commitment=made, stage=Stage.SUBMITTED)
    return made


def _write(path: Any, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def on_the_status_page(case: Case, user: User, made: Commitment) -> tuple[int, set[str]]:
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("workflow:commitment_status", kwargs={"reference": made.reference}),
        {
            "status": case.status,
            "withdrawn_on": case.withdrawn_on.isoformat() if case.withdrawn_on else "",
            "reason": "The company's letter of 3 June.",
        },
    )
    if response.status_code == 302:
        return 302, set()
    form = response.context["form"]
    return response.status_code, {str(e) for errors in form.errors.values() for e in errors}


def through_the_spreadsheet(case: Case, user: User, made: Commitment) -> tuple[int, set[str]]:
    client = Client()
    client.force_login(user)
    row = row_of(
        partner=made.partner.name,
        status=case.status,
        withdrawn_on=case.withdrawn_on.isoformat() if case.withdrawn_on else "",
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = "statuses.csv"
    started = client.post("/en/staff/import/", {"kind": "commitments", "file": upload})
    work()  # the dry run, in a background job
    job = ImportJob.objects.get(pk=started["Location"].rstrip("/").rsplit("/", 1)[1])
    if job.problems:
        return 400, {p["reason"] for p in job.problems}
    client.post(f"/en/staff/import/jobs/{job.pk}/confirm/", {"confirm": "1"})
    work()  # the import
    job.refresh_from_db()
    assert not job.problems and job.state == "imported"
    return 302, set()


DOORS = {"status page": on_the_status_page, "spreadsheet": through_the_spreadsheet}


def _event(made: Commitment) -> tuple[str, str, dict[str, Any]] | None:
    found = ReviewEvent.objects.filter(commitment=made, action=Action.STATUS_CHANGED).first()
    if found is None:
        return None
    assert found.reason  # the reason the door was given
    return found.action, found.user.username, found.details  # type: ignore[union-attr]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_door_gives_the_same_answer(case, staffer, tmp_path):
    events = {}
    for i, (door, send) in enumerate(DOORS.items()):
        made = _recorded(case, f"Partner {i}", tmp_path)
        status, reasons = send(case, staffer, made)
        made.refresh_from_db()
        if case.refused is not None:
            assert status in (400, 409), (door, status, reasons)
            assert case.refused in reasons, (door, reasons)
            assert (made.status, made.withdrawn_on) == (Status.ANNOUNCED, None), door
            assert _event(made) is None, door
        else:
            assert status == 302, (door, reasons)
            assert (made.status, made.withdrawn_on) == (case.status, case.withdrawn_on), door
            events[door] = _event(made)
    if case.refused is None:
        assert events["status page"] == events["spreadsheet"]
        assert events["status page"] == (
            Action.STATUS_CHANGED,
            staffer.username,
            {
                "old": Status.ANNOUNCED,
                "new": case.status,
                "withdrawn_on": case.withdrawn_on.isoformat() if case.withdrawn_on else None,
            },
        )


def test_the_status_page_wants_a_reason_and_the_secretariat(staffer, tmp_path):
    made = _recorded(CASES[-1], "Acme", tmp_path)
    url = reverse("workflow:commitment_status", kwargs={"reference": made.reference})
    client = Client()
    client.force_login(staffer)
    response = client.post(url, {"status": Status.COMPLETED, "reason": " "})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    partner = User.objects.create_user("partner", password="x-password-123")
    client.force_login(partner)
    assert client.post(url, {"status": Status.COMPLETED, "reason": "Done"}).status_code == 403
    made.refresh_from_db()
    assert made.status == Status.ANNOUNCED


def test_the_admin_shows_the_status_and_keeps_it(admin_client, tmp_path):
    made = _recorded(CASES[-1], "Acme", tmp_path)
    url = reverse("admin:commitments_commitment_change", args=[made.pk])
    page = admin_client.get(url)
    assert reverse("workflow:commitment_status", kwargs={"reference": made.reference}) in (
        page.content.decode()
    )
    data = posted(
        page,
        title="Renamed",
        status=Status.WITHDRAWN,
        withdrawn_on=WITHDRAWN_ON.isoformat(),
        change_reason="Typo",
    )
    assert admin_client.post(url, data).status_code == 302
    made.refresh_from_db()
    assert made.title == "Renamed"  # the record's own fields change here
    assert (made.status, made.withdrawn_on) == (Status.ANNOUNCED, None)
    assert not ReviewEvent.objects.filter(commitment=made).exists()
