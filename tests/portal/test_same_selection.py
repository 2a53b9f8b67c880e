"""The portal's explorer, its downloads and the API select the same commitments, in the same
order, for the same filters by the same names (one selector: `commitments.selectors`); and
the old names of parameters still work."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.portal.conftest import DEC

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The API's rate-limit counters live in the cache: start each test without them."""
    cache.clear()
    yield
    cache.clear()


def portal_refs(client, params: dict[str, str]) -> list[str]:
    """References of the explorer's selection (every page), from its CSV download."""
    response = client.get("/en/commitments/download.csv", params)
    assert response.status_code == 200, response.content[:500]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["reference"] for row in csv.DictReader(io.StringIO(text))]


def explorer_refs(client, params: dict[str, str]) -> list[str]:
    """References on the explorer's first page, in order."""
    response = client.get("/en/commitments/", params)
    assert response.status_code == 200, response.content[:500]
    return re.findall(r'href="/en/commitments/([^/"?]+)/', response.content.decode())


def api_refs(client, params: dict[str, str]) -> list[str]:
    response = client.get(f"/api/v1/commitments?{urlencode({**params, 'page_size': 200})}")
    assert response.status_code == 200, response.content[:500]
    return [c["reference"] for c in response.json()["results"]]


def _filters(record) -> list[dict[str, str]]:
    return [
        {},
        {"country": "GT"},
        {"country": "gt"},
        {"country": "HN"},
        {"country": "sv"},
        {"country": "multi-country"},
        {"country": "regional"},
        {"kind": "lending"},
        {"focus": "agriculture"},
        {"partner_type": "foundation"},
        {"status": "withdrawn"},
        {"q": "alphabet soup"},
        {"q": "beta found"},
        {"round": record.beta.round.slug},
        {"partner": record.alpha.partner.slug},
        {"country": "gt", "kind": "capital_investment"},
        {"sort": "-amount_usd"},
        {"sort": "amount_usd"},
        {"sort": "partner"},
        {"sort": "-reference", "country": "regional"},
    ]


@pytest.mark.parametrize("as_of", [TODAY, DEC])
def test_portal_and_api_list_the_same_commitments_in_the_same_order(client, record, as_of):
    for chosen in _filters(record):
        params = {**chosen, "as_of": as_of.isoformat()}
        from_api = api_refs(client, params)
        assert portal_refs(client, params) == from_api, chosen
        assert explorer_refs(client, params) == from_api, chosen


def test_the_country_filter_includes_the_region_and_several_countries(client, record):
    params = {"as_of": TODAY.isoformat()}
    assert api_refs(client, {**params, "country": "regional"}) == [record.regional.reference]
    # Beta names Guatemala and Honduras without a split: "several countries".
    assert api_refs(client, {**params, "country": "multi-country"}) == [record.beta.reference]
    assert set(api_refs(client, {**params, "country": "HN"})) == {
        record.beta.reference,
        record.secret.reference,
    }
    assert portal_refs(client, {**params, "country": "REGIONAL"}) == [record.regional.reference]
    assert api_refs(client, {**params, "country": "Regional"}) == [record.regional.reference]


def test_the_api_reads_sort_and_its_old_name_ordering(client, record):
    by_sort = api_refs(client, {"sort": "partner"})
    assert by_sort == api_refs(client, {"ordering": "partner"})
    assert by_sort == api_refs(client, {"sort": "partner", "ordering": "partner"})
    assert by_sort != api_refs(client, {"sort": "-partner"})
    problem = client.get("/api/v1/commitments?sort=partner&ordering=-partner")
    assert problem.status_code == 422
    assert problem.json()["errors"][0]["loc"] == ["query", "ordering"]
    assert client.get("/api/v1/commitments?sort=partner__name").status_code == 422


def test_the_portal_reads_page_size_and_its_old_name_per_page(client, record):
    first_of = explorer_refs(client, {"sort": "reference", "page_size": "25"})
    assert first_of == explorer_refs(client, {"sort": "reference", "per_page": "25"})
    page = client.get("/en/commitments/", {"page_size": "50"}).content.decode()
    assert 'value="50" selected' in page
    bad = client.get("/en/commitments/", {"page_size": "7"})
    assert bad.status_code == 400 and "commitments a page" in bad.content.decode()
    both = client.get("/en/commitments/", {"page_size": "25", "per_page": "50"})
    assert both.status_code == 400
    assert "per_page is the old name of page_size" in both.content.decode()
    same = client.get("/en/commitments/", {"page_size": "50", "per_page": "50"})
    assert same.status_code == 200


def test_the_explorer_links_with_the_one_set_of_names(client, record):
    from adelante.commitments.models import Commitment

    for number in range(60):
        Commitment.objects.create(
            reference=f"bulk-{number:02d}",
            partner=record.alpha.partner,
            round=record.alpha.round,
            announced_on=record.alpha.announced_on,
            status="announced",
        )
    page = client.get("/en/commitments/", {"per_page": "50", "sort": "reference"}).content.decode()
    second = re.search(r'href="([^"]*page=2[^"]*)"', page).group(1)
    assert "page_size=50" in second and "sort=reference" in second
    assert "per_page" not in second
