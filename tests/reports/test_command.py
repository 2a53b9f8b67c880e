"""`adelante report`: files in every format and language; bad input is a clear message on
stderr and exit status 1."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.reports import extract

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_writes_the_file_and_says_so(record, tmp_path):
    target = tmp_path / "informe.pdf"
    said = run(
        "progress",
        "--as-of",
        "2023-09-30",
        "--lang",
        "es",
        "--format",
        "pdf",
        "--output",
        str(target),
    )
    assert target.read_bytes().startswith(b"%PDF")
    assert "sha256" in said and str(target) in said
    text = extract.pdf_text(target.read_bytes())
    assert "30 de septiembre de 2023" in text


def test_round_by_label_and_partner_by_alias(record, tmp_path):
    from adelante.partners.models import PartnerAlias
    from adelante.partners.naming import normalise

    PartnerAlias.objects.create(
        partner=record["epsilon"].partner, name="EpsiBank", normalised_name=normalise("EpsiBank")
    )
    run("round", "Round of 2023-02-06", "--format", "docx", "--output", str(tmp_path / "r.docx"))
    assert "Epsilon Bank" in extract.docx_text((tmp_path / "r.docx").read_bytes())
    run("partner", "EpsiBank", "--as-of", "2023-09-30", "--output", str(tmp_path / "p.html"))
    assert "Partner scorecard: Epsilon Bank" in (tmp_path / "p.html").read_text()


@pytest.mark.parametrize(
    "args,message",
    [
        (["round", "no-such-round"], "No round is called “no-such-round”"),
        (["partner", "Nobody Inc"], "No partner is called “Nobody Inc”"),
        (["round"], "Name the round."),
        (["progress", "--as-of", "2021-01-01"], "is before the first round (2022-06-07)"),
        (["progress", "--as-of", "2999-01-01"], "is in the future"),
        (["progress", "--recorded-on", "2999-01-01"], "is in the future"),
        (["progress", "--output", "/no/such/folder/report.pdf"], "does not exist"),
        (["progress", "--output", "/"], "it is a folder"),
        (["progress", "--as-of", "2023-13-01"], "is not a date; write it as YYYY-MM-DD"),
        (["round", "Round of 2023-02-06", "--as-of", "2023-03-01"], "the round's own date"),
    ],
)
def test_bad_input_is_a_clear_error(record, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args)


def test_an_empty_record_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no rounds"):
        run("progress", "--output", str(tmp_path / "x.html"))


def test_no_file_is_left_behind_after_an_error(record, tmp_path):
    with pytest.raises(CommandError):
        run("partner", "Nobody", "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.any_database  # its own embedded database
def test_exit_status_and_stderr_from_the_command_line(tmp_path):
    """The real `adelante` executable: message on stderr, status 1 (an empty database)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "adelante.settings",
        "ADELANTE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "DEBUG": "1",
    }
    adelante = os.path.join(os.path.dirname(sys.executable), "adelante")
    subprocess.run(
        [adelante, "migrate", "-v0", "--skip-checks"], env=env, check=True, capture_output=True
    )
    done = subprocess.run(
        [adelante, "report", "round", "nowhere", "--skip-checks"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "No round is called “nowhere”" in done.stderr
    assert done.stdout == ""
