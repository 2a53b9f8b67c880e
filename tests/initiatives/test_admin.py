"""Staff add an initiative with its countries in the admin; a country code is checked."""

from __future__ import annotations

import pytest
from django.test import Client

from adelante.initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def _form(**changes: str) -> dict[str, str]:
    data = {
        "slug": "ocean-pact",
        "name": "Ocean Pact",
        "name_es": "Pacto del Océano",
        "written_in": "en",
        "position": "1",
        "display_currency": "USD",
        "accent_colour": "#12ab34",
        "countries-TOTAL_FORMS": "2",
        "countries-INITIAL_FORMS": "0",
        "countries-MIN_NUM_FORMS": "0",
        "countries-MAX_NUM_FORMS": "1000",
        "countries-0-code": "KE",
        "countries-0-position": "0",
        "countries-1-code": "TZ",
        "countries-1-position": "1",
    }
    data.update(changes)
    return data


def test_an_initiative_is_added_with_its_countries(admin_client: Client) -> None:
    response = admin_client.post("/en/admin/initiatives/initiative/add/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Initiative.objects.get(slug="ocean-pact")
    assert made.country_codes() == ("KE", "TZ")
    assert not made.primary


@pytest.mark.parametrize(
    ("field", "value"),
    [("countries-1-code", "XX"), ("accent_colour", "red;}x{"), ("slug", "no slug")],
)
def test_bad_values_are_refused_on_the_form(admin_client: Client, field: str, value: str) -> None:
    response = admin_client.post("/en/admin/initiatives/initiative/add/", _form(**{field: value}))
    assert response.status_code == 200
    assert not Initiative.objects.filter(name="Ocean Pact").exists()
    assert "errorlist" in response.content.decode()
