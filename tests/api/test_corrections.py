"""GET /api/v1/corrections: the public log of decided corrections, through the same functions
as the portal's log (adelante.corrections.log); never who suggested, never a confidential
amount."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from adelante.api.conditional import record_last_changed
from adelante.commitments.models import Commitment
from adelante.corrections import deciding, subjects
from adelante.corrections.models import Correction, Subject
from adelante.operations.local_copies import copies
from tests.api.conftest import get_json
from tests.corrections.conftest import EMAIL, World, confirmed, make_world, suggest

URL = "/api/v1/corrections"
NAME = "Suggester Name-9c2e"


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def _accept_amount(world: World, value: str = "2000000", **data: str) -> Correction:
    made = confirmed(key=world.commitment.reference, **data)
    return deciding.do_accept(
        made, field="amount", value=value, reason="The press release.", by=world.reviewer
    )


def test_a_decision_is_listed_with_what_changed(client: Client, world: World) -> None:
    c = world.commitment
    made = _accept_amount(world, source_url="https://example.org/press")
    [item] = get_json(client, URL)["results"]
    assert item["number"] == made.pk
    assert (item["subject"], item["subject_key"]) == ("commitment", c.reference)
    assert item["url"] == f"http://testserver/en/commitments/{c.reference}/"
    assert item["name"] and item["said"] == "The amount is 2,000,000."
    assert item["source_url"] == "https://example.org/press"
    assert item["accepted"] is True and item["reason"] == "The press release."
    assert item["field"]["code"] == "amount"
    assert item["field"]["label"] == subjects.field_label(Commitment, "amount")
    assert (item["old"], item["new"], item["confidential"]) == ("1000000", "2000000", False)
    assert item["decided_at"] and item["suggested_at"] <= item["decided_at"]


def test_only_public_decisions_are_listed_and_never_who_suggested(
    client: Client, world: World
) -> None:
    key = world.commitment.reference
    suggest(Subject.COMMITMENT, key, said="never confirmed", name=NAME)
    confirmed(key=key, said="still waiting", name=NAME)
    declined = confirmed(key=key, said="wrong, says the suggester", name=NAME)
    spam = confirmed(key=key, said="buy cheap watches", name=NAME)
    deciding.do_decline(declined, reason="The source says 1,000,000.", by=world.reviewer)
    deciding.do_decline(spam, reason="Spam.", hide=True, by=world.reviewer)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert [i["said"] for i in body["results"]] == ["wrong, says the suggester"]
    [item] = body["results"]
    assert item["accepted"] is False and item["field"] is None
    assert (item["old"], item["new"]) == (None, None)
    for secret in (EMAIL, NAME, EMAIL.split("@")[0], world.reviewer.username):
        assert secret.encode() not in response.content
    assert "email" not in item and "name" in item and item["name"] != NAME


def _forget() -> None:
    """Forget the answers kept (a queryset update leaves the record's stamp as it was)."""
    cache.clear()
    copies.clear()


def _log_with_secret(client: Client, made: Correction, secret: str) -> bytes:
    """The log after the correction's values and the commitment's amount are `secret`."""
    Correction.objects.filter(pk=made.pk).update(old_value=secret, new_value=f"{secret}5")
    Commitment.objects.update(amount=secret)
    _forget()
    response = client.get(URL)
    assert response.status_code == 200
    return response.content


def test_a_confidential_amount_is_never_revealed(client: Client, world: World) -> None:
    made = _accept_amount(world, value="1500000")
    Commitment.objects.filter(pk=world.commitment.pk).update(
        qualifier="confidential", amount_usd=None
    )
    # Non-interference: two different confidential values, the same bytes.
    first = _log_with_secret(client, made, "7777777")
    second = _log_with_secret(client, made, "3131313")
    assert first == second
    assert b"7777777" not in first and b"1500000" not in first
    [item] = client.get(URL).json()["results"]
    assert (item["old"], item["new"], item["confidential"]) == (None, None, True)
    assert item["field"]["code"] == "amount" and item["url"]
    # Nor once the commitment is no longer public at all (and then it has no page).
    Commitment.objects.filter(pk=world.commitment.pk).update(qualifier="exact", status="proposed")
    _forget()
    [item] = client.get(URL).json()["results"]
    assert (item["old"], item["new"], item["confidential"]) == (None, None, True)
    assert (item["name"], item["url"]) == (None, None)


def test_newest_decision_first_a_page_at_a_time(client: Client, world: World) -> None:
    made = []
    for said in ("first", "second", "third"):
        made.append(confirmed(key=world.commitment.reference, said=said))
    for correction in made:
        deciding.do_decline(correction, reason="No.", by=world.reviewer)
    first = get_json(client, f"{URL}?page_size=2")
    assert (first["count"], first["pages"], first["previous"]) == (3, 2, None)
    assert [i["said"] for i in first["results"]] == ["third", "second"]
    assert first["next"] == "http://testserver/api/v1/corrections?page_size=2&page=2"
    second = get_json(client, first["next"])
    assert [i["said"] for i in second["results"]] == ["first"] and second["next"] is None
    get_json(client, f"{URL}?page_size=2&page=3", status=404)


def test_filters_by_subject_and_key(client: Client, world: World) -> None:
    figure = confirmed(Subject.FIGURE, "overview", said="the chart")
    deciding.do_accept(figure, field="", value="", reason="Fixed.", by=world.reviewer)
    _accept_amount(world)

    def said(query: str) -> list[str]:
        return [i["said"] for i in get_json(client, f"{URL}?{query}")["results"]]

    assert said("subject=figure") == ["the chart"]
    assert said(f"key={world.commitment.reference}") == ["The amount is 2,000,000."]
    assert said("subject=figure&key=overview") == ["the chart"]
    assert said(f"subject=partner&key={world.commitment.reference}") == []
    [figure_item] = get_json(client, f"{URL}?subject=figure")["results"]
    assert figure_item["name"] == "The overview" and figure_item["field"] is None


def test_a_bad_filter_is_a_422_problem(client: Client, world: World) -> None:
    for query in ("subject=nonsense", "key=a%00b", f"key={'k' * 201}", "page=0", "page_size=0"):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 422, query
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["errors"], query


def test_labels_in_the_requests_language(client: Client, world: World) -> None:
    _accept_amount(world)
    [item] = get_json(client, URL, HTTP_ACCEPT_LANGUAGE="es")["results"]
    assert (item["subject_label"], item["field"]["label"]) == ("compromiso", "monto")
    [english] = get_json(client, URL, HTTP_ACCEPT_LANGUAGE="en")["results"]
    with translation.override("en"):
        assert english["field"]["label"] == subjects.field_label(Commitment, "amount") != "monto"
    assert "/es/commitments/" in item["url"]


def test_a_new_decision_is_read_at_once(client: Client, world: World) -> None:
    first = client.get(URL)
    assert first.json()["count"] == 0
    _accept_amount(world)
    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again.json()["count"] == 1
    assert again["ETag"] != first["ETag"]


def test_last_modified_follows_decisions_not_suggestions(world: World) -> None:
    made = _accept_amount(world)
    decided: Any = made.history.latest("history_date").history_date
    assert record_last_changed() == decided
    confirmed(key=world.commitment.reference, said="a later suggestion")
    assert record_last_changed() == decided
