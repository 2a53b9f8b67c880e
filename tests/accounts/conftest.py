"""People in every role, for the accounts tests (real rows, no mocks)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from adelante.accounts import grants
from adelante.partners.models import Partner
from tests import builders

PASSWORD = "correct horse battery staple 42"


@dataclass
class Cast:
    partner: Partner
    other_partner: Partner
    member: User
    partner_admin: User
    other_member: User
    reviewer: User
    secretariat_admin: User
    government: User


def make_user(username: str, *roles: str, partner: Partner | None = None) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.org", password=PASSWORD)
    for role in roles:
        grants.grant(user, role, partner_slug=partner.slug if partner else None)
    return user


@pytest.fixture
def cast(db: None) -> Cast:
    cache.clear()
    acme = builders.partner("Acme Foods")
    other = builders.partner("Other Org")
    return Cast(
        partner=acme,
        other_partner=other,
        member=make_user("member", "partner-member", partner=acme),
        partner_admin=make_user("padmin", "partner-admin", partner=acme),
        other_member=make_user("othermember", "partner-member", partner=other),
        reviewer=make_user("reviewer", "secretariat-reviewer"),
        secretariat_admin=make_user("sadmin", "secretariat-admin"),
        government=make_user("gov", "government-viewer"),
    )
