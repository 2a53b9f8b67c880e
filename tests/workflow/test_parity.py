"""One rule, every door: the same progress report through the web form and through the API
is refused with the same reason, or accepted with the same review events.

The doors that write progress reports are the partner's web form (the period from the
workspace's row, then fill and submit), `POST /api/v1/progress-reports` and the partner's
spreadsheet of values (`workflow.report_sheet`, issue 15); all call `workflow.reporting`.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from adelante.accounts import roles
from adelante.commitments.choices import Status
from adelante.commitments.models import Commitment
from adelante.partners.models import Partner
from adelante.workflow.models import Action, ReviewEvent
from tests import builders
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

ANNOUNCED = datetime.date(2023, 2, 6)
#: The schedule's first two periods (every six months, the first ending more than 90 days on).
FIRST = (ANNOUNCED, datetime.date(2023, 6, 30))
SECOND = (datetime.date(2023, 7, 1), datetime.date(2023, 12, 31))
NOT_ENDED = (datetime.date(2099, 1, 1), datetime.date(2099, 6, 30))

WHOLE = "Give a whole number."
NOT_ENDED_YET = "Report for a period once it has ended."
NOT_REPORTING = "Progress is reported for announced commitments in progress."
LOWER = (
    "Lower than the last verified value (300.00, period ending 2023-06-30): "
    "confirm it with a reason."
)
NOT_YOURS = "You may only report for commitments of the organisations you belong to."


@dataclass(frozen=True)
class Case:
    """A report someone sends: for which commitment, period and values, and as whom."""

    name: str
    period: tuple[datetime.date, datetime.date] = FIRST
    values: dict[str, str] = field(default_factory=lambda: {"usd_invested": "1500.00"})
    reasons: dict[str, str] = field(default_factory=dict)
    status: str = Status.ANNOUNCED
    #: A verified report of the previous period (people trained), to report lower than.
    verified_before: bool = False
    #: The commitment is another organisation's.
    theirs: bool = False
    #: Refused with this reason; None: accepted.
    refused: str | None = None
    #: Accepted: the review events of the report, in order.
    events: tuple[str, ...] = ()


SUBMITTED = (Action.REPORT_SAVED, Action.REPORT_SAVED, Action.REPORT_SUBMITTED)

CASES = [
    Case("fractional people", values={"people_trained": "2.5"}, refused=WHOLE),
    Case("a period not yet ended", period=NOT_ENDED, refused=NOT_ENDED_YET),
    Case("a withdrawn commitment", status=Status.WITHDRAWN, refused=NOT_REPORTING),
    Case("an unannounced commitment", status=Status.PROPOSED, refused=NOT_REPORTING),
    Case(
        "a lower cumulative value without a reason",
        period=SECOND,
        values={"people_trained": "280"},
        verified_before=True,
        refused=LOWER,
    ),
    Case("another partner's commitment", theirs=True, refused=NOT_YOURS),
    Case(
        "whole people and US dollars",
        values={"usd_invested": "1500.25", "people_trained": "30"},
        events=SUBMITTED,
    ),
    Case(
        "a lower cumulative value with its reason",
        period=SECOND,
        values={"people_trained": "280"},
        reasons={"people_trained": "Recount: 20 were counted twice."},
        verified_before=True,
        events=(
            Action.REPORT_SAVED,
            Action.REPORT_SAVED,
            Action.DECREASE_CONFIRMED,
            Action.REPORT_SUBMITTED,
        ),
    ),
]


@dataclass
class Outcome:
    status: int
    reasons: set[str]
    report_id: int | None = None


def _commitment(case: Case, partner: Partner, other: Partner) -> Commitment:
    owner = other if case.theirs else partner
    made = builders.commitment(
        owner.name,
        "1000000",
        ANNOUNCED,
        status=case.status,
        withdrawn_on=datetime.date(2023, 3, 1) if case.status == Status.WITHDRAWN else None,
    )
    if case.verified_before:
        builders.report(made, FIRST[1], {"people_trained": "300"})
    return made


def _form_reasons(context: Any) -> set[str]:
    found: set[str] = set()
    refusal = context.get("refusal")
    if refusal is not None:
        found.update(refusal.messages())
    form = context.get("form")
    if form is not None and form.is_bound:
        found.update(str(e) for errors in form.errors.values() for e in errors)
    return found


def through_the_web(case: Case, user: User, commitment: Commitment) -> Outcome:
    client = Client()
    client.force_login(user)
    slug = commitment.partner.slug
    start = client.post(
        reverse("workflow:report_new", kwargs={"partner": slug, "reference": commitment.reference}),
        {"period": case.period[1].isoformat()},
    )
    if start.status_code != 302:
        return Outcome(start.status_code, _form_reasons(start.context))
    edit = start["Location"]
    data = {"version": client.get(edit).context["form"]["version"].value(), "action": "submit"}
    data.update({f"value_{code}": value for code, value in case.values.items()})
    data.update({f"reason_{code}": reason for code, reason in case.reasons.items()})
    sent = client.post(edit, data)
    report_id = int(edit.rstrip("/").rsplit("/", 1)[-1])
    if sent.status_code != 302:
        return Outcome(sent.status_code, _form_reasons(sent.context), report_id)
    return Outcome(201, set(), report_id)


def through_the_api(case: Case, user: User, commitment: Commitment) -> Outcome:
    body = {
        "commitment": commitment.reference,
        "period_start": case.period[0].isoformat(),
        "period_end": case.period[1].isoformat(),
        "values": [
            {"metric": code, "value": value, "decrease_reason": case.reasons.get(code, "")}
            for code, value in case.values.items()
        ],
    }
    response = token_client(user).post(
        "/api/v1/progress-reports", body, content_type="application/json"
    )
    answer = response.json()
    if response.status_code != 201:
        reasons = {answer["detail"], *(e["msg"] for e in answer.get("errors", []))}
        return Outcome(response.status_code, reasons)
    return Outcome(201, set(), answer["id"])


def through_the_spreadsheet(case: Case, user: User, commitment: Commitment) -> Outcome:
    book = Workbook()
    sheet = book.active
    sheet.append(["commitment", "period_end", "metric", "part", "value", "decrease_reason"])
    for code, value in case.values.items():
        sheet.append(
            [commitment.reference, case.period[1], code, "", value, case.reasons.get(code, "")]
        )
    out = io.BytesIO()
    book.save(out)
    client = Client()
    client.force_login(user)
    # The sheet goes to the sender's own workspace, whoever's commitments it names.
    own = roles.partners_of(user).first()
    assert own is not None
    sent = client.post(
        reverse("workflow:report_sheet", kwargs={"partner": own.slug}),
        {"file": SimpleUploadedFile("values.xlsx", out.getvalue()), "submit": "on"},
    )
    report = commitment.progress_reports.filter(period_end=case.period[1]).first()
    if sent.status_code != 302:
        # "REF, period ending DATE: reason": the reason itself, as the other doors say it.
        reasons = {
            re.sub(r"^.*?, period ending [\d-]+: ", "", r) for r in _form_reasons(sent.context)
        }
        return Outcome(sent.status_code, reasons, report.pk if report else None)
    assert report is not None
    return Outcome(201, set(), report.pk)


DOORS = {"web": through_the_web, "api": through_the_api, "sheet": through_the_spreadsheet}


def _events(report_id: int | None) -> list[tuple[str, str, str, dict[str, Any]]]:
    rows = ReviewEvent.objects.filter(report_id=report_id).order_by("id")
    return [(e.action, e.user.username, e.reason, e.details) for e in rows]  # type: ignore[union-attr]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_door_gives_the_same_answer(case, member, partner, other_partner):
    outcomes = {}
    for door, send in DOORS.items():
        commitment = _commitment(case, partner, other_partner)
        outcomes[door] = send(case, member, commitment)
        if case.refused is not None:
            assert outcomes[door].status in (400, 403, 409, 422), (door, outcomes[door])
            assert case.refused in outcomes[door].reasons, (door, outcomes[door])
            assert not ReviewEvent.objects.filter(
                commitment=commitment, action=Action.REPORT_SUBMITTED
            ).exists(), door
        else:
            assert outcomes[door].status == 201, (door, outcomes[door])
    if case.refused is None:
        web, api, sheet = (_events(outcomes[door].report_id) for door in DOORS)
        assert web == api == sheet
        assert tuple(action for action, *_ in web) == case.events
        assert {user for _, user, *_ in web} == {member.username}


def test_the_api_says_what_the_web_form_says(member, partner, other_partner):
    """The refusal's detail in the API is the reason itself, not a paraphrase."""
    case = CASES[0]
    answer = through_the_api(case, member, _commitment(case, partner, other_partner))
    assert answer.status == 422
    assert WHOLE in answer.reasons
    decreased = CASES[4]
    answer = through_the_api(decreased, member, _commitment(decreased, partner, other_partner))
    assert (answer.status, answer.reasons) == (422, {LOWER})


def test_the_decrease_reason_is_kept_whichever_door(member, partner, other_partner):
    case = CASES[-1]
    for send in DOORS.values():
        outcome = send(case, member, _commitment(case, partner, other_partner))
        event = ReviewEvent.objects.get(
            report_id=outcome.report_id, action=Action.DECREASE_CONFIRMED
        )
        assert event.reason == "Recount: 20 were counted twice."
        assert event.details["last_verified"] == "300.00"
        assert Decimal(event.details["new"]) == Decimal(280)
