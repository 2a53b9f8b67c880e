"""One amount limit for every door (adelante.money.limits): the proposal form's service, the
API, the import and the admin accept 10^12 and refuse a cent more, with the same words."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.forms import modelform_factory

from adelante.commitments.admin_forms import CommitmentForm
from adelante.commitments.models import Commitment
from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.problems import ImportRejected
from adelante.money import limits
from adelante.workflow import intake
from tests import builders
from tests.api.conftest import member_of, token_client
from tests.exchange.conftest import commitment, write_csv

pytestmark = pytest.mark.django_db

LIMIT = Decimal(10**12)
OVER = LIMIT + Decimal("0.01")
DAY = datetime.date(2024, 1, 15)


def proposal_form(amount: Decimal) -> list[str]:
    """The web form for proposals checks through `intake.problems`."""
    return intake.problems(intake.ProposalInput(amount=amount), complete=False).get("amount", [])


def api(amount: Decimal) -> list[str]:
    """A progress report's US$ value, posted to the API."""
    mine = builders.commitment(f"Member {amount}", "5000000", DAY)
    client = token_client(member_of(mine.partner, f"member-{amount}"))
    body = {
        "commitment": mine.reference,
        "period_start": "2024-01-01",
        "period_end": "2024-06-30",
        "narrative": "Opened the plant.",
        "values": [{"metric": "usd_invested", "value": str(amount)}],
    }
    response = client.post("/api/v1/progress-reports", body, content_type="application/json")
    if response.status_code == 201:
        return []
    return [e["msg"] for e in response.json().get("errors", [])]


def import_file(amount: Decimal, tmp_path: Path) -> list[str]:
    path = write_csv(tmp_path / f"{amount}.csv", [commitment(amount_usd=str(amount))])
    try:
        import_commitments(path, dry_run=True)
    except ImportRejected as rejected:
        return [p.reason for p in rejected.problems]
    return []


def admin(amount: Decimal) -> list[str]:
    form_class = modelform_factory(
        Commitment, form=CommitmentForm, fields=("amount", "currency", "qualifier", "announced_on")
    )
    # The edit service behind the form asks who edits: the admin gives it the signed-in staff.
    form_class.editor = get_user_model().objects.get_or_create(username="staff", is_staff=True)[0]
    form = form_class(
        data={"amount": str(amount), "currency": "USD", "qualifier": "exact", "announced_on": DAY}
    )
    form.is_valid()
    return list(form.errors.get("amount", []))


def test_every_door_has_the_same_limit_and_words(tmp_path):
    doors = {
        "proposal form": proposal_form,
        "API": api,
        "import": lambda amount: import_file(amount, tmp_path),
        "admin": admin,
    }
    message = limits.too_large_message()
    assert "1,000,000,000,000" in message
    for name, door in doors.items():
        assert door(LIMIT) == [], name
        assert door(OVER) == [message], name
