"""A partner writes its proposal in English or in Spanish, and may give the other language:
its own translation is the original in both languages; without it, the translation is missing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from adelante.bilingual import TranslationState
from adelante.workflow import intake
from adelante.workflow.models import Proposal
from tests.workflow.conftest import good_input
from tests.workflow.test_proposal_views import form_data

pytestmark = pytest.mark.django_db


def test_a_partner_writing_in_spanish_gives_the_spanish_title_and_summary(client, member, partner):
    client.force_login(member)
    url = reverse("workflow:proposal_new", kwargs={"partner": partner.slug})
    form = client.get(url).content.decode()
    assert 'name="written_in"' in form and 'name="summary_es"' in form
    response = client.post(
        url,
        form_data(
            written_in="es",
            title="",
            summary="",
            title_es="Crédito para caficultores",
            summary_es="Capital de trabajo para pequeños productores.",
            action="submit",
        ),
    )
    assert response.status_code == 302
    commitment = Proposal.objects.get().commitment
    assert commitment.written_in == "es"
    assert commitment.title_es == "Crédito para caficultores"
    assert commitment.title == ""
    assert commitment.translation_state == TranslationState.MISSING


def test_the_title_is_required_in_the_language_written_in(member, partner):
    errors = intake.problems(
        good_input(written_in="es", title="Coffee credit", title_es="", summary_es="Resumen"),
        complete=True,
    )
    assert "title_es" in errors and "title" not in errors
    assert "written_in" in intake.problems(good_input(written_in="fr"), complete=False)


def test_a_partner_giving_both_languages_wrote_the_original_in_both(member, partner):
    proposal = intake.create_proposal(
        user=member,
        partner=partner,
        data=good_input(
            title_es="Crédito para caficultores",
            summary_es="Capital de trabajo para 2,000 pequeños caficultores.",
        ),
    )
    commitment = proposal.commitment
    assert commitment.written_in == "en"
    assert commitment.translation_state == TranslationState.ORIGINAL
    assert intake.stored_input(commitment).summary_es.startswith("Capital de trabajo")


def test_bad_language_is_refused_on_the_form(client, member, partner):
    client.force_login(member)
    url = reverse("workflow:proposal_new", kwargs={"partner": partner.slug})
    response = client.post(url, form_data(written_in="fr"))
    assert response.status_code == 400
    assert not Proposal.objects.exists()
