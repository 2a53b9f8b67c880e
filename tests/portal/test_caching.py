"""Pages are cached while the record is unchanged, and never served stale after a change."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from adelante.commitments.geography import set_countries
from adelante.figures.committed import committed
from adelante.portal.caching import record_stamp
from tests.portal.conftest import figure, number_in

pytestmark = pytest.mark.django_db


def test_the_stamp_changes_with_any_change(record):
    before = record_stamp()
    assert record_stamp() == before
    record.alpha.summary = "Changed"
    record.alpha.save()
    assert record_stamp() != before


def test_a_change_shows_at_once(client, record):
    first = client.get("/en/").content.decode()
    assert client.get("/en/").content.decode() == first  # served again, from the cache
    record.alpha.amount_usd = record.alpha.amount = Decimal("310000000")
    record.alpha.save()
    set_countries(record.alpha, {"GT": Decimal(60), "SV": Decimal(40)})
    page = client.get("/en/").content.decode()
    assert number_in(figure(page, "committed")) == committed(timezone.localdate()).amount_usd
    assert page != first


def test_a_deletion_shows_at_once(client, record):
    client.get(f"/en/commitments/{record.regional.reference}/")
    record.regional.delete()
    assert client.get(f"/en/commitments/{record.regional.reference}/").status_code == 404


def test_errors_are_not_cached_and_the_cache_can_be_turned_off(client, record):
    assert client.get("/en/", {"as_of": "bad"}).status_code == 400
    with override_settings(PORTAL_PAGE_CACHE=False):
        assert client.get("/en/").status_code == 200


def test_figures_are_computed_once_for_both_languages(client, record):
    with CaptureQueriesContext(connection) as english:
        client.get("/en/")
    with CaptureQueriesContext(connection) as spanish:
        client.get("/es/")
    assert len(spanish.captured_queries) < len(english.captured_queries) / 2


def test_a_trusted_stamp_is_forgotten_on_any_save(record):
    from adelante.portal import caching

    with override_settings(PORTAL_STAMP_SECONDS=3600):
        first = caching.trusted_stamp()
        with CaptureQueriesContext(connection) as reads:
            assert caching.trusted_stamp() == first
        assert reads.captured_queries == []  # trusted: no query
        record.beta.summary = "Changed in this process"
        record.beta.save()
        assert caching.trusted_stamp() != first


def test_a_trusted_stamp_is_forgotten_after_an_import_in_bulk(
    record, tmp_path, django_capture_on_commit_callbacks
):
    # An import writes new commitments in bulk (no post_save): once it commits, the stamp is
    # read again, so this process's pages show the new commitments at once.
    from adelante.exchange.commitments_import import import_commitments
    from adelante.portal import caching

    path = tmp_path / "commitments.csv"
    path.write_text(
        "partner,partner_type,announced_on,round,amount_usd,countries,focus,summary,source_url\n"
        "Nueva Empresa,company,2024-05-06,New round,1000000,GT,jobs,Jobs,https://example.org/a\n",
        encoding="utf-8",
    )
    with override_settings(PORTAL_STAMP_SECONDS=3600):
        first = caching.trusted_stamp()
        with django_capture_on_commit_callbacks(execute=True):
            import_commitments(path)
        assert caching.trusted_stamp() != first
