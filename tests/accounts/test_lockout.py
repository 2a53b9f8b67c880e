"""The limits on failed sign-ins: per account and address, per account, and the slowdown of
an address that fails across accounts (never a lockout of the accounts it did not attack);
never a 500."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from tests.accounts.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db
SIGN_IN = "/en/accounts/sign-in/"


def _try(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


@override_settings(ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT=3, ADELANTE_SIGNIN_LOCKOUT_SECONDS=600)
def test_an_account_is_paused_after_n_failures_from_anywhere_even_with_the_right_password(
    client, cast: Cast
) -> None:
    for n in range(3):
        response = _try(client, "member", "wrong", address=f"10.0.0.{n}")
        assert response.status_code == 200
    refused = _try(client, "member", PASSWORD, address="10.9.9.9")
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Too many failed sign-ins" in text and "10 minutes" in text
    assert "_auth_user_id" not in client.session
    # Other accounts are not affected.
    assert _try(client, "reviewer", PASSWORD).status_code == 302


@override_settings(
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS=3, ADELANTE_SIGNIN_LOCKOUT_SECONDS=600
)
def test_the_pause_ends_after_the_window(client, cast: Cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _n in range(3):
            _try(client, "member", "wrong")
        assert _try(client, "member", PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(seconds=601), tick=False):
        assert _try(client, "member", PASSWORD).status_code == 302


@override_settings(
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS=3, ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT=50
)
def test_one_address_is_paused_on_the_account_it_attacked_only(client, cast: Cast) -> None:
    for _n in range(3):
        assert _try(client, "member", "wrong", address="192.0.2.7").status_code == 200
    assert _try(client, "member", PASSWORD, address="192.0.2.7").status_code == 429
    # The account itself is not paused for its owner elsewhere.
    assert _try(client, "member", PASSWORD, address="192.0.2.8").status_code == 302


@override_settings(
    ADELANTE_SIGNIN_FAILURES_PER_ADDRESS=4,
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS=5,
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT=50,
)
def test_behind_a_nat_other_accounts_still_sign_in(client, cast: Cast) -> None:
    """Many failures from one address (a NAT, a proxy) never shut it out of other accounts."""
    shared = "192.0.2.7"
    for n in range(25):
        _try(client, "member", f"guess {n}", address=shared)
    for name in ("a", "b", "c", "d", "e"):
        _try(client, name, "wrong", address=shared)
    assert _try(client, "member", PASSWORD, address=shared).status_code == 429
    # Another account behind the same address, with its right password: signed in.
    signed = _try(client, "sadmin", PASSWORD, address=shared)
    assert signed.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.secretariat_admin.pk)


@override_settings(
    ADELANTE_SIGNIN_FAILURES_PER_ADDRESS=4,
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS=5,
    ADELANTE_SIGNIN_SLOWDOWN_SECONDS=30,
)
def test_a_noisy_address_is_slowed_down_on_the_accounts_it_failed_on(client, cast: Cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for name in ("a", "b", "c"):
            _try(client, name, "wrong", address="192.0.2.7")
        # The address's fourth failure, on the member's account: now it is noisy.
        assert _try(client, "member", "wrong", address="192.0.2.7").status_code == 200
        slowed = _try(client, "member", PASSWORD, address="192.0.2.7")
        assert slowed.status_code == 429
        assert "try again in 30 seconds" in slowed.content.decode()
        # An account it has not failed on: no wait.
        assert _try(client, "reviewer", PASSWORD, address="192.0.2.7").status_code == 302
    with time_machine.travel(start + datetime.timedelta(seconds=31), tick=False):
        assert _try(client, "member", PASSWORD, address="192.0.2.7").status_code == 302


def test_many_failures_never_answer_500(client, cast: Cast) -> None:
    statuses = {_try(client, "member", f"guess{n}").status_code for n in range(12)}
    assert statuses <= {200, 429}
    assert 429 in statuses
    odd = client.post(SIGN_IN, {"username": "x" * 5000, "password": ""})
    assert odd.status_code in (200, 429)


@override_settings(
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT=3, ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS=3
)
def test_a_success_clears_the_account_failures(client, cast: Cast) -> None:
    _try(client, "member", "wrong")
    _try(client, "member", "wrong")
    assert _try(client, "member", PASSWORD).status_code == 302
    client.post("/en/accounts/sign-out/")
    _try(client, "member", "wrong")
    _try(client, "member", "wrong")
    assert _try(client, "member", PASSWORD).status_code == 302


@override_settings(
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT=50, ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS=2
)
def test_the_owner_signing_in_does_not_unpause_a_guesser(client, cast: Cast) -> None:
    for _n in range(2):
        _try(client, "member", "wrong", address="198.51.100.66")
    assert _try(client, "member", PASSWORD, address="10.0.0.1").status_code == 302
    client.post("/en/accounts/sign-out/")
    assert _try(client, "member", "another guess", address="198.51.100.66").status_code == 429
