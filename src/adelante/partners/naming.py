"""How organisation names are normalised and matched (documented in docs/import.md)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Legal-form words that do not distinguish one organisation from another.
_LEGAL_FORMS = {
    ("inc",),
    ("ltd",),
    ("llc",),
    ("corp",),
    ("corporation",),
    ("co",),
    ("sa",),
    ("s", "a"),
    ("plc",),
    ("gmbh",),
    ("s", "a", "de", "c", "v"),
    ("sa", "de", "cv"),
}
_PARENTHESISED = re.compile(r"^(?P<main>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*$")


def normalise(name: str) -> str:
    """Accent-free, case-free, punctuation-free form of a name, without legal-form words."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = folded.replace("&", " and ")
    words = re.sub(r"[^\w]+", " ", folded).split()
    stripped = True
    while stripped and len(words) > 1:
        stripped = False
        for form in sorted(_LEGAL_FORMS, key=len, reverse=True):
            if len(words) > len(form) and tuple(words[-len(form) :]) == form:
                del words[-len(form) :]
                stripped = True
                break
    return " ".join(words)


@dataclass(frozen=True)
class NameAsWritten:
    """A name as a source wrote it: the main name and any alias in parentheses."""

    written: str
    main: str
    aliases: tuple[str, ...]

    def keys(self) -> tuple[str, ...]:
        """Normalised names under which this organisation may already be known."""
        seen: list[str] = []
        for candidate in (self.written, self.main, *self.aliases):
            key = normalise(candidate)
            if key and key not in seen:
                seen.append(key)
        return tuple(seen)


def parse_name(written: str) -> NameAsWritten:
    """Split "Millicom (Tigo)" into the main name and its alias.

    Only a short name in parentheses is an alias: "In Her Hands coalition (PCA with CARE,
    Cargill, …)" is a description, so the whole text is the name.
    """
    written = " ".join(written.split())
    match = _PARENTHESISED.match(written)
    if match:
        inner = match.group("inner").strip()
        if "," not in inner and len(inner.split()) <= 3 and " with " not in f" {inner} ":
            return NameAsWritten(written, match.group("main").strip(), (inner,))
    return NameAsWritten(written, written, ())
