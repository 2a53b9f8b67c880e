"""A proposal names its initiative's countries only (issue 14, item 2): a share for another
country is refused, in the form and by the intake service, with a message that names it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from adelante import errors
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative, InitiativeCountry
from adelante.workflow import intake
from adelante.workflow.forms import ProposalForm
from tests.workflow.conftest import good_input
from tests.workflow.test_proposal_views import form_data

pytestmark = pytest.mark.django_db


def test_the_form_refuses_a_country_outside_the_initiative(client, member, partner):
    client.force_login(member)
    url = reverse("workflow:proposal_new", kwargs={"partner": partner.slug})
    response = client.post(
        url, form_data(countries=["GT", "KE"], share_GT="60", share_HN="", share_KE="40")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Not among the initiative&#x27;s countries (GT, SV, HN): Kenya (KE)." in text
    assert not partner.commitments.exists()


def test_the_form_offers_the_initiatives_countries():
    four = Initiative.objects.create(slug="four", name="Four", position=1)
    for position, code in enumerate(("KE", "GT", "SV", "HN")):
        InitiativeCountry.objects.create(initiative=four, code=code, position=position)
    form = ProposalForm(initiative=four)
    assert [code for code, _ in form.country_choices] == ["KE", "GT", "SV", "HN"]
    assert "share_KE" in form.fields
    assert "share_KE" not in ProposalForm().fields
    bound = ProposalForm(form_data(countries=["KE"], share_GT="", share_HN=""), initiative=four)
    bound.is_valid()
    assert "countries" not in bound.errors


def test_the_service_refuses_it_whatever_the_door(member, partner):
    with pytest.raises(errors.Invalid) as raised:
        intake.create_proposal(
            user=member, partner=partner, data=good_input(countries={"KE": Decimal(100)})
        )
    assert "Kenya (KE)" in " ".join(raised.value.field_errors["countries"])
    kenya = Initiative.objects.create(slug="kenya", name="Kenya first", position=1)
    InitiativeCountry.objects.create(initiative=kenya, code="KE")
    with scope.within(kenya):
        made = intake.create_proposal(
            user=member, partner=partner, data=good_input(countries={"KE": Decimal(100)})
        )
    assert made.commitment.initiative == kenya


def test_a_country_removed_after_the_check_is_refused_under_the_lock(member, partner, monkeypatch):
    # The proposal is checked while Kenya is the initiative's; it is removed before the write
    # (another connection, committed): the check under the initiative's lock refuses it.
    kenya = Initiative.objects.create(slug="kenya", name="Kenya first", position=1)
    for position, code in enumerate(("KE", "TZ")):
        InitiativeCountry.objects.create(initiative=kenya, code=code, position=position)
    held = intake.hold_countries

    def removed_first(initiative_id, codes):
        InitiativeCountry.objects.filter(initiative=kenya, code="KE").delete()
        held(initiative_id, codes)

    monkeypatch.setattr(intake, "hold_countries", removed_first)
    with scope.within(kenya), pytest.raises(errors.Conflict) as raised:
        intake.create_proposal(
            user=member, partner=partner, data=good_input(countries={"KE": Decimal(100)})
        )
    assert raised.value.field_errors["countries"] == [
        "Not among the initiative's countries (removed meanwhile?): Kenya (KE). Nothing was saved."
    ]
    assert not partner.commitments.exists()
