"""What official statements state, named in the reader's language (`StatementName`)."""

from __future__ import annotations

from adelante.bilingual import Shown, humanise_code, pick
from adelante.catalogue.models import StatementName


def statement_name(code: str, language: str | None = None) -> Shown:
    """The catalogue's name for a statement's code, in the reader's language; a code the
    catalogue does not name reads as its words, in English ("people supported")."""
    found = StatementName.objects.filter(code=code).first()
    if found is None:
        return pick(humanise_code(code), "", language)
    return pick(found.name_en, found.name_es, language)
