"""The API's enums are the domain's vocabularies: every code the OpenAPI document lists comes
from the one definition in the domain, and a wrong one is refused by name."""

from __future__ import annotations

from typing import Any

import pytest

from adelante.commitments.choices import (
    PUBLISHED_STATUSES,
    CountryGroup,
    MoneyKind,
    Relation,
)
from adelante.commitments.selectors import CommitmentSort
from adelante.figures.committed import DIMENSIONS
from adelante.money.qualifiers import AmountQualifier, TotalQualifier
from adelante.partners.models import PartnerType
from tests.api.conftest import get_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(client) -> dict[str, Any]:
    return get_json(client, "/api/v1/openapi.json")


def _enum(schema: dict[str, Any]) -> list[str]:
    """The enum of a schema, or of the non-null branch of an optional one."""
    if "enum" in schema:
        return schema["enum"]
    (branch,) = [s for s in schema["anyOf"] if s.get("type") != "null"]
    return branch["enum"]


def _parameters(doc: dict[str, Any], path: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in doc["paths"][path]["get"]["parameters"]}


def _properties(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return doc["components"]["schemas"][name]["properties"]


def test_the_commitment_filters_list_the_domains_codes(doc):
    params = _parameters(doc, "/api/v1/commitments")
    # The countries are the initiative's (data, not an enum): the filter is checked against
    # them when the request comes (test_a_code_outside_the_vocabulary_is_refused…).
    assert "initiative's" in params["country"]["description"]
    assert params["initiative"]["schema"]["type"] == "string"
    assert _enum(params["kind"]["schema"]) == MoneyKind.values
    assert _enum(params["partner_type"]["schema"]) == PartnerType.values
    assert _enum(params["status"]["schema"]) == [s.value for s in PUBLISHED_STATUSES]
    assert _enum(params["sort"]["schema"]) == CommitmentSort.values
    # The old name of `sort`, still read, marked deprecated.
    assert _enum(params["ordering"]["schema"]) == CommitmentSort.values
    assert params["ordering"].get("deprecated") is True
    assert not params["sort"].get("deprecated")


def test_other_parameters_and_responses_list_the_domains_codes(doc):
    assert _enum(_parameters(doc, "/api/v1/partners")["type"]["schema"]) == PartnerType.values
    by = _parameters(doc, "/api/v1/figures/committed/by/{dimension}")
    assert _enum(by["dimension"]["schema"]) == list(DIMENSIONS)
    commitment = _properties(doc, "CommitmentOut")
    assert _enum(commitment["status"]) == [s.value for s in PUBLISHED_STATUSES]
    assert _enum(commitment["kind"]) == MoneyKind.values
    assert _enum(commitment["relation"]) == Relation.values
    assert _enum(commitment["qualifier"]) == AmountQualifier.values
    assert _properties(doc, "CountryOut")["country"]["pattern"] == "^[A-Z]{2}$"
    assert _enum(_properties(doc, "PartnerRef")["type"]) == PartnerType.values
    assert _enum(_properties(doc, "CommittedOut")["qualifier"]) == TotalQualifier.values


def test_a_code_outside_the_vocabulary_is_refused_naming_the_allowed_ones(client):
    problem = get_json(client, "/api/v1/commitments?country=MX", 422)
    message = problem["errors"][0]["msg"]
    assert all(f"'{key}'" in message for key in ("GT", "SV", "HN", *CountryGroup.values))
    # Any case of a country key is read, as the portal's lower-case addresses write it.
    for spelling in ("gt", "GT", "Gt", "regional", "REGIONAL", "multi-country"):
        get_json(client, f"/api/v1/commitments?country={spelling}")
