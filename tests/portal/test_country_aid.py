"""A country page shows official aid (IATI) beside private commitments, labelled as such."""

import pytest
from django.core.management import call_command

from tests.conftest import SHARED

pytestmark = pytest.mark.django_db

SAMPLE = SHARED / "iati" / "samples" / "ustda-honduras.xml"


@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/iati is not beside the checkout")
def test_honduras_page_shows_official_aid_apart(client):
    call_command("import", "iati", str(SAMPLE))
    page = client.get("/en/countries/hn/").content.decode()
    assert "Official development aid (IATI)" in page
    assert "never added up" in page
    assert "Official development aid (IATI)" not in client.get("/en/").content.decode()


@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/iati is not beside the checkout")
def test_an_iati_import_refreshes_cached_country_pages(client, settings):
    from adelante.portal.caching import record_stamp

    before = record_stamp()
    call_command("import", "iati", str(SAMPLE))
    assert record_stamp() != before
