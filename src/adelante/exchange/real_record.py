"""The real public record that ships with the package (`adelante import record`).

The commitments and official statements of Central America Forward through February 2023,
compiled from public sources, each row naming its own (adelante/demo/data/, whose README
describes the columns), with staff's Spanish for their text (translations_es.csv). They are
the demo's data, the tests' fallback copy of ../shared/data and an example of the import
formats. They go through the ordinary importers, so importing
them again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.results import ImportResult
from adelante.exchange.statements_import import import_statements
from adelante.exchange.translations_import import import_translations

# Package data, not an app: the folder is named for the demo that first shipped it, and
# README, docs and scripts point at it there.
DATA_DIR = Path(__file__).resolve().parent.parent / "demo" / "data"
COMMITMENTS = DATA_DIR / "commitments.csv"
STATEMENTS = DATA_DIR / "statements.csv"
#: Staff's Spanish for the record's text (rounds, focuses, summaries, statement names).
TRANSLATIONS = DATA_DIR / "translations_es.csv"

#: Each file with its importer, in the order they load: statements do not depend on commitments,
#: but readers of the output expect the commitments first; the translations come last, since
#: they translate the text the others wrote.
FILES: tuple[tuple[Callable[..., ImportResult], Path], ...] = (
    (import_commitments, COMMITMENTS),
    (import_statements, STATEMENTS),
    (import_translations, TRANSLATIONS),
)


def load_real_record() -> list[ImportResult]:
    """Import the shipped commitments and statements, and their Spanish; importing again
    changes nothing."""
    return [importer(path) for importer, path in FILES]
