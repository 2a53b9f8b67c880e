"""Text compared without accents or case: "Nestle", "NESTLÉ" and "nestlé" are the same word.

One database function, `adelante_fold(text)`, folds a text the same way on both databases: it
replaces each accented Latin letter by its plain letter and upper case by lower case, one
character for one (`translate`), so it never depends on the database's locale. On PostgreSQL
it is an SQL function (created by the migration `commitments.0004_accent_insensitive_search`);
on SQLite the same Python function (`fold`) is registered on every new connection. A search
folds what the reader typed with `fold` and compares it with the folded column (`folded_contains`).
A database function rather than a folded copy of each column: every writer (forms, the API,
imports in bulk, the admin) keeps writing the text alone, and nothing can fall out of step.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func, Q
from django.db.models.lookups import Contains

FUNCTION = "adelante_fold"


def _table() -> tuple[str, str]:
    """The letters folded and what each becomes: A-Z, and every letter of Latin-1 and Latin
    Extended-A whose decomposition is one ASCII letter plus accents (é, Ñ, ç, ő …)."""
    source, target = [], []
    for code in range(0x41, 0x250):
        letter = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c)
        )
        if len(base) == 1 and base.isascii() and base.isalpha() and base.lower() != letter:
            source.append(letter)
            target.append(base.lower())
    return "".join(source), "".join(target)


#: `translate(text, FROM_LETTERS, TO_LETTERS)`: the same table in Python and in SQL.
FROM_LETTERS, TO_LETTERS = _table()
_TRANSLATION = str.maketrans(FROM_LETTERS, TO_LETTERS)


def fold(text: str) -> str:
    """The text without accents, in lower case (what `adelante_fold` gives in the database)."""
    if text.isascii():
        # The table's only ASCII letters are A-Z to a-z: lower() is the same, and much faster.
        return text.lower()
    return text.translate(_TRANSLATION)


def postgresql_function() -> str:
    """The SQL that creates (or replaces) `adelante_fold` on PostgreSQL."""
    # Letters only on both sides: nothing to quote.
    return (
        f"CREATE OR REPLACE FUNCTION {FUNCTION}(value text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $$ SELECT translate(value, '{FROM_LETTERS}', '{TO_LETTERS}') $$"
    )


class Folded(Func):
    """A column (or expression) folded in the database."""

    function = FUNCTION
    output_field = CharField()


def folded_contains(field: str, text: str) -> Q:
    """Rows whose `field`, folded, contains `text`, folded (any accents, any case)."""
    return Q(Contains(Folded(field), fold(text)))


def _fold_or_null(value: str | None) -> str | None:
    return None if value is None else fold(value)


def _register(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, _fold_or_null, deterministic=True)


connection_created.connect(_register, dispatch_uid="adelante.folding.register")
