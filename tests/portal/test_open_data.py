"""Open data in plain sight: links to the downloads and the API on every page, the API's
index, robots.txt, the sitemap with both languages, canonical and hreflang links, a meta
description and the sharing cards of each page, compressed pages and 304 to conditional
requests."""

from __future__ import annotations

import gzip
import io
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from PIL import Image

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def public_pages(record):
    alpha = record.alpha
    return [
        "/en/",
        "/es/",
        "/en/commitments/",
        "/es/commitments/?country=gt",
        f"/en/commitments/{alpha.reference}/",
        f"/es/partners/{alpha.partner.slug}/",
        "/en/partners/",
        "/en/rounds/",
        f"/es/rounds/{alpha.round.slug}/",
        "/en/countries/",
        "/es/countries/gt/",
        "/en/methodology/",
        "/en/search/?q=alpha",
    ]


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, response.content.decode().split("<body")[0]


def test_the_api_index_says_where_everything_is(client, record):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    index = response.json()
    assert index["documentation"] == "http://testserver/api/v1/docs"
    assert index["openapi"] == "http://testserver/api/v1/openapi.json"
    assert index["downloads"].endswith("/downloads/")
    paths = {(e["method"], e["path"]) for e in index["endpoints"]}
    assert ("GET", "/api/v1/commitments") in paths
    assert ("GET", "/api/v1/commitments/{reference}") in paths
    assert ("POST", "/api/v1/progress-reports") in paths
    listed = next(e for e in index["endpoints"] if e["path"] == "/api/v1/commitments")
    assert listed["url"] == "http://testserver/api/v1/commitments"
    assert client.get(listed["url"]).status_code == 200
    # And the index is in the OpenAPI document like every other endpoint.
    assert "/api/v1/" in client.get("/api/v1/openapi.json").json()["paths"]


def test_robots_txt(client, record):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    # Every line is a field robots.txt knows, or empty.
    for line in lines:
        assert not line or re.match(r"^(User-agent|Disallow|Allow|Sitemap): \S+$", line), line
    assert "Disallow: /en/accounts/" in lines and "Disallow: /es/secretariat/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    # The public pages stay open.
    assert not any(line in ("Disallow: /", "Disallow: /en/") for line in lines)


def test_the_sitemap_lists_every_public_page_in_both_languages(client, record):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SM}loc")]
    assert sections and all(s.startswith("http://testserver/sitemap-") for s in sections)
    locations, alternates = [], []
    for section in sections:
        response = client.get(urlsplit(section).path)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/xml")
        tree = ET.fromstring(response.content)
        assert tree.tag == f"{SM}urlset"
        for url in tree.iter(f"{SM}url"):
            locations.append(url.find(f"{SM}loc").text)
            links = url.findall(f"{XHTML}link")
            alternates += links
            assert {link.get("hreflang") for link in links} == {"en", "es", "x-default"}
    assert all(a.get("href").startswith("http://testserver/") for a in alternates)
    assert "http://testserver/en/" in locations and "http://testserver/es/" in locations
    for page in public_pages(record)[:-1]:
        path = page.split("?")[0]
        assert f"http://testserver{path}" in locations, path
    # Never a proposal (not public) nor a private page.
    assert not any(record.proposal.reference in loc for loc in locations)
    assert not any("/accounts/" in loc or "/admin/" in loc for loc in locations)


def test_every_page_has_its_canonical_hreflang_description_and_card(client, record):
    descriptions = set()
    for url in public_pages(record):
        _response, head = head_of(client, url)
        path = url.split("?")[0]
        assert f'<link rel="canonical" href="http://testserver{path}">' in head, url
        for language in ("en", "es"):
            other = re.sub(r"^/(en|es)/", f"/{language}/", path)
            assert f'hreflang="{language}" href="http://testserver{other}' in head, url
        assert 'hreflang="x-default" href="http://testserver/en/' in head
        description = re.search(r'<meta name="description" content="([^"]+)">', head)
        assert description and len(description.group(1)) > 50, url
        descriptions.add(description.group(1))
        assert re.search(r'<meta property="og:title" content="[^"]+">', head), url
        assert f'<meta property="og:url" content="http://testserver{path}">' in head
        assert '<meta name="twitter:card" content="summary_large_image">' in head
        card = re.search(r'<meta property="og:image" content="([^"]+)">', head).group(1)
        assert card.startswith("http://testserver/" + url[1:3] + "/cards/"), url
    # One description per page, not one for every page.
    assert len(descriptions) >= len(public_pages(record)) - 2


