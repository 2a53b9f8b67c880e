"""`adelante import record`: the real record shipped with the package, loaded by the exchange
app with the production settings (no demo app); loading it again changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from adelante.commitments.models import Commitment, OfficialStatement
from adelante.exchange.real_record import COMMITMENTS, STATEMENTS

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
    assert run() == [
        f"Imported {COMMITMENTS}: 0 created, 0 updated, 41 unchanged.",
        f"Imported {STATEMENTS}: 0 created, 0 updated, 28 unchanged.",
    ]
    assert Commitment.objects.count() == 41
    assert OfficialStatement.objects.count() == 28


def test_a_dry_run_writes_nothing() -> None:
    lines = run("--dry-run")
    assert f"Dry run, nothing written: {COMMITMENTS} would create 41" in "\n".join(lines)
    assert lines[-1].startswith(f"Dry run, nothing written: {STATEMENTS} would create 28")
    assert not Commitment.objects.exists()
    assert not OfficialStatement.objects.exists()


def test_the_data_ships_inside_the_package() -> None:
    assert COMMITMENTS.is_file() and STATEMENTS.is_file()
    assert COMMITMENTS.parent.parts[-3:] == ("adelante", "demo", "data")
