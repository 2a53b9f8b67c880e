"""Signing in and out; where a sign-in leads; Argon2 hashing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings

import adelante.settings as production
from tests.accounts.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db


def test_sign_in_then_home_then_sign_out(client, cast: Cast) -> None:
    page = client.get("/en/accounts/sign-in/")
    assert page.status_code == 200
    assert "Forgot your password?" in page.content.decode()
    response = client.post("/en/accounts/sign-in/", {"username": "member", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/work/"
    home = client.get("/en/accounts/").content.decode()
    assert "Partner member of Acme Foods" in home
    assert client.get("/en/accounts/sign-out/").status_code == 405  # sign-out is a POST
    assert client.post("/en/accounts/sign-out/").status_code == 302
    assert client.get("/en/accounts/").status_code == 302


def test_next_is_followed_only_within_the_site(client, cast: Cast) -> None:
    data = {"username": "reviewer", "password": PASSWORD, "next": "/en/secretariat/audit/"}
    assert client.post("/en/accounts/sign-in/", data)["Location"] == "/en/secretariat/audit/"
    client.post("/en/accounts/sign-out/")
    data["next"] = "https://evil.example/"
    assert client.post("/en/accounts/sign-in/", data)["Location"] == "/en/accounts/work/"


def test_wrong_password_is_refused_with_the_form_again(client, cast: Cast) -> None:
    response = client.post("/en/accounts/sign-in/", {"username": "member", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_anonymous_visitors_of_protected_pages_go_to_our_sign_in(client, db) -> None:
    response = client.get("/en/secretariat/audit/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/sign-in/?next=/en/secretariat/audit/"


def test_the_admin_login_is_ours(client, cast: Cast) -> None:
    response = client.get("/en/admin/login/?next=/en/admin/")
    assert response["Location"] == "/en/accounts/sign-in/?next=%2Fen%2Fadmin%2F"
    client.post("/en/accounts/sign-in/", {"username": "sadmin", "password": PASSWORD})
    assert client.get("/en/admin/").status_code == 200


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    # The test settings hash fast on purpose; the production hasher really works here.
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        encoded = make_password("a pass phrase")
        assert encoded.startswith("argon2$")
        assert check_password("a pass phrase", encoded)
    assert settings.LOGIN_URL == "accounts:sign_in"


def test_spanish_pages(client, db) -> None:
    assert client.get("/es/accounts/sign-in/").status_code == 200
