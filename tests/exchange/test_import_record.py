"""`adelante import record`: the real record shipped with the package, loaded by the exchange
app with the production settings (no demo app); loading it again changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from adelante.bilingual import TranslationState
from adelante.catalogue.models import StatementName
from adelante.commitments.models import Commitment, OfficialStatement, Round
from adelante.exchange.real_record import COMMITMENTS, STATEMENTS, TRANSLATIONS

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("import", "record", *args, stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def test_it_loads_both_files_once() -> None:
    first = run()
    assert first[0].startswith(f"Imported {COMMITMENTS}: 41 created")
    assert first[1].startswith(f"Imported {STATEMENTS}: 28 created")
    assert Commitment.objects.count() == 41
    assert OfficialStatement.objects.count() == 28
    assert first[2].startswith(f"Imported {TRANSLATIONS}: 19 created")
    assert run() == [
        f"Imported {COMMITMENTS}: 0 created, 0 updated, 41 unchanged.",
        f"Imported {STATEMENTS}: 0 created, 0 updated, 28 unchanged.",
        f"Imported {TRANSLATIONS}: 0 created, 0 updated, 97 unchanged.",
    ]
    assert Commitment.objects.count() == 41
    assert OfficialStatement.objects.count() == 28


def test_a_dry_run_writes_nothing() -> None:
    lines = run("--dry-run")
    assert f"Dry run, nothing written: {COMMITMENTS} would create 41" in "\n".join(lines)
    assert f"Dry run, nothing written: {STATEMENTS} would create 28" in "\n".join(lines)
    assert lines[-1].startswith(f"Dry run, nothing written: {TRANSLATIONS}")
    assert not Commitment.objects.exists()
    assert not OfficialStatement.objects.exists()


def test_the_data_ships_inside_the_package() -> None:
    assert COMMITMENTS.is_file() and STATEMENTS.is_file()
    assert COMMITMENTS.parent.parts[-3:] == ("adelante", "demo", "data")


def test_the_whole_record_is_in_spanish_too() -> None:
    """Every commitment's summary and focus, every round and every statement's name has its
    Spanish, marked as translated by staff."""
    run()
    for c in Commitment.objects.all():
        assert c.summary_es and c.focus_text_es, c.reference
        assert c.translation_state == TranslationState.STAFF
        assert c.written_in == "en"
    assert not Round.objects.filter(label_es="").exists()
    assert set(Round.objects.values_list("translation_state", flat=True)) == {"staff"}
    codes = set(OfficialStatement.objects.values_list("metric", flat=True))
    named = dict(StatementName.objects.values_list("code", "name_es"))
    assert codes <= set(named) and all(named.values())
    microsoft = StatementName.objects.get(
        code="partner_progress_microsoft_people_in_digital_skills_training"
    )
    assert microsoft.name_en == "Partner progress (Microsoft): people in digital skills training"
    assert microsoft.name_es.startswith("Avance del socio (Microsoft)")
