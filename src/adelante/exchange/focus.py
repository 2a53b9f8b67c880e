"""Placing a commitment's free-text focus in the focus-area taxonomy, by keywords.

The rule (docs/import.md): a focus area applies when one of its keywords occurs in the focus
text as a whole word or a whole phrase, ignoring case, accents and punctuation. "women's
financial inclusion / health" matches the keywords "women's", "financial" and "health", but
the keyword "bank" does not match "banking" (each form to match is listed as a keyword).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TypeVar

from adelante.catalogue.models import FocusArea

K = TypeVar("K")


@functools.lru_cache(maxsize=65536)
def words(text: str) -> str:
    """Accent-free, case-free words of a text, separated and surrounded by single spaces."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " " + " ".join(re.sub(r"[\W_]+", " ", folded).split()) + " "


def match_focus(text: str, keywords: Mapping[K, Iterable[str]]) -> set[K]:
    """The keys (focus areas) with at least one keyword in the text."""
    haystack = words(text)
    found: set[K] = set()
    for key, candidates in keywords.items():
        for keyword in candidates:
            needle = words(keyword)
            if needle.strip() and needle in haystack:
                found.add(key)
                break
    return found


def focus_keywords() -> dict[int, list[str]]:
    """The keywords of every focus area in the taxonomy, by focus-area id."""
    return {area.pk: area.keyword_list() for area in FocusArea.objects.all()}
