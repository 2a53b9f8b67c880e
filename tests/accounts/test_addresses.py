"""The client's address: X-Forwarded-For only from trusted proxies, read from the right."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from adelante.accounts.addresses import client_address
from tests.accounts.conftest import PASSWORD, Cast

PROXY = "10.1.2.3"


def _address(remote: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert _address("203.0.113.5", "198.51.100.1") == "203.0.113.5"


@override_settings(ADELANTE_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_from_an_untrusted_peer_the_header_is_ignored() -> None:
    assert _address("203.0.113.5", "198.51.100.1") == "203.0.113.5"


@override_settings(ADELANTE_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_from_a_trusted_proxy_the_header_names_the_client() -> None:
    assert _address(PROXY, "198.51.100.1") == "198.51.100.1"


@override_settings(ADELANTE_TRUSTED_PROXIES=["10.0.0.0/8", "172.16.0.5"])
def test_spoofed_left_most_entries_are_ignored() -> None:
    # The client sent "X-Forwarded-For: 1.1.1.1, 2.2.2.2"; the proxies appended the client's
    # real address (198.51.100.1) and a second proxy's (172.16.0.5).
    forwarded = "1.1.1.1, 2.2.2.2, 198.51.100.1, 172.16.0.5"
    assert _address(PROXY, forwarded) == "198.51.100.1"


@override_settings(ADELANTE_TRUSTED_PROXIES=["10.0.0.0/8", "2001:db8::/32"])
def test_ports_ipv6_and_odd_entries() -> None:
    assert _address(PROXY, "198.51.100.1:4431") == "198.51.100.1"
    assert _address(PROXY, "[2001:db9::7]:443") == "2001:db9::7"
    assert _address("2001:db8::1", "2001:db9::8") == "2001:db9::8"
    # Nothing but trusted hops: the nearest of them. Garbage: the last known hop.
    assert _address(PROXY, "10.9.9.9") == "10.9.9.9"
    assert _address(PROXY, "bogus, 10.9.9.9") == "10.9.9.9"
    assert _address(PROXY, "") == PROXY
    assert _address(PROXY) == PROXY


def test_without_remote_addr() -> None:
    assert client_address(object()) == "unknown"


@override_settings(ADELANTE_TRUSTED_PROXIES=["not-an-address"])
def test_a_wrong_setting_is_a_clear_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="not-an-address"):
        _address(PROXY, "198.51.100.1")


@pytest.mark.django_db
@override_settings(
    ADELANTE_TRUSTED_PROXIES=["10.0.0.0/8"],
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS=2,
    ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT=50,
)
def test_sign_in_behind_a_trusted_proxy_counts_each_client(client, cast: Cast) -> None:
    def attempt(password: str, forwarded: str):  # type: ignore[no-untyped-def]
        return client.post(
            "/en/accounts/sign-in/",
            {"username": "member", "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _n in range(2):
        attempt("wrong", "198.51.100.66")
    # The guesser is paused, even when it sends another address in front of its own.
    assert attempt(PASSWORD, "198.51.100.66").status_code == 429
    assert attempt(PASSWORD, "192.0.2.1, 198.51.100.66").status_code == 429
    # Another client behind the same proxy is not.
    assert attempt(PASSWORD, "198.51.100.77").status_code == 302


@pytest.mark.django_db
@override_settings(ADELANTE_TRUSTED_PROXIES=["10.0.0.0/8"], API_RATE_LIMIT_ANONYMOUS="2/60")
def test_the_api_rate_limit_counts_each_client_behind_the_proxy(client) -> None:
    cache.clear()

    def read(forwarded: str) -> int:
        response = client.get("/api/v1/metrics", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        return response.status_code

    assert [read("198.51.100.1") for _n in range(3)] == [200, 200, 429]
    assert read("198.51.100.2") == 200
