"""Fixtures for the API tests: the real record, clients, users with memberships and tokens."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from adelante.api.tokens import create_token
from adelante.partners.models import Membership, Partner
from tests.accounts.conftest import cast  # noqa: F401 (a fixture of every role, found by name)

LAUNCH = datetime.date(2021, 5, 27)
CAF = datetime.date(2023, 2, 6)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Each test starts with empty rate-limit counters (they live in the cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(db: Any) -> None:
    from tests.snapshots import load_real_record

    load_real_record()


@pytest.fixture
def client() -> Client:
    return Client()


def member_of(partner: Partner, username: str = "partner-user") -> User:
    user = User.objects.create_user(username, password="not-used-here-1")
    Membership.objects.create(user=user, partner=partner)
    return user


def token_client(user: User) -> Client:
    key = create_token(user).key
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def get_json(client: Client, url: str, status: int = 200, **headers: Any) -> Any:
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    return response.json()


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Requests made outside Django's test client (a WSGI call, closing a streamed response)
    must not close the test's database connection, as the test client ensures for its own."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
