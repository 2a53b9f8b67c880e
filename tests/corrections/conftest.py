"""A small public record and a reviewer, for the corrections tests (real rows, no mocks)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from adelante.commitments.choices import Status
from adelante.commitments.models import Commitment, OfficialStatement
from adelante.corrections import subjects, suggesting
from adelante.corrections.models import Correction, Subject
from tests import builders
from tests.accounts.conftest import make_user

DAY = datetime.date(2023, 2, 6)
EMAIL = "suggester-7f3a@private.example"


@dataclass
class World:
    commitment: Commitment
    statement: OfficialStatement
    reviewer: User


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def make_world() -> World:
    """A commitment, an official statement and a reviewer (the database must be open)."""
    cache.clear()
    commitment = builders.commitment("Acme Foods", "1000000", DAY, status=Status.ANNOUNCED)
    statement = OfficialStatement.objects.create(
        stated_on=DAY,
        metric="private sector commitments",
        value=Decimal("4200000000"),
        unit="USD",
        qualifier="at_least",
        figure="committed_usd",
        source_url="https://www.whitehouse.gov/example",
    )
    return World(commitment, statement, make_user("reviewer", "secretariat-reviewer"))


def suggest(
    subject: str, key: str, said: str = "The amount is 2,000,000.", **data: str
) -> Correction:
    """A suggestion kept through the service (not yet confirmed)."""
    target = subjects.find(subject, key)
    values = {"said": said, "email": EMAIL, **data}
    return suggesting.do_suggest(target, values, language=data.pop("language", "en"))


def confirmed(subject: str = Subject.COMMITMENT, key: str = "", **data: str) -> Correction:
    made = suggest(subject, key, **data)
    return suggesting.do_confirm(suggesting.confirmation_token(made))
