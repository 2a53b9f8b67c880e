"""The figures with confidential amounts (DOMAIN rule 7), for the secretariat and government
viewers only: totals include the confidential amounts, cells that would reveal fewer than
three partners' confidential amounts are withheld, and the page is never kept in a cache.
The figures are the chosen initiative's (a bad initiative is said on the form)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches

from adelante.accounts.groups import GOVERNMENT_VIEWER, SECRETARIAT_REVIEWER
from adelante.accounts.roles import figures_audience
from adelante.figures.audience import Audience
from adelante.initiatives import scope
from adelante.money.qualifiers import AmountQualifier
from tests import builders
from tests.second_initiative import NAME, ON, SLUG, primary_record, second_initiative, second_record

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 6, 7)
URL = "/en/reports/figures/"


def member_of(group: str, name: str):
    user = get_user_model().objects.create_user(name, password="x")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def cell(page: str, key: str) -> str:
    found = re.search(rf'data-key="{re.escape(key)}"[^>]*>(.*?)</td>', page, re.S)
    assert found, f"no cell {key!r}"
    return found.group(1).strip()


def figure(page: str, name: str) -> str:
    found = re.search(rf'data-figure="{re.escape(name)}"[^>]*>(.*?)</', page, re.S)
    assert found, f"no figure {name!r}"
    return found.group(1).strip()


@pytest.fixture
def secrets(db):
    builders.commitment(
        "Secret", "500", DAY, countries=["HN"], qualifier=AmountQualifier.CONFIDENTIAL
    )
    builders.commitment("A", "10", DAY, countries=["GT"])
    builders.commitment("B", "25", DAY, countries=["GT"])
    builders.commitment("C", "30", DAY, countries=["SV"])


@pytest.mark.parametrize("group", [GOVERNMENT_VIEWER, SECRETARIAT_REVIEWER])
def test_allowed_roles_see_totals_with_confidential_amounts_and_suppressed_cells(
    client, secrets, group
):
    client.force_login(member_of(group, "reader"))
    response = client.get(URL, {"as_of": DAY.isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert figure(page, "committed-with-confidential") == "US$565"
    assert figure(page, "committed-public") == "US$65"
    # HN would reveal one partner's confidential amount; SV, the smallest other cell, would
    # reveal HN by subtraction from the total.
    assert cell(page, "country-HN") == "withheld (confidential)"
    assert cell(page, "country-SV") == "withheld (confidential)"
    assert cell(page, "country-GT") == "US$35"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_page_is_never_stored_in_the_cache(client, secrets):
    caches["default"].clear()
    client.force_login(member_of(GOVERNMENT_VIEWER, "gov"))
    assert client.get(URL).status_code == 200
    assert client.get("/en/").status_code == 200  # a public page, read while signed in
    stored = getattr(caches["default"], "_cache", {})
    # Public figures may be remembered for everyone; no page read while signed in, and no
    # figure with confidential amounts, is kept.
    assert not [key for key in stored if ".page." in key and ".page.figure." not in key]
    assert not [key for key, value in stored.items() if b"confidential-allowed" in value]


def test_everyone_else_gets_the_public_figures_and_no_page():
    assert figures_audience(None) is Audience.PUBLIC
    partner = get_user_model().objects.create_user("partner", password="x")
    assert figures_audience(partner) is Audience.PUBLIC
    gov = member_of(GOVERNMENT_VIEWER, "gov")
    assert figures_audience(gov) is Audience.CONFIDENTIAL_ALLOWED


def test_bad_dates_are_shown_on_the_form(client, secrets):
    client.force_login(member_of(GOVERNMENT_VIEWER, "gov"))
    response = client.get(URL, {"as_of": "yesterday"})
    assert response.status_code == 400
    assert "committed-with-confidential" not in response.content.decode()


@pytest.fixture
def two_initiatives(db):
    """The primary initiative's small record and a second initiative's, each with a
    confidential amount."""
    primary_record()
    builders.commitment(
        "Hidden Primary", "7000", DAY, countries=["GT"], qualifier=AmountQualifier.CONFIDENTIAL
    )
    initiative = second_initiative()
    second_record(initiative)
    with scope.within(initiative):
        builders.commitment(
            "Hidden East", "900", ON, countries=["KE"], qualifier=AmountQualifier.CONFIDENTIAL
        )
    return initiative


AFTER_BOTH = {"as_of": "2024-06-30"}


def test_the_figures_are_the_chosen_initiatives(client, two_initiatives):
    client.force_login(member_of(SECRETARIAT_REVIEWER, "reviewer"))
    # The primary initiative by default, and offered first in the form.
    response = client.get(URL, AFTER_BOTH)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="initiative"' in page
    assert figure(page, "committed-with-confidential") == "US$5,007,000"
    assert figure(page, "committed-public") == "US$5,000,000"
    assert 'data-initiative="central-america-forward"' in page
    assert 'data-key="country-KE"' not in page
    # The second initiative: its own totals with its confidential amount, its countries.
    response = client.get(URL, {**AFTER_BOTH, "initiative": two_initiatives.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert figure(page, "committed-with-confidential") == "US$6,200,900"
    assert figure(page, "committed-public") == "US$6,200,000"
    assert f'data-initiative="{SLUG}"' in page and NAME in page
    assert 'data-key="country-KE"' in page and 'data-key="country-SV"' not in page
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("value", ["999999", "east-africa", "1 OR 1=1"])
def test_a_bad_initiative_is_said_on_the_form(client, two_initiatives, value):
    client.force_login(member_of(GOVERNMENT_VIEWER, "gov"))
    response = client.get(URL, {**AFTER_BOTH, "initiative": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is no such initiative: choose one from the list." in page
    assert "committed-with-confidential" not in page
    response = client.get(f"/es{URL[3:]}", {**AFTER_BOTH, "initiative": value})
    assert "No existe esa iniciativa: elija una de la lista." in response.content.decode()


def test_others_are_still_refused_whatever_the_initiative(client, two_initiatives):
    query = {**AFTER_BOTH, "initiative": two_initiatives.pk}
    response = client.get(URL, query)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    client.force_login(get_user_model().objects.create_user("partner", password="x"))
    assert client.get(URL, query).status_code == 403


def test_with_one_initiative_no_choice_is_offered(client, secrets):
    client.force_login(member_of(GOVERNMENT_VIEWER, "gov"))
    page = client.get(URL, {"as_of": DAY.isoformat()}).content.decode()
    assert 'name="initiative"' not in page
    assert figure(page, "committed-with-confidential") == "US$565"
