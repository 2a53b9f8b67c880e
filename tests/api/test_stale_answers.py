"""Nobody waits for a recomputed API answer (issue 11): after a change, an anonymous read gets
the answer for the record's state before, marked ``X-Adelante-Updating: 1``, while one
background task computes the new one (adelante/api/refresh.py, docs/api.md "Caching")."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from adelante.partners.models import Partner
from tests import builders
from tests.api.conftest import member_of, token_client
from tests.exchange.workers import queued, work
from tests.second_initiative import SLUG, primary_record, second_initiative, second_record

pytestmark = pytest.mark.django_db

URL = "/api/v1/commitments?page_size=1"
UPDATING = "X-Adelante-Updating"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def stale_answers():
    with override_settings(PORTAL_STALE_MINUTES=10):
        yield


@pytest.fixture
def commitments():
    builders.commitment("Cached Co", "1", datetime.date(2024, 1, 1))
    builders.commitment("Other Co", "2", datetime.date(2024, 2, 1))


def write():
    builders.commitment("Newer Co", "3", datetime.date(2024, 3, 1))


def uncached(client, url, **headers):
    with override_settings(API_RESPONSE_CACHE=False):
        return client.get(url, **headers)


def test_after_a_write_the_previous_answer_is_given_and_computed_afresh_once(client, commitments):
    before = client.get(URL)
    assert before.status_code == 200 and UPDATING not in before
    write()

    stale = [client.get(URL) for _ in range(3)]
    for answer in stale:
        assert answer.status_code == 200 and answer[UPDATING] == "1"
        assert answer.content == before.content and answer.json()["count"] == 2
        assert answer["ETag"] == before["ETag"]  # its own validators
        assert answer["Last-Modified"] == before["Last-Modified"]
    assert queued() == 1  # three readers, one task

    assert work() == 1
    fresh = client.get(URL)
    assert fresh.status_code == 200 and UPDATING not in fresh
    assert fresh.json()["count"] == 3 and fresh["ETag"] != before["ETag"]
    assert fresh.content == uncached(client, URL).content
    assert queued() == 0
    # Stored under the new state: a matching If-None-Match is a 304 at once.
    assert client.get(URL, HTTP_IF_NONE_MATCH=fresh["ETag"]).status_code == 304


def test_the_previous_etag_is_answered_304_while_updating(client, commitments):
    before = client.get(URL)
    write()
    kept = client.get(URL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert kept.status_code == 304 and kept.content == b""
    assert kept["ETag"] == before["ETag"] and kept[UPDATING] == "1"
    assert queued() == 1
    work()
    changed = client.get(URL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != before["ETag"]
    assert UPDATING not in changed


def test_a_cold_read_is_computed_in_the_request(client, commitments):
    first = client.get(URL)
    assert first.status_code == 200 and UPDATING not in first and first.json()["count"] == 2
    assert queued() == 0
    other = client.get("/api/v1/commitments?page_size=2")  # another URL: cold too
    assert UPDATING not in other and queued() == 0


def test_with_the_immediate_backend_the_reader_gets_the_new_answer(client, commitments):
    before = client.get(URL)
    write()
    with override_settings(TASKS=IMMEDIATE):
        answer = client.get(URL)
    assert UPDATING not in answer and answer.json()["count"] == 3
    assert answer["ETag"] != before["ETag"]
    assert answer.content == uncached(client, URL).content


def test_token_reads_are_never_given_a_previous_answer(client, commitments):
    client.get(URL)
    write()
    reader = token_client(member_of(Partner.objects.get(name="Cached Co")))
    answer = reader.get(URL)
    assert UPDATING not in answer and answer.json()["count"] == 3
    assert answer["Cache-Control"] == "private, no-cache"
    assert queued() == 0


def test_an_answer_too_old_is_not_given(client, commitments):
    client.get(URL)
    write()
    later = timezone.now() + datetime.timedelta(minutes=11)  # the bound is 10
    with time_machine.travel(later, tick=False):
        answer = client.get(URL)
    assert UPDATING not in answer and answer.json()["count"] == 3
    assert queued() == 0


def test_without_stale_answers_the_new_one_is_computed_at_once(client, commitments):
    client.get(URL)
    write()
    with override_settings(PORTAL_STALE_MINUTES=0):
        answer = client.get(URL)
    assert UPDATING not in answer and answer.json()["count"] == 3
    assert queued() == 0


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_task_computes_the_answer_a_reader_of_that_initiative_and_language_gets(
    client, language
):
    primary_record()
    second_record(second_initiative())
    url = f"/api/v1/commitments?initiative={SLUG}&page_size=1"
    before = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    builders.commitment("Newer Co", "9", datetime.date(2024, 3, 1))  # in the primary one
    stale = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert stale[UPDATING] == "1" and stale.content == before.content
    assert queued() == 1
    assert work() == 1
    fresh = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert UPDATING not in fresh and fresh["ETag"] != before["ETag"]
    expected = uncached(client, url, HTTP_ACCEPT_LANGUAGE=language)
    assert fresh.content == expected.content
    assert fresh["Content-Language"] == expected["Content-Language"] == language
    assert {c["initiative"] for c in fresh.json()["results"]} == {SLUG}
    assert fresh.json()["next"] == expected.json()["next"]  # the same host and scheme