def test_the_cards_are_pictures_of_the_headline_figure(client, record):
    alpha = record.alpha
    for url in (
        "/en/cards/overview/all.png",
        "/es/cards/overview/all.png",
        f"/en/cards/commitment/{alpha.reference}.png",
        f"/en/cards/partner/{alpha.partner.slug}.png",
        "/es/cards/country/gt.png",
        f"/en/cards/round/{alpha.round.slug}.png",
        f"/en/cards/commitment/{record.secret.reference}.png",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        assert image.size == (1200, 630)
        # Drawn once per record state: the second request is a 304.
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, url
    for missing in (
        f"/en/cards/commitment/{record.proposal.reference}.png",
        "/en/cards/country/xx.png",
        "/en/cards/planet/earth.png",
    ):
        assert client.get(missing).status_code == 404, missing


def test_the_card_of_a_confidential_commitment_shows_no_amount(record):
    from adelante.portal.views.cards import card_of

    secret = card_of("commitment", record.secret.reference)
    assert "12" not in secret.figure and "confidential" in secret.figure


def test_download_and_api_links_on_list_and_figure_pages(client, record):
    alpha = record.alpha
    expected = {
        "/en/": "/api/v1/figures/committed",
        "/en/commitments/?country=gt": "/api/v1/commitments?country=gt",
        f"/en/partners/{alpha.partner.slug}/": f"/api/v1/partners/{alpha.partner.slug}",
        "/en/countries/gt/": "/api/v1/commitments?country=gt",
        f"/en/rounds/{alpha.round.slug}/": f"/api/v1/rounds/{alpha.round.slug}",
        f"/en/commitments/{alpha.reference}/": f"/api/v1/commitments/{alpha.reference}",
    }
    for url, api in expected.items():
        page = client.get(url).content.decode()
        links = re.search(r'<p class="open-data">(.*?)</p>', page, re.S).group(1)
        assert f'href="{api}"' in links, url
        download = re.search(r'href="([^"]+)">Download this<', links).group(1)
        answer = client.get(download.replace("&amp;", "&"))
        assert answer.status_code == 200, download
        assert client.get(api).status_code == 200, api
    footer = client.get("/es/").content.decode().split('<footer class="site">')[1]
    assert 'href="/api/v1/"' in footer and 'href="/api/v1/docs"' in footer
    assert 'href="/es/downloads/"' in footer


def test_pages_for_anonymous_readers_are_compressed(client, record):
    for url in ("/en/", "/es/commitments/", "/sitemap.xml", "/robots.txt"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content)
    plain = client.get("/en/")
    assert not plain.has_header("Content-Encoding")


def test_a_signed_in_readers_pages_are_never_compressed(client, record, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x" * 20)
    client.force_login(user)
    response = client.get("/en/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    # Nor a page with a CSRF token in it, signed in or not.
    client.logout()
    form = client.get("/en/accounts/sign-in/", HTTP_ACCEPT_ENCODING="gzip")
    if form.status_code == 200:
        assert not form.has_header("Content-Encoding")


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/es/commitments/?country=gt",
        "/en/partners/",
        "/en/rounds/",
        "/en/countries/",
        "/en/methodology/",
        "/en/search/?q=alpha",
        "/en/commitments/download.csv?country=gt",
        "/en/commitments/download.xlsx",
        "/en/data/committed-by-country.csv",
        "/en/downloads/",
        "/sitemap.xml",
    ],
)
def test_a_conditional_get_gets_304_while_the_record_is_unchanged(client, record, url):
    def get(**headers):
        response = client.get(url, **headers)
        if response.streaming:  # a download: read to its end (its file is then closed)
            b"".join(response.streaming_content)
        return response

    first = get()
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag
    again = get(HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    # Compressed or not, the same validator (a weak match).
    assert get(HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING="gzip").status_code == 304
    # A change to the record: the page again, with a new validator.
    record.beta.summary = "changed"
    record.beta.save()
    changed = get(HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_fresh_rendering_answers_a_conditional_get_too(client, record):
    from django.core.cache import caches

    etag = client.get("/en/rounds/")["ETag"]
    # Another process, or a cache that lost the page: the same page has the same validator.
    caches["default"].clear()
    assert client.get("/en/rounds/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_page_rendered_in_the_background_has_the_sites_absolute_addresses(settings):
    from adelante.portal.refresh import anonymous_request

    settings.ALLOWED_HOSTS = ["adelante.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = anonymous_request(path="/en/", query="", language="en")
    assert request.build_absolute_uri("/en/") == "https://adelante.example.org/en/"
    settings.SECURE_SSL_REDIRECT = False
    request = anonymous_request(path="/en/", query="", language="en")
    assert request.build_absolute_uri("/en/") == "http://adelante.example.org/en/"
