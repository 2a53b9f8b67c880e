"""Nobody waits for a cold page (issue 11): after a change, anonymous readers get the page as
rendered before it, marked "updating", while one background task renders it afresh."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adelante.commitments.geography import set_countries
from adelante.figures.committed import committed
from tests.exchange.workers import queued, work
from tests.portal.conftest import figure, number_in

pytestmark = pytest.mark.django_db

UPDATING = "updating"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def stale_pages():
    caches["default"].clear()
    with override_settings(PORTAL_STALE_MINUTES=10):
        yield
    caches["default"].clear()


def change(record):
    record.alpha.amount_usd = record.alpha.amount = Decimal("310000000")
    record.alpha.save()
    set_countries(record.alpha, {"GT": Decimal(60), "SV": Decimal(40)})


def committed_on(page: str) -> Decimal:
    return number_in(figure(page, "committed"))


def test_after_a_change_the_previous_page_is_served_and_refreshed_once(client, record):
    first = client.get("/en/").content.decode()
    assert UPDATING not in first
    before = committed_on(first)
    change(record)
    now = committed(timezone.localdate()).amount_usd
    assert now != before

    stale = [client.get("/en/").content.decode() for _ in range(2)]
    for page in stale:
        assert "Figures as recorded at" in page and UPDATING in page
        assert committed_on(page) == before  # the state it says it shows
    assert queued() == 1  # two readers, one task

    assert work() == 1
    fresh = client.get("/en/").content.decode()
    assert UPDATING not in fresh
    assert committed_on(fresh) == now
    assert queued() == 0


def test_the_banner_is_in_the_readers_language(client, record):
    client.get("/es/")
    change(record)
    page = client.get("/es/").content.decode()
    assert "Cifras registradas a las" in page and "actualizando" in page


def test_with_the_immediate_backend_the_reader_gets_the_fresh_page(client, record):
    before = committed_on(client.get("/en/").content.decode())
    change(record)
    with override_settings(TASKS=IMMEDIATE):
        page = client.get("/en/").content.decode()
    assert UPDATING not in page
    assert committed_on(page) == committed(timezone.localdate()).amount_usd != before


def test_signed_in_readers_never_get_a_stale_page(client, record, django_user_model):
    client.get("/en/")
    change(record)
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    client.force_login(staff)
    page = client.get("/en/").content.decode()
    assert UPDATING not in page
    assert committed_on(page) == committed(timezone.localdate()).amount_usd
    assert queued() == 0


def test_a_rendering_too_old_is_not_served_stale(client, record):
    client.get("/en/")
    change(record)
    later = timezone.now() + datetime.timedelta(minutes=11)  # the bound is 10
    with time_machine.travel(later, tick=False):
        page = client.get("/en/").content.decode()
    assert UPDATING not in page
    assert committed_on(page) == committed(timezone.localdate()).amount_usd


def test_a_first_visit_is_computed_as_before(client, record):
    page = client.get("/en/rounds/").content.decode()
    assert UPDATING not in page
    assert queued() == 0


def test_a_matching_conditional_get_is_answered_without_rendering(client, record):
    first = client.get("/en/")
    etag = first["ETag"]
    assert etag and first["Last-Modified"]
    with CaptureQueriesContext(connection) as reads:
        again = client.get("/en/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert len(reads.captured_queries) <= 1  # the record's stamp, no figure
    assert client.get("/es/", HTTP_IF_NONE_MATCH=etag).status_code == 200  # another page
    record.beta.summary = "Changed"
    record.beta.save()
    with override_settings(PORTAL_STALE_MINUTES=0):
        changed = client.get("/en/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_stale_page_has_no_validators(client, record):
    client.get("/en/")
    change(record)
    stale = client.get("/en/")
    assert UPDATING in stale.content.decode()
    assert not stale.has_header("ETag") and "no-cache" in stale["Cache-Control"]


#: The banner of a page served "updating" (portal/caching.py), taken out to compare the rest.
BANNER = re.compile(r'<p class="notice updating" role="status">[^<]*</p>')


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cents=st.integers(min_value=1, max_value=10**15),
    url=st.sampled_from(
        ["/en/", "/es/commitments/?country=hn", "/en/rounds/", "/es/countries/hn/"]
    ),
)
def test_a_change_to_a_confidential_amount_shows_nowhere(client, record, cents, url):
    # DOMAIN rule 7 through stale pages, whatever the new amount and the page: the page served
    # "updating" after only a confidential amount changed is the page as it was (its banner
    # aside), and so is the page the worker renders afresh.
    # The page as it is now (rendered afresh if an earlier example's change left it stale).
    client.get(url)
    work()
    first = client.get(url).content.decode()
    assert not BANNER.search(first)
    record.secret.amount_usd = record.secret.amount = Decimal(cents).scaleb(-2)
    record.secret.save()
    stale = client.get(url).content.decode()
    assert BANNER.search(stale)
    assert BANNER.sub("", stale) == first
    assert work() == 1
    assert client.get(url).content.decode() == first


@pytest.mark.parametrize("url", ["/en/", "/es/commitments/?country=gt&kind=capital_investment"])
def test_the_worker_renders_what_a_reader_would_get(client, record, url):
    client.get(url)
    change(record)
    assert UPDATING in client.get(url).content.decode()
    assert work() == 1
    refreshed = client.get(url).content.decode()
    with override_settings(PORTAL_PAGE_CACHE=False):
        computed = client.get(url).content.decode()
    assert refreshed == computed


@pytest.mark.parametrize(("zone", "shown"), [("UTC", "14:02"), ("America/Guatemala", "08:02")])
def test_the_banner_says_when_the_page_was_rendered(client, record, zone, shown):
    rendered = datetime.datetime(2031, 3, 4, 14, 2, 5, tzinfo=datetime.UTC)
    with override_settings(TIME_ZONE=zone), time_machine.travel(rendered, tick=False):
        client.get("/es/")
        change(record)
        page = client.get("/es/").content.decode()
    assert f"Cifras registradas a las {shown}, actualizando" in page
