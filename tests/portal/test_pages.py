"""Every page type answers in both languages, with a language switch that keeps the view."""

import re

import pytest

from tests.portal.conftest import SCRIPT

pytestmark = pytest.mark.django_db


def urls(record):
    return [
        "",
        "commitments/",
        "commitments/?country=gt&sort=-amount_usd",
        f"commitments/{record.alpha.reference}/",
        "partners/",
        f"partners/{record.alpha.partner.slug}/",
        "rounds/",
        f"rounds/{record.alpha.round.slug}/",
        "countries/",
        "countries/gt/",
        "countries/sv/",
        "countries/hn/",
        "methodology/",
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_type_in_both_languages(client, record, language):
    for url in urls(record):
        response = client.get(f"/{language}/{url}")
        assert response.status_code == 200, url
        page = response.content.decode()
        assert f'<html lang="{language}">' in page, url
        assert page.count("<h1") == 1, url
        assert 'id="main"' in page and 'class="skip"' in page, url
        assert SCRIPT not in page, url


@pytest.mark.parametrize("language", ["en", "es"])
def test_chart_downloads_in_both_languages(client, record, language):
    for chart in (
        "committed-over-time",
        "committed-by-country",
        "committed-by-kind",
        "committed-by-focus",
        "committed-by-partner-type",
    ):
        response = client.get(f"/{language}/data/{chart}.csv")
        assert response.status_code == 200, chart
        assert response["Content-Type"].startswith("text/csv")


def test_the_language_switch_keeps_the_page_and_its_query(client, record):
    page = client.get("/en/commitments/", {"country": "gt", "as_of": "2023-02-06"}).content.decode()
    switch = re.search(r'<a href="([^"]+)" hreflang="es"', page).group(1)
    assert switch == "/es/commitments/?country=gt&amp;as_of=2023-02-06"
    back = client.get("/es/commitments/", {"country": "gt"}).content.decode()
    assert re.search(r'<a href="/en/commitments/\?country=gt" hreflang="en"', back)
    detail = client.get(f"/es/commitments/{record.alpha.reference}/").content.decode()
    assert f'href="/en/commitments/{record.alpha.reference}/" hreflang="en"' in detail


def test_a_past_view_is_kept_when_moving_between_pages(client, record):
    page = client.get("/en/", {"as_of": "2022-06-07"}).content.decode()
    assert 'href="/en/commitments/?as_of=2022-06-07"' in page
    assert 'href="/en/countries/?as_of=2022-06-07"' in page


def test_spanish_numbers_and_dates(client, record):
    page = client.get("/es/", {"as_of": "2023-02-06"}).content.decode()
    assert "6 de febrero de 2023" in page
    # The region's conventions (CLDR es_419), not Spain's: "US$3,641,600,000".
    assert re.search(r"US\$\d{1,3}(,\d{3})+", page)
    assert not re.search(r"\d{1,3}(\.\d{3})+\s?US\$", page)


def test_static_files_are_the_projects_own(client, record):
    page = client.get("/en/").content.decode()
    for src in re.findall(r'(?:src|href)="([^"]+\.(?:js|css|svg))"', page):
        if src.startswith("/en/data/"):
            continue  # a chart's SVG download, drawn by the portal (chart_svg)
        if src == "/initiatives/central-america-forward/look.css":
            continue  # the initiative's accent colour, written by the portal (installation.look)
        assert src.startswith("/static/"), src
    # Links (and the cards' addresses, which the browser never loads) are not resources.
    head = re.sub(r'(?:href|property="og:\w+" content)="https?://[^"]*"', "", page)
    assert "http://" not in head.split("<body")[0]
