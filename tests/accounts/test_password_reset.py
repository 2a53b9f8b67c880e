"""Password reset by e-mail; a used link is refused when replayed."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from tests.accounts.conftest import Cast

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new pass phrase 7"


def _link(mailoutbox) -> str:
    assert len(mailoutbox) == 1
    found = re.search(
        r"https?://[^/]+(/en/accounts/password-reset/[^/]+/[^/\s]+/)", mailoutbox[0].body
    )
    assert found, mailoutbox[0].body
    return found.group(1)


def test_reset_then_replay_is_refused(client, cast: Cast, mailoutbox) -> None:
    response = client.post("/en/accounts/password-reset/", {"email": "member@example.org"})
    assert response["Location"] == "/en/accounts/password-reset/sent/"
    link = _link(mailoutbox)
    assert mailoutbox[0].to == ["member@example.org"]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/en/accounts/password-reset/done/"
    cast.member.refresh_from_db()
    assert cast.member.check_password(NEW_PASSWORD)

    replay = client.get(link, follow=True)
    assert replay.status_code == 200
    assert "This link is not valid" in replay.content.decode()
    again = client.post(
        replay.redirect_chain[-1][0] if replay.redirect_chain else link,
        {"new_password1": "another pass phrase 99", "new_password2": "another pass phrase 99"},
    )
    assert again.status_code == 200
    cast.member.refresh_from_db()
    assert cast.member.check_password(NEW_PASSWORD)


def test_unknown_addresses_get_the_same_answer_and_no_mail(client, db, mailoutbox) -> None:
    response = client.post("/en/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


@override_settings(ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT=2)
def test_a_reset_ends_the_sign_in_pause(client, cast: Cast, mailoutbox) -> None:
    for _n in range(2):
        client.post("/en/accounts/sign-in/", {"username": "member", "password": "wrong"})
    client.post("/en/accounts/password-reset/", {"email": "member@example.org"})
    page = client.get(_link(mailoutbox), follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    signed = client.post("/en/accounts/sign-in/", {"username": "member", "password": NEW_PASSWORD})
    assert signed.status_code == 302


@override_settings(
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS=2, ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT=50
)
def test_a_reset_ends_the_pause_of_the_account_and_address(client, cast: Cast, mailoutbox) -> None:
    for _n in range(2):
        client.post("/en/accounts/sign-in/", {"username": "member", "password": "wrong"})
    client.post("/en/accounts/password-reset/", {"email": "member@example.org"})
    page = client.get(_link(mailoutbox), follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    signed = client.post("/en/accounts/sign-in/", {"username": "member", "password": NEW_PASSWORD})
    assert signed.status_code == 302


def _answer(client, email: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """What a person sees: the status, where it leads, and the page it leads to."""
    response = client.post("/en/accounts/password-reset/", {"email": email}, follow=True)
    first = response.redirect_chain[0] if response.redirect_chain else ("", response.status_code)
    return first[1], first[0], response.content.decode()


def test_resets_are_limited_per_account_with_the_same_answer(
    client, cast: Cast, mailoutbox
) -> None:
    """30 requests for one account send the limit's number of e-mails (3 by default); each
    answer is the same page, for an account that exists and for one that does not."""
    known = [_answer(client, "member@example.org") for _n in range(30)]
    assert len(mailoutbox) == 3
    unknown = [_answer(client, "nobody@example.org") for _n in range(30)]
    assert len(mailoutbox) == 3
    assert set(known) == set(unknown)
    assert len(set(known)) == 1
    status, location, page = known[0]
    assert (status, location) == (302, "/en/accounts/password-reset/sent/")
    assert "If an account has this address" in page


@override_settings(ADELANTE_RESETS_PER_ADDRESS=4, ADELANTE_RESETS_PER_ACCOUNT=3)
def test_resets_are_limited_per_client_address(client, cast: Cast, mailoutbox) -> None:
    for email in ("member@example.org", "padmin@example.org", "reviewer@example.org"):
        for _n in range(2):
            assert _answer(client, email)[:2] == (302, "/en/accounts/password-reset/sent/")
    assert len(mailoutbox) == 4
    # Another client address may still ask.
    client.post(
        "/en/accounts/password-reset/", {"email": "gov@example.org"}, REMOTE_ADDR="192.0.2.44"
    )
    assert len(mailoutbox) == 5
