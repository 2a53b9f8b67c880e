"""Every page type of the portal in a real browser, in both languages: no console error, no
failed request, no axe-core violation, readable at 375 px; and the controls work by clicking."""

from __future__ import annotations

import pytest

from adelante.commitments.models import Commitment, Round
from adelante.partners.models import Partner
from tests.browser.conftest import check_page
from tests.snapshots import load_real_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = [
    "commitments/",
    "commitments/?country=HN&sort=-amount_usd",
    "commitment",
    "partners/",
    "partner",
    "rounds/",
    "round",
    "countries/",
    "countries/gt/",
    "countries/hn/?as_of=2022-06-07",
    "methodology/",
    "downloads/",
    "join/",
]


@pytest.fixture
def real_record():
    load_real_record()


def path_of(page_type: str) -> str:
    if page_type == "commitment":
        return f"commitments/{Commitment.objects.order_by('reference').first().reference}/"
    if page_type == "partner":
        return f"partners/{Partner.objects.get(name='Millicom').slug}/"
    if page_type == "round":
        return f"rounds/{Round.objects.order_by('announced_on').last().slug}/"
    return page_type


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("page_type", PAGES)
def test_page_loads_cleanly(page, live_server, real_record, page_type, language):
    url = f"{live_server.url}/{language}/{path_of(page_type)}"
    check_page(page, url, f"{language}-{page_type}")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1


def test_filters_search_sort_and_language_switch_by_clicking(page, live_server, real_record):
    page.goto(f"{live_server.url}/en/commitments/")
    page.get_by_label("Country").select_option(label="El Salvador")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**country=sv**")
    rows = page.locator("table.commitments tbody tr")
    filtered = rows.count()
    assert 0 < filtered < 41
    page.get_by_label("Search partner, title and summary").fill("Millicom")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**q=Millicom**")
    assert page.locator("table.commitments tbody tr").count() == 2
    page.get_by_role("link", name="Español").click()
    page.wait_for_url("**/es/commitments/**q=Millicom**")
    assert "country=sv" in page.url
    assert page.locator("table.commitments tbody tr").count() == 2


def test_the_date_control_shows_a_past_view(page, live_server, real_record):
    page.goto(f"{live_server.url}/en/")
    now = page.locator("[data-figure=committed]").first.inner_text()
    page.locator("input[type=date]").first.fill("2022-06-07")
    page.get_by_role("button", name="Show").first.click()
    page.wait_for_url("**as_of=2022-06-07**")
    past = page.locator("[data-figure=committed]").first.inner_text()
    assert past != now
    assert "2,706,600,000" in page.content()
