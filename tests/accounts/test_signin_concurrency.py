"""Concurrent sign-in attempts: the attempt's slot is taken before the password is checked,
atomically in the database, so N parallel guesses get at most the limit's number of password
checks, on SQLite and on PostgreSQL.

Each attempt runs in its own thread with its own database connection, through the real sign-in
page; the password checks are counted by a real hasher (tests/accounts/hashers.py). The
assertions are bounds that must hold whatever the threads' timing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client, override_settings

from adelante.accounts.models import AttemptCounter
from tests.accounts.hashers import DOTTED, CountingPasswordHasher

pytestmark = pytest.mark.django_db(transaction=True)
SIGN_IN = "/en/accounts/sign-in/"
PASSWORD = "the right one 2026"
PARALLEL = 20


def _parallel(attempt: Callable[[int], int]) -> list[int]:
    """Run `attempt(n)` for n in 0..PARALLEL-1 at once, each thread with its own connection;
    the statuses, or the first error raised."""
    start = threading.Barrier(PARALLEL)
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            start.wait(timeout=30)
            status = attempt(n)
            with lock:
                statuses.append(status)
        except BaseException as exc:  # reported below, with the test's failure
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    assert len(statuses) == PARALLEL
    return statuses


def _sign_in(username: str, password: str, address: str) -> int:
    response = Client().post(
        SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


@pytest.fixture
def counted() -> type[CountingPasswordHasher]:
    with override_settings(PASSWORD_HASHERS=[DOTTED]):
        User.objects.create_user("target", password=PASSWORD)
        CountingPasswordHasher.reset()
        yield CountingPasswordHasher


@override_settings(
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS=5, ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT=50
)
def test_parallel_guesses_from_one_address_get_at_most_the_limit(counted) -> None:
    statuses = _parallel(lambda n: _sign_in("target", f"guess {n}", "203.0.113.9"))
    assert counted.checks <= 5
    # Every slot taken was used for a check: exactly the limit, and the rest were refused.
    assert counted.checks == 5
    assert sorted(statuses) == [200] * 5 + [429] * 15
    # Still paused, even with the right password, and without a check.
    assert _sign_in("target", PASSWORD, "203.0.113.9") == 429
    assert counted.checks == 5


@override_settings(
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS=5, ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT=4
)
def test_parallel_guesses_from_many_addresses_get_at_most_the_account_limit(counted) -> None:
    statuses = _parallel(lambda n: _sign_in("target", f"guess {n}", f"198.51.100.{n + 1}"))
    assert counted.checks <= 4
    assert counted.checks == 4
    assert sorted(statuses) == [200] * 4 + [429] * 16
    # The slots that were refused were given back: each address holds at most its one failure.
    pairs = AttemptCounter.objects.filter(kind="signin-account-address")
    assert sum(pairs.values_list("count", flat=True)) == 4
