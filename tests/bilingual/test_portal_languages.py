"""/es/ shows the record's Spanish where it exists; where it does not, the English original
inside lang="en" with a visible "(en inglés)". Pages, workflow screens and reports alike."""

from __future__ import annotations

import datetime

import pytest

from adelante.bilingual import TranslationState
from adelante.catalogue.models import StatementName
from adelante.commitments.models import Commitment, OfficialStatement, Round
from adelante.figures.listing import commitment_lines
from adelante.reports.words import summary
from tests import builders
from tests.bilingual.lang_check import english_texts, mismatches, text_nodes
from tests.snapshots import load_real_record

pytestmark = pytest.mark.django_db

UNTRANSLATED = "Will train 300 nurses in rural clinics of Copán."


@pytest.fixture
def record():
    load_real_record()
    extra = builders.commitment("Clinica Norte", "2000000", datetime.date(2023, 2, 6))
    extra.title = ""
    extra.summary = UNTRANSLATED
    extra.focus_text = "rural health clinics"
    extra.save()
    return extra


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_commitment_reads_in_spanish(client, record):
    accion = Commitment.objects.get(partner__name="Accion")
    page = get(client, f"/es/commitments/{accion.reference}/")
    assert accion.summary_es in page
    assert accion.summary not in page
    assert "“microfinanzas / inclusión financiera digital”" in page
    assert "2021-05 Lanzamiento del Llamado a la Acción" in page
    assert "(en inglés)" not in page
    english = get(client, f"/en/commitments/{accion.reference}/")
    assert accion.summary in english and accion.summary_es not in english


def test_untranslated_text_is_marked_english(client, record):
    page = get(client, f"/es/commitments/{record.reference}/")
    assert (
        f'<p class="lead"><span lang="en" class="other-language">{UNTRANSLATED}</span> '
        '<span class="muted">(en inglés)</span></p>'
    ) in page
    assert '<span lang="en" class="other-language">rural health clinics</span>' in page
    # In the lists too: its name is the start of its summary.
    listing = get(client, "/es/commitments/?q=Copán")
    assert '<span lang="en" class="other-language">Will train 300 nurses' in listing


def test_a_spanish_original_is_marked_spanish_on_english_pages(client, record):
    record.written_in = "es"
    record.summary, record.summary_es = "", "Capacitará a 300 enfermeras en Copán."
    record.save()
    page = get(client, f"/en/commitments/{record.reference}/")
    assert '<span lang="es" class="other-language">Capacitará a 300 enfermeras' in page
    assert "(in Spanish)" in page


def test_statements_and_rounds_are_named_in_spanish(client, record):
    rounds = get(client, "/es/rounds/")
    for the_round in Round.objects.all():
        assert the_round.label_es in rounds
    december = OfficialStatement.objects.filter(
        metric="partner_progress_microsoft_people_in_digital_skills_training"
    ).first()
    assert december is not None
    overview = get(client, "/es/")
    assert "partner progress microsoft" not in overview
    day = Round.objects.get(announced_on=december.stated_on)
    statements = get(client, f"/es/rounds/{day.slug}/")
    assert "Avance del socio (Microsoft): personas en capacitación en habilidades digitales" in (
        statements
    )
    assert "partner_progress_microsoft" not in statements


def test_a_statement_without_a_name_reads_as_english_words(client, record):
    code = "partner_progress_microsoft_people_in_digital_skills_training"
    StatementName.objects.filter(code=code).delete()
    stated = OfficialStatement.objects.get(metric=code)
    day = Round.objects.filter(announced_on=stated.stated_on).first()
    assert day is not None
    page = get(client, f"/es/rounds/{day.slug}/")
    assert (
        '<span lang="en" class="other-language">'
        "partner progress microsoft people in digital skills training</span>"
    ) in page


@pytest.mark.parametrize(
    "path",
    ["/es/", "/es/commitments/", "/es/rounds/", "/es/partners/", "/es/countries/gt/"],
)
def test_no_english_text_of_the_record_outside_lang_en(client, record, path):
    english = english_texts()
    assert UNTRANSLATED in english
    page = get(client, path)
    assert mismatches(page, english) == []


def test_no_english_text_on_any_spanish_commitment_or_round_page(client, record):
    english = english_texts()
    for c in Commitment.objects.all():
        assert mismatches(get(client, f"/es/commitments/{c.reference}/"), english) == [], c
    for r in Round.objects.all():
        assert mismatches(get(client, f"/es/rounds/{r.slug}/"), english) == [], r


def test_the_check_catches_unmarked_english():
    html = (
        '<html lang="es"><p>Will build a plant in Honduras.</p><p lang="en">Fine here.</p></html>'
    )
    assert mismatches(html, ["Will build a plant in Honduras.", "Fine here."]) == [
        "Will build a plant in Honduras."
    ]
    assert text_nodes('<p lang="en">a<br>b</p>') == [("a", "en"), ("b", "en")]


def test_reports_carry_the_spanish_or_say_english(record):
    from django.utils import translation

    lines = {line.reference: line for line in commitment_lines(datetime.date(2023, 3, 1))}
    accion = Commitment.objects.get(partner__name="Accion")
    with translation.override("es"):
        assert summary(lines[accion.reference]).startswith("Se comprometió a dar tres años")
        assert summary(lines[record.reference]) == f"{UNTRANSLATED} (en inglés)"
    with translation.override("en"):
        assert summary(lines[accion.reference]).startswith("Pledged three years")


def test_staff_translation_in_the_admin_sets_the_state(admin_client, record):
    url = f"/en/admin/commitments/round/{record.round_id}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and b'name="label_es"' in page.content
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "translation_state"}
    data.update(label_es="Ronda de prueba", announced_on=record.round.announced_on.isoformat())
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    the_round = Round.objects.get(pk=record.round_id)
    assert the_round.label_es == "Ronda de prueba"
    assert the_round.translation_state == TranslationState.STAFF


def test_a_partners_description_in_both_languages(client, record):
    partner = record.partner
    partner.description = "A network of rural clinics."
    partner.save()
    page = get(client, f"/es/partners/{partner.slug}/")
    assert '<span lang="en" class="other-language">A network of rural clinics.</span>' in page
    partner.description_es = "Una red de clínicas rurales."
    partner.save()
    page = get(client, f"/es/partners/{partner.slug}/")
    assert "Una red de clínicas rurales." in page and "A network of" not in page


def test_search_finds_spanish_words_too(client, record):
    page = get(client, "/es/commitments/?q=caficultores")
    assert "JDE Peet" in page
