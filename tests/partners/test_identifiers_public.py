"""The portal's partner page and the API show a partner's organisation identifiers."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from adelante.commitments.choices import Status
from adelante.partners.models import PartnerIdentifier
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme() -> str:
    made = builders.commitment(
        "Acme Foods", "1000", datetime.date(2023, 2, 6), status=Status.IN_PROGRESS
    )
    PartnerIdentifier.objects.create(
        partner=made.partner, identifier="GT-NIT-75556057", scheme="GT-NIT"
    )
    return made.partner.slug


def test_the_partner_page_shows_identifiers_with_the_schemes_name(
    client: Client, acme: str
) -> None:
    page = client.get(f"/en/partners/{acme}/").content.decode()
    assert "<code>GT-NIT-75556057</code> (Guatemala Tax Identification Number)" in page
    spanish = client.get(f"/es/partners/{acme}/").content.decode()
    assert "(Número de Identificación Tributaria de Guatemala)" in spanish


def test_the_api_carries_the_identifiers(client: Client, acme: str) -> None:
    found = client.get(f"/api/v1/partners/{acme}").json()
    assert found["identifiers"] == [
        {
            "identifier": "GT-NIT-75556057",
            "scheme": "GT-NIT",
            "scheme_name": "Guatemala Tax Identification Number",
        }
    ]
    listed = client.get("/api/v1/partners").json()["results"]
    assert listed[0]["identifiers"][0]["identifier"] == "GT-NIT-75556057"


def test_a_merged_partners_page_leads_to_the_partner_kept(client: Client, acme: str) -> None:
    from adelante.partners.merging import do_merge_partners, do_undo_merge
    from adelante.partners.models import Partner

    other = builders.commitment(
        "Acme Food", "5", datetime.date(2023, 2, 7), status=Status.IN_PROGRESS
    ).partner
    keep = Partner.objects.get(slug=acme)
    merge = do_merge_partners(keep=keep, absorb=other, by=None, reason="a typo")
    response = client.get(f"/en/partners/{other.slug}/?as_of=2024-01-01")
    assert response.status_code == 302
    assert response["Location"] == f"/en/partners/{acme}/?as_of=2024-01-01"
    assert client.get("/en/partners/no-such-partner/").status_code == 404
    do_undo_merge(merge=merge)
    assert client.get(f"/en/partners/{other.slug}/").status_code == 200


def test_the_api_finds_a_partner_by_identifier(client: Client, acme: str) -> None:
    builders.commitment("Other Org", "5", datetime.date(2023, 2, 7), status=Status.IN_PROGRESS)
    found = client.get("/api/v1/partners", {"q": "GT-NIT-7555"}).json()["results"]
    assert [p["slug"] for p in found] == [acme]
