"""The partners admin: normalised names are derived and stay unique across names and aliases."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from adelante.partners.models import Partner, PartnerAlias
from tests.adminforms import inline_rows, partner, posted

pytestmark = pytest.mark.django_db

ADD = reverse("admin:partners_partner_add")


def new_partner(client: Client, name: str, *aliases: str, **changes: Any) -> Any:
    data = posted(client.get(ADD), name=name, slug="new-partner", type="company", **changes)
    data.update(inline_rows("aliases", [{"name": a} for a in aliases]))
    return client.post(ADD, data)


def test_adding_a_partner_sets_the_normalised_names(admin_client: Client) -> None:
    response = new_partner(
        admin_client,
        "Grupo Éxito, Inc.",
        "Éxito",
        change_reason="Announced at the summit",
    )
    assert response.status_code == 302
    made = Partner.objects.get(slug="new-partner")
    assert made.normalised_name == "grupo exito"
    alias = made.aliases.get()
    assert (alias.name, alias.normalised_name) == ("Éxito", "exito")
    assert made.history.latest().history_change_reason == "Announced at the summit"  # type: ignore[attr-defined]
    assert alias.history.latest().history_change_reason == "Announced at the summit"  # type: ignore[attr-defined]
    assert Partner.objects.named("EXITO").get() == made


def test_renaming_a_partner_renormalises(admin_client: Client) -> None:
    owner = partner("Millicom", "Tigo")
    url = reverse("admin:partners_partner_change", args=[owner.pk])
    response = admin_client.post(url, posted(admin_client.get(url), name="Millicom Inc."))
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.name, owner.normalised_name) == ("Millicom Inc.", "millicom")


@pytest.mark.parametrize(
    ("name", "aliases", "message"),
    [
        ("NESPRESSO, Inc.", (), "is already known by this name"),
        ("Nestle", (), "is already known by this name"),
        ("Someone", ("Nestlé Inc",), "is already known by this name"),
        ("Someone", ("Nespresso",), "is already known by this name"),
        ("Someone", ("Other", "other"), "This alias is given twice."),
        ("Someone", ("someone inc",), "This is the partner&#x27;s own name."),
        ("...", (), "A name needs letters or digits."),
    ],
)
def test_names_that_would_match_another_partner_are_form_errors(
    admin_client: Client, name: str, aliases: tuple[str, ...], message: str
) -> None:
    partner("Nespresso", "Nestlé")
    response = new_partner(admin_client, name, *aliases)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Partner.objects.count() == 1
    assert PartnerAlias.objects.count() == 1


def test_search_by_alias(admin_client: Client) -> None:
    partner("Nespresso", "Nestlé")
    partner("Millicom", "Tigo")
    response = admin_client.get(reverse("admin:partners_partner_changelist"), {"q": "tigo"})
    assert [p.name for p in response.context["cl"].result_list] == ["Millicom"]


def test_commitment_count_is_not_inflated_by_searching_aliases(admin_client: Client) -> None:
    from adelante.commitments.models import Commitment

    owner = partner("Millicom", "Tigo", "Tigo Guatemala", "Tigo Honduras")
    for n in range(2):
        Commitment.objects.create(reference=f"tigo-{n}", partner=owner)
    response = admin_client.get(reverse("admin:partners_partner_changelist"), {"q": "tigo"})
    [found] = response.context["cl"].result_list
    assert found.commitment_count == 2


def test_a_refusal_at_the_save_is_a_message_and_nothing_is_written(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone took the name between the form's check and the save: the edit service, checking
    again as it saves, refuses; the admin says why instead of failing, and writes nothing."""
    from adelante.errors import Invalid
    from adelante.partners import editing

    owner = partner("Millicom", "Tigo")
    url = reverse("admin:partners_partner_change", args=[owner.pk])
    data = posted(admin_client.get(url), name="Millicom Inc.")

    def taken_meanwhile(**kwargs: Any) -> Any:
        raise Invalid(field_errors={"name": ["“Other” is already known by this name."]})

    monkeypatch.setattr(editing, "do_edit_partner", taken_meanwhile)
    response = admin_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "is already known by this name" in response.content.decode()
    owner.refresh_from_db()
    assert owner.name == "Millicom"
