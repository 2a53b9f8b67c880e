"""Every user-facing string has a Spanish translation, and the compiled catalogue is current."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "adelante"
PO = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="es")


def msgids(cat) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in cat if m.id}


def test_every_message_is_translated_and_none_is_fuzzy():
    missing = [
        m.id
        for m in catalogue()
        if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert missing == []


def test_the_compiled_catalogue_matches_the_source():
    with MO.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for message in catalogue():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular = message.id[0]
            key = singular if message.context is None else f"{message.context}\x04{singular}"
            got = compiled._catalog.get((key, 0))  # type: ignore[attr-defined]
            assert got == message.string[0], singular
        else:
            key = message.id if message.context is None else f"{message.context}\x04{message.id}"
            assert compiled._catalog.get(key) == message.string, message.id  # type: ignore[attr-defined]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogue_covers_every_string_in_the_source(tmp_path):
    """Extract the strings afresh (Django's makemessages) and compare with the catalogue."""
    copy = tmp_path / "adelante"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    shutil.rmtree(copy / "locale")
    (copy / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "es",
            "--no-location",
            "--ignore",
            "*/migrations/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "", "PYTHONPATH": ""},
    )
    with (copy / "locale" / "es" / "LC_MESSAGES" / "django.po").open("rb") as f:
        fresh = read_po(f, locale="es")
    assert msgids(fresh) - msgids(catalogue()) == set()
