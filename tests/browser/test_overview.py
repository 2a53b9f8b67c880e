"""The overview in a real browser, in both languages."""

import pytest

from tests.browser.conftest import check_page
from tests.snapshots import load_real_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def real_record():
    load_real_record()


@pytest.mark.parametrize("language", ["en", "es"])
def test_overview_loads_cleanly(page, live_server, real_record, language):
    check_page(page, f"{live_server.url}/{language}/", f"overview-{language}")
    assert page.locator("html").get_attribute("lang") == language
    figure = page.locator("[data-figure=committed]").inner_text()
    assert "3,641,600,000" in figure  # Spanish as in the region (CLDR es_419)


def test_language_switch_keeps_the_page(page, live_server, real_record):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Español").click()
    page.wait_for_url(f"{live_server.url}/es/")
    assert page.locator("html").get_attribute("lang") == "es"


def test_keyboard_reaches_the_skip_link_first(page, live_server, real_record):
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
