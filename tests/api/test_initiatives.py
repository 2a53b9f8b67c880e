"""The API per initiative (issue 14): ?initiative=<slug> on every endpoint, the primary
initiative by default, /api/v1/initiatives, and the initiative's own countries as filters."""

from __future__ import annotations

import pytest

from tests.api.conftest import get_json
from tests.second_initiative import (
    COUNTRIES,
    NAME,
    NAME_ES,
    SLUG,
    primary_record,
    second_initiative,
    second_record,
)

pytestmark = pytest.mark.django_db

FIRST = "central-america-forward"


@pytest.fixture
def both():
    first = primary_record()
    initiative = second_initiative()
    return {"first": first, "second": second_record(initiative), "initiative": initiative}


def references(client, query: str = "") -> set[str]:
    found = get_json(client, f"/api/v1/commitments?page_size=200{query}")
    return {c["reference"] for c in found["results"]}


def test_the_initiatives_are_listed_with_their_countries(client, both):
    listed = {i["slug"]: i for i in get_json(client, "/api/v1/initiatives")}
    assert set(listed) == {FIRST, SLUG}
    second = listed[SLUG]
    assert (second["name"], second["name_es"], second["synthetic"]) == (NAME, NAME_ES, True)
    assert second["countries"] == list(COUNTRIES) and second["currency"] == "USD"
    assert not second["primary"] and listed[FIRST]["primary"]
    assert listed[FIRST]["countries"] == ["GT", "SV", "HN"]
    assert second["links"]["commitments"].endswith(f"/api/v1/commitments?initiative={SLUG}")
    assert f"initiative={SLUG}" in second["links"]["downloads"]
    assert f"/i/{SLUG}/" in second["links"]["portal"]


def test_each_initiative_lists_only_its_records_and_the_primary_is_the_default(client, both):
    first = {c.reference for c in both["first"].values()}
    second = {v.reference for k, v in both["second"].items() if k != "statement"}
    assert references(client) == first
    assert references(client, f"&initiative={FIRST}") == first
    assert references(client, f"&initiative={SLUG}") == second
    one = get_json(
        client, f"/api/v1/commitments/{both['second']['kenya'].reference}?initiative={SLUG}"
    )
    assert one["initiative"] == SLUG and one["countries"][0]["country"] == "KE"
    # Another initiative's commitment is not found under this one.
    get_json(client, f"/api/v1/commitments/{both['second']['kenya'].reference}", 404)
    rounds = get_json(client, f"/api/v1/rounds?initiative={SLUG}")["results"]
    assert [(r["announced_on"], r["initiative"], r["commitments"]) for r in rounds] == [
        ("2024-04-16", SLUG, 4)
    ]
    assert {r["initiative"] for r in get_json(client, "/api/v1/rounds")["results"]} == {FIRST}
    statements = get_json(client, f"/api/v1/statements?initiative={SLUG}")["results"]
    assert [(s["metric"], s["initiative"]) for s in statements] == [
        ("cumulative_committed_usd", SLUG)
    ]
    assert get_json(client, "/api/v1/statements")["results"] == []


def test_partners_are_shared_and_counted_per_initiative(client, both):
    def partners(query: str = "") -> dict[str, int]:
        found = get_json(client, f"/api/v1/partners?page_size=200{query}")["results"]
        return {p["name"]: p["commitments"] for p in found}

    assert partners() == {"Shared Co": 1, "Cuscatlan SA": 1}
    assert partners(f"&initiative={SLUG}") == {
        "Nairobi Mills": 1,
        "Shared Co": 1,
        "Lake Region Trust": 1,
        "Quetzal Foods": 1,
    }


def test_figures_are_the_initiatives(client, both):
    first = get_json(client, "/api/v1/figures/committed?as_of=2024-12-31")
    second = get_json(client, f"/api/v1/figures/committed?as_of=2024-12-31&initiative={SLUG}")
    assert first["amount_usd"] == "5000000.00" and first["commitments"] == 2
    assert second["amount_usd"] == "6200000.00" and second["commitments"] == 4


def test_the_country_filter_takes_the_initiatives_countries(client, both):
    kenya = both["second"]["kenya"].reference
    assert references(client, f"&initiative={SLUG}&country=ke") == {kenya}
    tanzania = references(client, f"&initiative={SLUG}&country=TZ")
    assert tanzania == {both["second"]["split"].reference}
    regional = references(client, f"&initiative={SLUG}&country=regional")
    assert regional == {both["second"]["regional"].reference}
    # Kenya is not one of the primary initiative's countries: refused, naming them.
    problem = get_json(client, "/api/v1/commitments?country=KE", 422)
    message = problem["errors"][0]["msg"]
    assert all(f"'{code}'" in message for code in ("GT", "SV", "HN", "regional"))
    assert "'KE'" not in message
    ladder = get_json(
        client, f"/api/v1/figures/ladder?as_of=2024-12-31&country=UG&initiative={SLUG}"
    )
    assert ladder["steps"][0]["commitments"] == 1
    get_json(client, "/api/v1/figures/ladder?country=UG", 422)


def test_an_unknown_initiative_is_a_problem_naming_the_initiatives(client, both):
    for path in ("/api/v1/commitments", "/api/v1/figures/committed", "/api/v1/iati/activities.xml"):
        response = client.get(f"{path}?initiative=no-such-thing")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["type"] == "urn:adelante:problem:unknown-initiative"
        assert "no-such-thing" in problem["detail"] and problem["initiatives"] == [FIRST, SLUG]
    assert client.get("/api/v1/commitments?initiative=%00bad").status_code == 404


def test_kept_reads_are_kept_per_initiative(client, both):
    """The response cache keys a read by its initiative: the same address under another
    initiative is another answer, and a kept one is given again."""
    first = references(client)
    second = references(client, f"&initiative={SLUG}")
    assert first != second
    assert references(client) == first and references(client, f"&initiative={SLUG}") == second


def test_the_openapi_document_names_the_initiative_parameter(client):
    doc = get_json(client, "/api/v1/openapi.json")
    for path, operations in doc["paths"].items():
        for operation in operations.values():
            names = [p["name"] for p in operation.get("parameters", [])]
            assert "initiative" in names, path
            assert "404" in operation["responses"], path
    assert "/api/v1/initiatives" in doc["paths"]
