"""The record's text in the reader's language, on every page that shows it (portal, workflow,
reports): `{{ commitment|in_reader_language:"summary" }}` for a record,
`{% bilingual english spanish %}` for a pair of texts read elsewhere (a listing line, a dict).

Where the reader's language is missing, the other one is shown inside an element with its
`lang` and "(en inglés)" after it (`adelante.bilingual.as_html`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from adelante.bilingual import TranslatedText, as_html, as_plain, pick

register = template.Library()


@register.filter
def in_reader_language(record: TranslatedText | None, field: str) -> SafeString:
    """The English column `field` of a record ("summary"), in the reader's language."""
    if record is None:
        return SafeString("")
    return as_html(record.in_language(field))


@register.simple_tag
def bilingual(english: Any, spanish: Any) -> SafeString:
    """A text given in both languages (either may be empty), in the reader's language."""
    return as_html(pick(str(english or ""), str(spanish or "")))


@register.filter
def in_reader_language_plain(record: TranslatedText | None, field: str) -> str:
    """The same as text without markup, for a place that takes none (a page's <title>, an
    <option>): a text in the other language says so after it."""
    return "" if record is None else as_plain(record.in_language(field))
