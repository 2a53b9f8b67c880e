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
