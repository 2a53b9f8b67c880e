"""Anonymous reads come from the record-state cache; a matching If-None-Match is answered 304
before any endpoint runs (issue 11, "Nobody waits for a cold page")."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from adelante.partners.models import Partner
from tests import builders
from tests.api.conftest import member_of, token_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/commitments?page_size=1"
#: Headers that differ between any two requests, cached or not.
PER_REQUEST = {"RateLimit-Remaining", "RateLimit-Reset", "X-Request-ID"}


@pytest.fixture
def commitments():
    builders.commitment("Cached Co", "1", datetime.date(2024, 1, 1))
    builders.commitment("Other Co", "2", datetime.date(2024, 2, 1))


def headers(response):
    return {k: v for k, v in response.items() if k not in PER_REQUEST}


def test_a_cached_read_is_identical_to_an_uncached_one(client, commitments):
    with override_settings(API_RESPONSE_CACHE=False):
        uncached = client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    first = client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    with CaptureQueriesContext(connection) as reads:
        again = client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    assert len(reads.captured_queries) <= 1  # the stamp only: no endpoint ran
    assert uncached.status_code == first.status_code == again.status_code == 200
    assert uncached.json()["next"] and uncached.json()["count"] == 2
    assert first.content == again.content == uncached.content
    assert headers(first) == headers(again)
    assert set(headers(uncached)) == set(headers(first))  # the same headers; the ETag names
    assert uncached["ETag"] != first["ETag"]  # the content there, the record's state here
    for name in ("Vary", "Cache-Control", "Last-Modified", "Content-Type", "Content-Language"):
        assert uncached.get(name) == first.get(name), name


def test_languages_are_kept_apart(client, commitments):
    english = client.get("/api/v1/commitments?page=9", HTTP_ACCEPT_LANGUAGE="en")
    spanish = client.get("/api/v1/commitments?page=9", HTTP_ACCEPT_LANGUAGE="es")
    assert english.status_code == spanish.status_code == 404  # problems are never kept
    assert english.json()["detail"] != spanish.json()["detail"]
    ok_en = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    ok_es = client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    assert ok_en["ETag"] != ok_es["ETag"] and ok_en["Content-Language"] != ok_es["Content-Language"]


@pytest.mark.parametrize("kept", [True, False])
def test_a_matching_if_none_match_computes_nothing(client, commitments, kept):
    etag = client.get(URL)["ETag"]
    if not kept:
        cache.clear()  # evicted: the ETag still names the record's state
    with CaptureQueriesContext(connection) as reads:
        answer = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 304 and answer.content == b""
    assert answer["ETag"] == etag and answer["RateLimit-Limit"]
    assert len(reads.captured_queries) <= 1  # the stamp, no figure nor row
    builders.commitment("Newer Co", "3", datetime.date(2024, 3, 1))
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_token_reads_are_never_kept(commitments):
    partner = Partner.objects.get(name="Cached Co")
    reader = token_client(member_of(partner))
    with CaptureQueriesContext(connection) as first:
        reader.get(URL)
    with CaptureQueriesContext(connection) as second:
        answer = reader.get(URL)
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-cache"
    assert len(second.captured_queries) >= len(first.captured_queries) - 2 > 1


def test_after_a_change_the_previous_answer_is_given_while_a_worker_computes_the_new_one(
    client, commitments
):
    """After a change, readers get the answer for the state before, with its own validators,
    while a background task computes the new one, rather than compute it on the readers' CPUs
    (docs/api.md; tests/api/test_stale_answers.py for the rest)."""
    from tests.exchange.workers import queued, work

    before = client.get(URL)
    builders.commitment("Newer Co", "3", datetime.date(2024, 3, 1))
    with override_settings(PORTAL_STALE_MINUTES=10):
        meanwhile = client.get(URL)
        conditional = client.get(URL, HTTP_IF_NONE_MATCH=before["ETag"])
        assert meanwhile.status_code == 200 and meanwhile.json()["count"] == 2
        assert meanwhile.content == before.content and meanwhile["ETag"] == before["ETag"]
        assert meanwhile["X-Adelante-Updating"] == "1"
        assert conditional.status_code == 304
        assert queued() == 1
        # Never older than PORTAL_STALE_MINUTES: with 0, the answer is computed here.
        with override_settings(PORTAL_STALE_MINUTES=0):
            fresh = client.get(URL)
        assert fresh.json()["count"] == 3 and fresh["ETag"] != before["ETag"]
        # Once stored, every reader gets the new answer (the task finds it computed).
        assert client.get(URL).content == fresh.content
        assert work() == 1
        assert client.get(URL).content == fresh.content
