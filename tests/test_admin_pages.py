"""Every admin page of every model Adelante registers loads, in English and in Spanish."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from adelante.commitments.models import Commitment, SamePledge
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative
from adelante.partners.models import PartnerMerge
from adelante.progress.models import ProgressReport
from tests.adminforms import sample_record

LANGUAGES = ("en", "es")
DAY_OF_SAMPLE = datetime.date(2022, 6, 7)
#: Models the admin shows but never changes.
READ_ONLY = {ProgressReport, PartnerMerge, SamePledge}


def adelante_models() -> list[Any]:
    return sorted(
        (m for m in admin.site._registry if m.__module__.startswith("adelante.")),
        key=lambda m: m._meta.label,
    )


def url(name: str, language: str, *args: Any) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_every_adelante_model_is_registered() -> None:
    names = {m._meta.label for m in adelante_models()}
    assert names == {
        "catalogue.FocusArea",
        "catalogue.Metric",
        "catalogue.StatementName",
        "commitments.Commitment",
        "commitments.OfficialStatement",
        "commitments.Round",
        "commitments.SamePledge",
        "currency.ExchangeRate",
        "initiatives.Initiative",
        "partners.Partner",
        "partners.PartnerMerge",
        "progress.ProgressReport",
        "workflow.DueDiligenceQuestion",
        "workflow.ReportingSchedule",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("model", adelante_models(), ids=lambda m: m._meta.label)
def test_admin_pages_load(admin_client: Client, model: Any, language: str) -> None:
    sample = sample_record()
    if model is SamePledge:
        _same_pledge(sample["commitment"])
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no sample {model._meta.label}"
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    # Progress reports are shown, never changed, in the admin: the workflow changes them.
    editable = model not in READ_ONLY
    pages = {
        "changelist": url(f"{info}_changelist", language),
        "add": url(f"{info}_add", language),
        "change": url(f"{info}_change", language, obj.pk),
        "history": url(f"{info}_history", language, obj.pk),
    }
    if not editable:
        assert admin_client.get(pages.pop("add")).status_code == 403
    for page, address in pages.items():
        assert address.startswith(f"/{language}/admin/")
        response = admin_client.get(address)
        assert response.status_code == 200, (page, address)
        text = response.content.decode()
        if page in ("add", "change") and editable:
            assert ("Guardar" if language == "es" else "Save") in text, (page, address)
            assert "Reason for this change" in text or language == "es"
        elif page == "change":
            assert 'name="_save"' not in text, (page, address)
        if language == "es":
            assert 'lang="es"' in text
            assert "Administración de Django" not in text  # our own site header
            assert "Adelante" in text
        with translation.override(language):
            names = str(model._meta.verbose_name_plural if page == "changelist" else "")
        assert names.lower() in text.lower()


def _same_pledge(commitment: Commitment) -> None:
    """The sample commitment announced under a second initiative too, linked as it."""
    other = Initiative.objects.create(slug="ocean-pledges", name="Ocean pledges", position=1)
    with scope.within(other):
        again = Commitment.objects.create(
            reference="ocean-nespresso", partner=commitment.partner, announced_on=DAY_OF_SAMPLE
        )
    SamePledge.objects.create(commitment=again, counted_as=commitment, confirmed_on=DAY_OF_SAMPLE)


# Words that are the same in both languages.
SAME_IN_SPANISH = {"alias", "slug", "URL", "Guatemala", "El Salvador", "Honduras"}


@pytest.mark.parametrize("model", adelante_models(), ids=lambda m: m._meta.label)
def test_model_and_field_names_are_translated_to_spanish(model: Any) -> None:
    """The admin shows these names; each needs an entry in its app's Spanish catalogue."""
    inlines = [i.model for i in admin.site._registry[model].inlines]
    untranslated = []
    for each in (model, *inlines):
        texts = [each._meta.verbose_name, each._meta.verbose_name_plural]
        for field in each._meta.get_fields():
            if hasattr(field, "verbose_name") and not field.auto_created:
                texts.append(field.verbose_name)
            texts.extend(label for _, label in getattr(field, "choices", None) or ())
            if getattr(field, "help_text", ""):
                texts.append(field.help_text)
        for text in texts:
            with translation.override("en"):
                english = str(text)
            with translation.override("es"):
                spanish = str(text)
            if english == spanish and english not in SAME_IN_SPANISH:
                untranslated.append(english)
    assert untranslated == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_index_has_the_site_titles(admin_client: Client, language: str) -> None:
    response = admin_client.get(url("admin:index", language))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Adelante" in text
    if language == "es":
        assert "Registro de los compromisos" in text
        assert "Compromisos" in text  # a model's verbose name, translated
    else:
        assert "Record of commitments" in text


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_anonymous_users_are_sent_to_the_login_page(client: Client, language: str) -> None:
    for name in ("admin:index", "admin:commitments_commitment_changelist"):
        address = url(name, language)
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(f"/{language}/admin/login/")
