"""Country pages, filters and the map follow the initiative's countries (issue 14, item 2):
a country added to the primary initiative gets its page and filter value with no code change,
and the map fits any initiative's countries, one with no outline in the table only."""

from __future__ import annotations

import datetime

import pytest

from adelante.figures.committed import committed_by
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative, InitiativeCountry
from adelante.portal.country_map import drawable, map_areas, map_svg, picture
from tests import builders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 5)


@pytest.fixture
def kenya():
    """Kenya added to the primary initiative, with a commitment."""
    InitiativeCountry.objects.create(initiative=scope.primary(), code="KE", position=3)
    builders.commitment("Nairobi Co", "100", DAY, countries=["KE"])
    builders.commitment("Guate Co", "10", DAY, countries=["GT"])


def test_the_country_index_and_page_of_a_fourth_country(client, kenya):
    index = client.get("/en/countries/").content.decode()
    assert 'href="/en/countries/ke/"' in index and "Kenya" in index
    page = client.get("/es/countries/ke/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kenia" in text and "Nairobi Co" in text
    assert client.get("/en/countries/KE/").status_code == 301
    # A country of no initiative of this portal has no page.
    assert client.get("/en/countries/tz/").status_code == 404


def test_a_country_outside_the_initiative_has_no_page(client, db):
    assert client.get("/en/countries/ke/").status_code == 404
    assert client.get("/en/countries/gt/").status_code == 200


def test_the_filters_offer_the_initiatives_countries(client, kenya):
    explorer = client.get("/en/commitments/?country=ke")
    assert explorer.status_code == 200
    text = explorer.content.decode()
    assert 'value="ke"' in text and "Nairobi Co" in text and "Guate Co" not in text
    assert client.get("/en/commitments/?country=tz").status_code == 400
    partners = client.get("/en/partners/?country=ke").content.decode()
    assert "Nairobi Co" in partners and "Guate Co" not in partners


def test_the_map_of_another_initiatives_countries():
    east = Initiative.objects.create(slug="east-africa", name="East Africa", position=1)
    for position, code in enumerate(("KE", "TZ", "UG", "RW", "TV")):
        InitiativeCountry.objects.create(initiative=east, code=code, position=position)
    with scope.within(east):
        builders.commitment("Nairobi Co", "100", DAY, countries=["KE"])
        builders.commitment("Kigali Co", "40", DAY, countries=["RW"])
        areas = map_areas(committed_by("country", DAY), current="RW")
    by_code = {area.code: area for area in areas}
    assert set(by_code) == {"KE", "TZ", "UG", "RW", "TV"}
    assert by_code["KE"].amount == "US$100" and by_code["RW"].current
    # Tuvalu has no outline in Natural Earth's 1:50m countries: it is in the table only.
    assert not by_code["TV"].outlined and drawable(areas)
    svg = map_svg(areas, "East Africa")
    shapes = picture(("KE", "RW", "TZ", "UG"))
    for code in ("KE", "TZ", "UG", "RW"):
        assert shapes.countries[code].path in svg
    assert "Tuvalu" not in svg and "Kenya: US$100" in svg
    # Fitted to the four countries: each lies inside the picture.
    for outline in shapes.countries.values():
        x, y = outline.centre
        assert 0 < x < shapes.width and 0 < y < shapes.height
    assert shapes.context  # the neighbours, for where the countries are


def test_no_outline_at_all_leaves_the_table_alone():
    areas = map_areas(committed_by("country", DAY), countries=("TV",))
    assert [a.code for a in areas] == ["TV"] and not drawable(areas)
    assert map_svg(areas, "Tuvalu").startswith("<svg")
