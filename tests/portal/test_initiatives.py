"""Every portal page is per initiative: the primary's at /<lang>/…, another's at
/<lang>/i/<slug>/… with the same pages showing only its own records and figures
(docs/portal.md, "Initiatives")."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.utils import timezone

from adelante.commitments.models import Commitment, SamePledge
from adelante.figures.committed import committed
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative, InitiativeCountry
from adelante.portal.caching import remembered
from tests import builders
from tests.portal.conftest import PortalRecord, figure

SLUG = "ocean-pact"
DAY = datetime.date(2022, 9, 14)


@dataclass
class Other:
    initiative: Initiative
    kenya: Commitment
    shared: Commitment


@pytest.fixture
def other(record: PortalRecord) -> Other:
    """A second initiative, with four countries (one of them the primary's), its own round and
    commitments, one of them by a partner of the primary's (partners are shared)."""
    made = Initiative.objects.create(
        slug=SLUG,
        name="Ocean Pact",
        name_es="Pacto del Océano",
        position=1,
        accent_colour="#12ab34",
        synthetic=True,
        languages_pending="fr",
    )
    for position, code in enumerate(("KE", "TZ", "UG", "GT")):
        InitiativeCountry.objects.create(initiative=made, code=code, position=position)
    with scope.within(made):
        kenya = builders.commitment("Kilimanjaro Coffee", "7000000", DAY, countries=["KE"])
        shared = builders.commitment("Alpha Corp", "2000000", DAY, countries=["TZ", "UG"])
    return Other(made, kenya, shared)


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_its_overview_shows_only_its_figures(client, record, other, language):
    page = _page(client, f"/{language}/i/{SLUG}/")
    assert figure(page, "committed") == "US$9,000,000"
    name = "Ocean Pact" if language == "en" else "Pacto del Océano"
    assert f"· {name}</title>" in page
    assert "Central America Forward" not in page.split("<main")[0].split("<nav")[0]
    # Its sections link within its portal; the language switch keeps it.
    assert f'href="/{language}/i/{SLUG}/commitments/"' in page
    other_language = "es" if language == "en" else "en"
    assert f'href="/{other_language}/i/{SLUG}/"' in page


def test_the_primarys_pages_are_unchanged(client, record, other):
    page = _page(client, "/en/")
    assert "· Central America Forward</title>" in page
    assert figure(page, "committed") != "US$9,000,000"
    assert 'href="/en/commitments/"' in page
    assert "data-synthetic" not in page
    explorer = _page(client, "/en/commitments/")
    assert other.kenya.reference not in explorer
    assert record.alpha.reference in explorer


@pytest.mark.parametrize("language", ["en", "es"])
def test_its_explorer_search_and_download_list_only_its_commitments(
    client, record, other, language
):
    explorer = _page(client, f"/{language}/i/{SLUG}/commitments/")
    assert other.kenya.reference in explorer and other.shared.reference in explorer
    assert record.alpha.reference not in explorer
    found = _page(client, f"/{language}/i/{SLUG}/search/?q=alpha")
    assert other.shared.reference in found and record.alpha.reference not in found
    response = client.get(f"/{language}/i/{SLUG}/commitments/download.csv")
    assert response.status_code == 200
    csv = b"".join(response.streaming_content).decode()
    assert other.kenya.reference in csv and record.alpha.reference not in csv


def test_its_commitment_round_and_partner_pages(client, record, other):
    page = _page(client, f"/es/i/{SLUG}/commitments/{other.kenya.reference}/")
    assert "Kilimanjaro Coffee" in page
    the_round = other.kenya.round
    assert the_round is not None
    rounds = _page(client, f"/en/i/{SLUG}/rounds/")
    assert the_round.slug in rounds and record.alpha.round.slug not in rounds  # type: ignore[union-attr]
    round_page = _page(client, f"/en/i/{SLUG}/rounds/{the_round.slug}/")
    assert other.kenya.reference in round_page
    # The shared partner: this initiative's commitments, and a link to its others.
    partner = other.shared.partner
    mine = _page(client, f"/en/i/{SLUG}/partners/{partner.slug}/")
    assert other.shared.reference in mine and record.alpha.reference not in mine
    assert f'href="/en/partners/{partner.slug}/"' in mine
    primary = _page(client, f"/en/partners/{partner.slug}/")
    assert record.alpha.reference in primary and other.shared.reference not in primary
    assert f'href="/en/i/{SLUG}/partners/{partner.slug}/"' in primary
    partners = _page(client, f"/en/i/{SLUG}/partners/")
    assert "Kilimanjaro Coffee" in partners and "Beta Foundation" not in partners


def test_records_of_another_initiative_lead_to_its_address(client, record, other):
    response = client.get(f"/en/commitments/{other.kenya.reference}/?as_of=2023-01-01")
    assert response.status_code == 301
    assert response["Location"] == (
        f"/en/i/{SLUG}/commitments/{other.kenya.reference}/?as_of=2023-01-01"
    )
    response = client.get(f"/es/i/{SLUG}/commitments/{record.alpha.reference}/")
    assert response.status_code == 301
    assert response["Location"] == f"/es/commitments/{record.alpha.reference}/"
    slug = other.kenya.round.slug  # type: ignore[union-attr]
    response = client.get(f"/en/rounds/{slug}/")
    assert response.status_code == 301
    assert response["Location"] == f"/en/i/{SLUG}/rounds/{slug}/"


def test_a_country_of_another_initiative_leads_to_its_address(client, record, other):
    response = client.get("/en/countries/ke/?as_of=2023-01-01")
    assert response.status_code == 301
    assert response["Location"] == f"/en/i/{SLUG}/countries/ke/?as_of=2023-01-01"
    assert "Kilimanjaro Coffee" in _page(client, response["Location"])
    response = client.get("/es/countries/KE/")
    assert response.status_code == 301
    assert response["Location"] == f"/es/i/{SLUG}/countries/ke/"
    # And back: the primary's country under the other initiative's prefix.
    response = client.get(f"/en/i/{SLUG}/countries/sv/")
    assert response.status_code == 301
    assert response["Location"] == "/en/countries/sv/"
    # A country both have is each one's own page; a country none has is not found.
    assert client.get("/en/countries/gt/").status_code == 200
    assert client.get(f"/en/i/{SLUG}/countries/gt/").status_code == 200
    assert client.get("/en/countries/fr/").status_code == 404
    assert client.get("/en/countries/zz/").status_code == 404


def test_a_country_of_several_initiatives_leads_to_the_first_in_order(client, record, other):
    lake = Initiative.objects.create(slug="lake-pact", name="Lake Pact", position=5)
    InitiativeCountry.objects.create(initiative=lake, code="KE")
    assert client.get("/en/countries/ke/")["Location"] == f"/en/i/{SLUG}/countries/ke/"
    Initiative.objects.filter(pk=other.initiative.pk).update(position=9)
    assert client.get("/en/countries/ke/")["Location"] == "/en/i/lake-pact/countries/ke/"


def test_the_primary_under_a_prefix_redirects_to_its_own_address(client, record):
    response = client.get("/en/i/central-america-forward/commitments/?q=alpha")
    assert response.status_code == 301
    assert response["Location"] == "/en/commitments/?q=alpha"
    response = client.get("/es/i/central-america-forward/")
    assert response.status_code == 301
    assert response["Location"] == "/es/"


@pytest.mark.parametrize("url", ["/en/i/no-such-thing/", "/es/i/no-such-thing/commitments/"])
def test_an_unknown_initiative_is_the_portals_404(client, record, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "<main" in response.content.decode()


def test_a_synthetic_initiative_says_so_on_every_page(client, record, other):
    for url in ("/en/i/ocean-pact/", "/es/i/ocean-pact/partners/", "/en/i/ocean-pact/rounds/"):
        assert "data-synthetic" in _page(client, url)
    assert "Synthetic data for demonstration" in _page(client, "/en/i/ocean-pact/")
    assert "Datos sintéticos para demostración" in _page(client, "/es/i/ocean-pact/")
    assert "Texts in French are pending" in _page(client, "/en/i/ocean-pact/")
    assert "Los textos en francés están pendientes" in _page(client, "/es/i/ocean-pact/")


def test_the_installation_overview(client, record, other):
    SamePledge.objects.create(
        commitment=other.shared, counted_as=record.alpha, confirmed_on=datetime.date(2023, 1, 1)
    )
    page = _page(client, "/en/initiatives/")
    assert "Central America Forward" in page and "Ocean Pact" in page
    assert "Kenya" in page and "Guatemala" in page
    # Its card says so; the page itself is the installation's (no banner).
    assert page.count("data-synthetic") == 1
    assert f'href="/en/i/{SLUG}/"' in page and 'href="/en/"' in page
    assert "1 commitment also announced under another initiative is counted once" in page
    spanish = _page(client, "/es/initiatives/")
    assert "Pacto del Océano" in spanish and "Kenia" in spanish
    # The total across: the primary's, plus the other's, the shared pledge counted once.
    with scope.within(scope.primary()):
        primary = committed(timezone.localdate()).amount_usd
    across = figure(page, "committed-across")
    assert f"{int(primary + Decimal(7_000_000)):,}" in across
    # Every page links to it and to each initiative once there are several.
    assert 'href="/en/initiatives/"' in _page(client, "/en/")


def test_two_initiatives_never_share_a_cached_figure(client, record, other, settings):
    settings.PORTAL_PAGE_CACHE = True
    caches["default"].clear()
    day = datetime.date(2024, 1, 1)
    with scope.within(other.initiative):
        theirs = remembered(committed, day)
    with scope.within(scope.primary()):
        ours = remembered(committed, day)
    assert theirs.amount_usd == Decimal(9_000_000)
    assert ours.amount_usd != theirs.amount_usd
    # Through the pages, in either order.
    caches["default"].clear()
    first = figure(_page(client, f"/en/i/{SLUG}/"), "committed")
    second = figure(_page(client, "/en/"), "committed")
    assert first != second
    assert figure(_page(client, f"/en/i/{SLUG}/"), "committed") == first


def test_logo_and_accent(client, record, other, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    assert client.get(f"/initiatives/{SLUG}/logo").status_code == 404
    other.initiative.logo.save("ocean.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"), save=True)
    response = client.get(f"/initiatives/{SLUG}/logo")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    page = _page(client, f"/en/i/{SLUG}/")
    assert f'src="/initiatives/{SLUG}/logo"' in page
    # An SVG is never served (a script could run in it), whatever the file holds.
    other.initiative.logo.save("ocean.svg", ContentFile(b"<svg/>"), save=True)
    assert client.get(f"/initiatives/{SLUG}/logo").status_code == 404
    assert client.get("/initiatives/no-such-thing/logo").status_code == 404
    css = client.get(f"/initiatives/{SLUG}/look.css")
    assert css["Content-Type"].startswith("text/css")
    assert css.content.decode() == ":root { --accent: #12ab34; }\n"
    # A colour that is not #rrggbb (written past the validator) is never put into CSS.
    Initiative.objects.filter(pk=other.initiative.pk).update(accent_colour="red;}x{")
    assert client.get(f"/initiatives/{SLUG}/look.css").content == b""


def test_one_sitemap_section_per_initiative(client, record, other):
    index = client.get("/sitemap.xml").content.decode()
    assert f"sitemap-commitments-{SLUG}.xml" in index and "sitemap-commitments.xml" in index
    theirs = client.get(f"/sitemap-commitments-{SLUG}.xml").content.decode()
    assert f"/en/i/{SLUG}/commitments/{other.kenya.reference}/" in theirs
    assert f"/es/i/{SLUG}/commitments/{other.kenya.reference}/" in theirs
    assert record.alpha.reference not in theirs
    ours = client.get("/sitemap-commitments.xml").content.decode()
    assert record.alpha.reference in ours and other.kenya.reference not in ours
    countries = client.get(f"/sitemap-countries-{SLUG}.xml").content.decode()
    listed = dict.fromkeys(re.findall(rf"/en/i/{SLUG}/countries/(\w+)/", countries))
    assert list(listed) == ["ke", "tz", "ug", "gt"]


def test_the_background_refresh_renders_an_initiatives_page_for_it(record, other, settings):
    """A stale page is rendered afresh by a worker from its path alone: for the initiative of
    its address, with its addresses (adelante.portal.refresh)."""
    from adelante.portal.refresh import refresh_page

    caches["default"].clear()
    assert refresh_page.call(path=f"/en/i/{SLUG}/", query="", language="en") == 200
    assert refresh_page.call(path=f"/es/i/{SLUG}/rounds/", query="", language="es") == 200
    # The next reader gets the initiative's page, not the primary's.
    from django.test import Client

    page = Client().get(f"/en/i/{SLUG}/").content.decode()
    assert figure(page, "committed") == "US$9,000,000"
