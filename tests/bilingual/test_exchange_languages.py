"""Imports, exports and the API carry both languages: the Spanish columns go in and come out
unchanged, bad values are refused with nothing written, the API shows both."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from adelante.bilingual import TranslationState
from adelante.catalogue.models import StatementName
from adelante.commitments.models import Commitment, Round
from adelante.exchange import exports
from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.problems import ImportRejected
from adelante.exchange.translations_import import import_translations
from tests.exchange.conftest import commitment, write_csv
from tests.snapshots import load_real_record

pytestmark = pytest.mark.django_db

SPANISH_ROW = commitment(
    partner="Textiles del Valle",
    summary="",
    written_in="es",
    summary_es="Construirá una planta de hilado en Honduras.",
    focus="",
    focus_es="manufactura textil",
    title_es="Planta de hilado",
    round_es="2024-03 Ronda de prueba",
)
ENGLISH_ROW = commitment(
    partner="Acme Textiles",
    summary="Will build a plant.",
    summary_es="Construirá una planta.",
    focus_es="manufactura textil",
)


def exported_commitments() -> list[dict[str, str]]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(exports.csv_zip(None))))
    text = archive.read("commitments.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_import_takes_both_languages_and_the_state_follows(tmp_path):
    import_commitments(write_csv(tmp_path / "c.csv", [SPANISH_ROW, ENGLISH_ROW]))
    spanish = Commitment.objects.get(partner__name="Textiles del Valle")
    assert spanish.written_in == "es"
    assert spanish.summary_es.startswith("Construirá")
    assert spanish.title_es == "Planta de hilado" and spanish.focus_text_es == "manufactura textil"
    # Written in Spanish, no English yet: the translation is missing.
    assert spanish.translation_state == TranslationState.MISSING
    english = Commitment.objects.get(partner__name="Acme Textiles")
    assert english.written_in == "en"
    assert english.translation_state == TranslationState.STAFF
    the_round = Round.objects.get()
    assert the_round.label_es == "2024-03 Ronda de prueba"


def test_export_then_import_gives_the_same_text_in_both_languages(tmp_path):
    import_commitments(write_csv(tmp_path / "c.csv", [SPANISH_ROW, ENGLISH_ROW]))
    first = exported_commitments()
    assert {"round_es", "title_es", "summary_es", "focus_es", "written_in"} <= set(first[0])
    assert {row["translation_state"] for row in first} == {"missing", "staff"}
    Commitment.objects.all().delete()
    Round.objects.all().delete()
    download = write_csv(tmp_path / "again.csv", first)
    result = import_commitments(download)
    assert result.created == 2
    assert exported_commitments() == first


def test_a_bad_language_is_refused_and_nothing_is_written(tmp_path):
    bad = commitment(written_in="fr", translation_state="machine")
    with pytest.raises(ImportRejected) as refused:
        import_commitments(write_csv(tmp_path / "bad.csv", [bad]))
    columns = {p.column for p in refused.value.problems}
    assert columns == {"written_in", "translation_state"}
    assert not Commitment.objects.exists()


def test_a_file_without_the_spanish_columns_leaves_them_as_they_are(tmp_path):
    import_commitments(write_csv(tmp_path / "c.csv", [ENGLISH_ROW]))
    plain = {k: v for k, v in ENGLISH_ROW.items() if not k.endswith("_es")}
    plain["summary"] = "Will build a bigger plant."
    import_commitments(write_csv(tmp_path / "plain.csv", [plain]))
    found = Commitment.objects.get()
    assert found.summary == "Will build a bigger plant."
    assert found.summary_es == "Construirá una planta."


def test_a_translations_file_with_problems_writes_nothing(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "what,key,english,spanish\nsummary,,Will build a plant.,\nstatement,,People,Personas\n"
        "poem,,x,y\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as refused:
        import_translations(path)
    assert len(refused.value.problems) == 3
    assert not StatementName.objects.exists()


def test_the_api_carries_both_languages(client):
    load_real_record()
    accion = Commitment.objects.get(partner__name="Accion")
    body = client.get(f"/api/v1/commitments/{accion.reference}").json()
    assert body["summary"] == accion.summary
    assert body["summary_es"] == accion.summary_es
    assert body["focus_text_es"] == "microfinanzas / inclusión financiera digital"
    assert body["written_in"] == "en" and body["translation_state"] == "staff"
    assert body["round"]["label_es"] == "2021-05 Lanzamiento del Llamado a la Acción"
    rounds = client.get("/api/v1/rounds").json()["results"]
    assert all(r["label_es"] for r in rounds)
    statements = client.get("/api/v1/statements?page_size=100").json()["results"]
    named = {s["metric"]: (s["name_en"], s["name_es"]) for s in statements}
    assert named["people_supported"] == ("People supported", "Personas apoyadas")
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert {"summary_es", "title_es", "written_in", "translation_state"} <= set(
        schema["CommitmentOut"]["properties"]
    )
    assert "name_es" in schema["StatementOut"]["properties"]


def test_a_translations_file_naming_a_statement_twice_creates_it_once(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "what,key,english,spanish\n"
        "statement,people_supported,People supported,Personas apoyadas\n"
        "statement,people_supported,People supported,Personas a las que se apoyó\n",
        encoding="utf-8",
    )
    result = import_translations(path)
    assert (result.created, result.updated) == (1, 1)
    named = StatementName.objects.get()
    assert named.name_es == "Personas a las que se apoyó"
    assert named.translation_state == TranslationState.STAFF
    again = import_translations(path, dry_run=True)
    assert again.updated == 2  # each row would set its own wording again
