"""One rule for a commitment's own values, whichever door they come through: the partner's
proposal (`workflow.intake`, the web form and the API) and the admin's form refuse the same
values with the same reason (the staff spreadsheet: tests/exchange)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from adelante.commitments import rules
from adelante.workflow import intake
from tests.commitments.test_admin import ADD, add_form, url
from tests.workflow.conftest import good_input

pytestmark = pytest.mark.django_db

TOO_MUCH = rules.MAX_AMOUNT + Decimal("0.01")


@pytest.mark.parametrize(
    ("amount", "qualifier", "required", "refused"),
    [
        (Decimal("1"), "exact", True, False),
        (rules.MAX_AMOUNT, "at_least", True, False),
        (None, "undisclosed", True, False),
        (None, "exact", False, False),  # a draft may leave it for later
        (Decimal("0"), "exact", True, True),
        (Decimal("-5"), "exact", True, True),
        (TOO_MUCH, "about", True, True),
        (Decimal("10"), "undisclosed", True, True),
        (None, "exact", True, True),
    ],
)
def test_the_amount_rule(
    amount: Decimal | None, qualifier: str, required: bool, refused: bool
) -> None:
    assert (rules.amount_problem(amount, qualifier, required=required) is not None) is refused


def test_the_period_and_shares_rules() -> None:
    day = datetime.date(2024, 1, 1)
    assert rules.period_problem(day, day - datetime.timedelta(days=1))
    assert rules.period_problem(day, day) is None
    assert rules.period_problem(None, day) is None
    assert rules.shares_problem({"GT": Decimal("60"), "HN": Decimal("40")}) is None
    assert rules.shares_problem({"GT": None, "HN": None}) is None
    assert rules.shares_problem({"GT": Decimal("60"), "HN": None})
    assert "90" in (rules.shares_problem({"GT": Decimal("60"), "HN": Decimal("30")}) or "")


BAD = [
    ({"amount": Decimal("0")}, "amount"),
    ({"amount": Decimal("-5")}, "amount"),
    ({"amount": TOO_MUCH}, "amount"),
    ({"amount": Decimal("10"), "qualifier": "undisclosed"}, "amount"),
    ({"amount": None, "qualifier": "exact"}, "amount"),
    ({"starts_on": datetime.date(2024, 1, 1), "ends_on": datetime.date(2023, 1, 1)}, "ends_on"),
]


def _admin_values(changes: dict[str, Any]) -> dict[str, str]:
    return {name: "" if value is None else str(value) for name, value in changes.items()}


@pytest.mark.parametrize(("changes", "field"), BAD)
def test_the_proposal_and_the_admin_refuse_alike(
    admin_client: Client, changes: dict[str, Any], field: str
) -> None:
    proposal = intake.problems(good_input(**changes), complete=True)
    posted = {"amount": "1000", "currency": "USD", **_admin_values(changes)}
    response = admin_client.post(url(ADD), add_form(admin_client, **posted))
    assert response.status_code == 200  # re-shown, not saved
    admin_errors = response.context["adminform"].form.errors
    assert proposal[field] == admin_errors[field]
