"""A partner's organisation identifiers through the API: the admin's service, rule and
messages; the secretariat admin only; who and why in the history; refusals write nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from adelante.api.tokens import create_token
from adelante.partners.models import PartnerIdentifier
from tests.accounts.conftest import Cast

pytestmark = pytest.mark.django_db

ADD = "/api/v1/partners/{slug}/identifiers"
REMOVE = "/api/v1/partners/{slug}/identifiers/{identifier}"
NIT = "GT-NIT-75556057"
#: Every role but the secretariat admin may not (the admin's rule: tests/partners/test_admin.py).
REFUSED = ("member", "partner_admin", "other_member", "reviewer", "government")


def _client(cast: Cast, role: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(getattr(cast, role)).key}")


def _add(client: Client, slug: str, identifier: str, **extra: Any) -> Any:
    body = {"identifier": identifier, **extra}
    return client.post(ADD.format(slug=slug), body, content_type="application/json")


def _stored(cast: Cast) -> set[str]:
    return set(cast.partner.identifiers.values_list("identifier", flat=True))


def test_the_secretariat_admin_adds_an_identifier_in_its_canonical_form(cast: Cast) -> None:
    client = _client(cast, "secretariat_admin")
    response = _add(client, cast.partner.slug, "gt-nit-7555605-7", reason="From the SAT register")
    assert response.status_code == 201, response.content
    assert response.json() == {
        "identifier": NIT,
        "scheme": "GT-NIT",
        "scheme_name": "Guatemala Tax Identification Number",
    }
    assert _stored(cast) == {NIT}
    added = PartnerIdentifier.history.get(identifier=NIT)  # type: ignore[attr-defined]
    assert added.history_type == "+" and added.history_user == cast.secretariat_admin
    assert added.history_change_reason == "through the API by sadmin: From the SAT register"


def test_the_secretariat_admin_removes_one_with_who_and_why_in_the_history(cast: Cast) -> None:
    client = _client(cast, "secretariat_admin")
    assert _add(client, cast.partner.slug, NIT).status_code == 201
    # Found as stored or as written: GT-NIT-7555605-7 is GT-NIT-75556057.
    url = REMOVE.format(slug=cast.partner.slug, identifier="GT-NIT-7555605-7")
    response = client.delete(url + "?reason=A+typo+in+the+register")
    assert response.status_code == 204, response.content
    assert _stored(cast) == set()
    removed = PartnerIdentifier.history.filter(history_type="-").get()  # type: ignore[attr-defined]
    assert removed.identifier == NIT and removed.history_user == cast.secretariat_admin
    assert removed.history_change_reason == "through the API by sadmin: A typo in the register"
    again = client.delete(url)
    assert again.status_code == 404
    assert again["Content-Type"] == "application/problem+json"
    assert "is not one of the identifiers of “Acme Foods”" in again.json()["detail"]


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("GT-NIT-7555605-8", "the check digit is wrong (it should be 7)"),
        ("ZZ-ABC-1", "ZZ-ABC is not an identifier scheme Adelante knows"),
        ("US-DOS-123", "is deprecated"),
        ("XI-LEI-724500PMK2A2M1SQQ229", "the LEI's check digits are wrong"),
        ("12345678", "is not an organisation identifier"),
        ("   ", "An identifier is empty."),
    ],
)
def test_a_bad_identifier_is_a_422_with_the_rule_s_reason_and_nothing_written(
    cast: Cast, written: str, reason: str
) -> None:
    response = _add(_client(cast, "secretariat_admin"), cast.partner.slug, written)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert reason in problem["detail"]
    assert problem["errors"] == [{"loc": ["body", "identifier"], "msg": problem["detail"]}]
    assert not PartnerIdentifier.objects.exists()
    assert not PartnerIdentifier.history.exists()  # type: ignore[attr-defined]


def test_the_message_is_the_admin_s_and_in_spanish_for_a_spanish_request(cast: Cast) -> None:
    client = _client(cast, "secretariat_admin")
    response = client.post(
        ADD.format(slug=cast.partner.slug),
        {"identifier": "GT-NIT-7555605-8"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 422
    assert "el dígito verificador es incorrecto (debería ser 7)" in response.json()["detail"]


def test_an_identifier_the_partner_has_already_is_a_409(cast: Cast) -> None:
    client = _client(cast, "secretariat_admin")
    assert _add(client, cast.partner.slug, NIT).status_code == 201
    response = _add(client, cast.partner.slug, "GT-NIT-7555605-7")
    assert response.status_code == 409
    assert "already one of this partner's identifiers" in response.json()["detail"]
    assert PartnerIdentifier.objects.count() == 1
    # Another partner may have it: that is how a duplicate shows itself.
    assert _add(client, cast.other_partner.slug, NIT).status_code == 201


def test_an_unknown_partner_is_a_404(cast: Cast) -> None:
    client = _client(cast, "secretariat_admin")
    assert _add(client, "no-such-partner", NIT).status_code == 404
    url = REMOVE.format(slug="no-such-partner", identifier=NIT)
    assert client.delete(url).status_code == 404


@pytest.mark.parametrize("role", REFUSED)
def test_every_other_role_gets_403_and_nothing_changes(cast: Cast, role: str) -> None:
    PartnerIdentifier.objects.create(partner=cast.partner, identifier=NIT, scheme="GT-NIT")
    client = _client(cast, role)
    added = _add(client, cast.partner.slug, "XI-LEI-724500PMK2A2M1SQQ228")
    removed = client.delete(REMOVE.format(slug=cast.partner.slug, identifier=NIT))
    # The same answer for a partner that does not exist: no one learns which slugs are taken.
    unknown = _add(client, "no-such-partner", NIT)
    for response in (added, removed, unknown):
        assert response.status_code == 403, response.content
        assert response.json()["type"] == "urn:adelante:problem:not-allowed"
    assert _stored(cast) == {NIT}


def test_anonymous_requests_get_401(cast: Cast) -> None:
    PartnerIdentifier.objects.create(partner=cast.partner, identifier=NIT, scheme="GT-NIT")
    client = Client()
    assert _add(client, cast.partner.slug, NIT).status_code == 401
    response = client.delete(REMOVE.format(slug=cast.partner.slug, identifier=NIT))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert _stored(cast) == {NIT}


def test_the_openapi_document_describes_both_operations(cast: Cast) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    add = schema["paths"]["/api/v1/partners/{slug}/identifiers"]["post"]
    assert add["security"] == [{"TokenAuth": []}]
    assert set(add["responses"]) >= {"201", "401", "403", "404", "409", "422"}
    body = add["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/IdentifierIn")
    remove = schema["paths"]["/api/v1/partners/{slug}/identifiers/{identifier}"]["delete"]
    assert set(remove["responses"]) >= {"204", "401", "403", "404"}
    problem = remove["responses"]["403"]["content"]["application/problem+json"]
    assert problem["schema"]["$ref"].endswith("/Problem")
