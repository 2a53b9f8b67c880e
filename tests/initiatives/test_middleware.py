"""A request reads what it needs about initiatives once (`initiatives.middleware`): fewer
queries on a page and an API list, a change of countries seen by the next request, and a clear
503 for a database without a primary initiative."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from adelante.initiatives import scope
from adelante.initiatives.changing import do_change_initiative
from adelante.initiatives.models import Initiative
from tests import builders
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 4)
MIDDLEWARE = "adelante.initiatives.middleware.RememberingMiddleware"
#: The commitments explorer filtered by a country: its filter, its form's choices and the
#: country's name each ask for the initiative's countries.
PAGE = "/en/commitments/?country=gt"
API_LIST = "/api/v1/commitments?country=GT"
UNCACHED = {"PORTAL_PAGE_CACHE": False, "API_RESPONSE_CACHE": False}


@pytest.fixture(autouse=True)
def commitments() -> None:
    builders.commitment("Acme Foods", "1000", DAY, countries=("GT",))
    builders.commitment("Beta Mills", "2000", DAY, countries=("HN",))


def reads(client: Client, url: str) -> tuple[int, int, int]:
    """The request's queries: all of them, those of the initiatives' table, those of their
    countries' table."""
    with override_settings(**UNCACHED), CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200
    froms = [q["sql"].split(" WHERE ")[0] for q in queries.captured_queries]
    return (
        len(froms),
        sum('FROM "initiatives_initiative"' in sql for sql in froms),
        sum('FROM "initiatives_initiativecountry"' in sql for sql in froms),
    )


def without_memo() -> list[str]:
    return [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]


def test_a_page_reads_the_initiatives_countries_once(client: Client) -> None:
    client.get(PAGE)  # what a process reads once (the templates, the stamp's statement)
    total, initiatives, countries = reads(client, PAGE)
    # The primary initiative's row (its name, its look), the switcher's list, the countries.
    assert (initiatives, countries) == (2, 1)
    with override_settings(MIDDLEWARE=without_memo()):
        other = Client()  # (a client loads its middleware once)
        other.get(PAGE)
        total_without, initiatives_without, countries_without = reads(other, PAGE)
    assert countries_without > countries and initiatives_without >= initiatives
    # Nothing else differs.
    assert total_without - total == initiatives_without + countries_without - 3


def test_an_api_list_filtered_by_country_reads_the_countries_in_one_query(
    client: Client,
) -> None:
    client.get(API_LIST)
    total, initiatives, countries = reads(client, API_LIST)
    # The primary initiative's countries, joined: not its row, then its countries.
    assert (initiatives, countries) == (0, 1)
    assert reads(client, "/api/v1/commitments")[0] == total - 1


def test_a_change_of_countries_is_seen_by_the_next_request(client: Client) -> None:
    staff = make_user("sadmin", "secretariat-admin")
    assert client.get("/api/v1/commitments?country=BZ").status_code == 422
    assert "Belize" not in client.get("/en/commitments/").content.decode()
    do_change_initiative(
        initiative=scope.primary(),
        changes={"countries": ["GT", "SV", "HN", "BZ"]},
        reason="Belize joined",
        by=staff,
    )
    # Another process's next request reads them as this one's does: nothing is kept between
    # requests (the page cache's key changes with the record's state).
    assert client.get("/api/v1/commitments?country=BZ").status_code == 200
    assert "Belize" in client.get("/en/commitments/").content.decode()
    assert client.get("/en/countries/bz/").status_code == 200


def test_a_page_of_a_database_without_a_primary_initiative_says_so(client: Client) -> None:
    Initiative.objects.update(primary=False)
    for url, said in (
        ("/en/commitments/", "has no primary initiative"),
        ("/es/commitments/", "no tiene iniciativa principal"),
    ):
        answer = client.get(url)
        assert answer.status_code == 503 and answer["Retry-After"] == "60"
        assert said in answer.content.decode()
    assert not Initiative.objects.filter(primary=True).exists()


def test_the_api_of_a_database_without_a_primary_initiative_answers_a_problem(
    client: Client,
) -> None:
    Initiative.objects.update(primary=False)
    answer = client.get(API_LIST)
    assert answer.status_code == 503 and answer["Content-Type"] == "application/problem+json"
    assert "no primary initiative" in json.loads(answer.content)["detail"]
    assert not Initiative.objects.filter(primary=True).exists()


def test_a_command_in_a_database_without_a_primary_initiative_says_so() -> None:
    Initiative.objects.update(primary=False)
    with pytest.raises(CommandError, match="no primary initiative"):
        call_command("figures", stdout=io.StringIO())
    assert not Initiative.objects.filter(primary=True).exists()
