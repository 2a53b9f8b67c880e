"""E-mail settings from the environment: console by default, SMTP by configuration."""

from __future__ import annotations

import pytest

from adelante.accounts.mailconfig import CONSOLE, LOCMEM, SMTP, email_settings


def test_console_by_default() -> None:
    assert email_settings({})["EMAIL_BACKEND"] == CONSOLE


def test_email_url() -> None:
    found = email_settings({"EMAIL_URL": "smtp://me%40x.org:p%3Ass@mail.example:2525"})
    assert found["EMAIL_BACKEND"] == SMTP
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("mail.example", 2525)
    assert (found["EMAIL_HOST_USER"], found["EMAIL_HOST_PASSWORD"]) == ("me@x.org", "p:ss")
    assert found["EMAIL_USE_TLS"] and not found["EMAIL_USE_SSL"]
    tls = email_settings({"EMAIL_URL": "smtps://mail.example"})
    assert tls["EMAIL_PORT"] == 465 and tls["EMAIL_USE_SSL"] and not tls["EMAIL_USE_TLS"]
    assert email_settings({"EMAIL_URL": "locmem:"})["EMAIL_BACKEND"] == LOCMEM
    with pytest.raises(ValueError, match="unknown scheme"):
        email_settings({"EMAIL_URL": "ftp://x"})


def test_django_variables() -> None:
    found = email_settings(
        {"EMAIL_HOST": "smtp.example", "EMAIL_PORT": "25", "DEFAULT_FROM_EMAIL": "a@b.org"}
    )
    assert found["EMAIL_BACKEND"] == SMTP and found["EMAIL_PORT"] == 25
    assert found["DEFAULT_FROM_EMAIL"] == "a@b.org"
