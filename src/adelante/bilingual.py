"""Text of the record in English and Spanish: which language it was written in, whether the
other language exists and who wrote it, and which of the two a reader gets.

The record's free text (a commitment's title, summary and focus as stated, a round's label, a
partner's description, the name of what an official statement states) is stored as a pair of
columns: the existing column holds the English text (`summary`), a `_es` column beside it the
Spanish (`summary_es`). Each record says the language its text was `written_in` and the
`translation_state` of the other language (docs/portal.md, "Text in both languages").

A reader in a language the text lacks gets the original, marked with its language, so that a
screen reader switches voice and a sighted reader sees "(en inglés)"; see `pick`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The two languages of the record and of the portal."""

    EN = "en", _("English")
    ES = "es", _("Spanish")


class TranslationState(models.TextChoices):
    """Where the text in the language it was not written in comes from."""

    #: The author gave both languages (a partner who wrote its own translation).
    ORIGINAL = "original", _("original in both languages")
    #: The secretariat's staff translated the original.
    STAFF = "staff", _("translated by staff")
    #: Only the original exists.
    MISSING = "missing", _("translation missing")


def reader_language(language: str | None = None) -> str:
    """The record language for a page language ("es-419" → "es"; anything else → "en")."""
    code = (language or get_language() or Language.EN).lower()
    return Language.ES if code.startswith(Language.ES) else Language.EN


@dataclass(frozen=True)
class Shown:
    """The text a reader gets, and in which language it is."""

    text: str
    language: str
    """Of `text`: "en" or "es"."""
    fallback: bool
    """True when the reader's language was missing and this is the other one."""


def pick(english: str, spanish: str, language: str | None = None) -> Shown:
    """The text in the reader's language when it exists, else the other one (marked as such)."""
    wanted = reader_language(language)
    mine, other = (spanish, english) if wanted == Language.ES else (english, spanish)
    if mine.strip() or not other.strip():
        return Shown(mine, wanted, False)
    other_language = Language.EN if wanted == Language.ES else Language.ES
    return Shown(other, other_language, True)


def in_which(language: str) -> str:
    """What follows a text shown in the other language: "(en inglés)", "(in Spanish)"."""
    return gettext("(in English)") if language == Language.EN else gettext("(in Spanish)")


def as_plain(shown: Shown) -> str:
    """The text for plain output (a PDF, a CSV cell, the command line): a text in the other
    language says so after it."""
    return f"{shown.text} {in_which(shown.language)}" if shown.fallback else shown.text


def as_html(shown: Shown) -> SafeString:
    """The text for a page, escaped: a text in the other language sits in an element with
    its `lang` (a screen reader reads it with the right voice) and says so after it, in the
    reader's language. Every page, workflow screen and report shows record text this way
    (template tags `in_reader_language` and `bilingual`)."""
    if not shown.fallback:
        return format_html("{}", shown.text)
    return format_html(
        '<span lang="{}" class="other-language">{}</span> <span class="muted">{}</span>',
        shown.language,
        shown.text,
        in_which(shown.language),
    )


def state_of(
    english: tuple[str, ...], spanish: tuple[str, ...], *, written_in: str, translator: str
) -> str:
    """The translation state that follows from a record's texts: missing while any text of
    the original has no counterpart, else `translator` (ORIGINAL or STAFF).

    `english` and `spanish` are the record's texts field by field, in the same order.
    """
    originals, translations = (
        (english, spanish) if written_in == Language.EN else (spanish, english)
    )
    for original, translation in zip(originals, translations, strict=True):
        if original.strip() and not translation.strip():
            return TranslationState.MISSING
    if not any(t.strip() for t in translations):
        return TranslationState.MISSING
    return TranslationState(translator)


def humanise_code(code: str) -> str:
    """A snake_case name read as words ("people_supported" → "people supported"): what an
    official statement is called when the catalogue has no name for it."""
    return code.replace("_", " ").strip()


class TranslatedText(models.Model):
    """What a record with text in both languages says of it (see the module's docstring).

    The record's own `_es` columns stand beside its English columns; the record's model lists
    them in `BILINGUAL_FIELDS` (English column, Spanish column).
    """

    written_in = models.CharField(
        _("written in"),
        max_length=2,
        choices=Language.choices,
        default=Language.EN,
        help_text=_("The language of the original text; the other language is a translation."),
    )
    translation_state = models.CharField(
        _("translation"),
        max_length=10,
        choices=TranslationState.choices,
        default=TranslationState.MISSING,
    )

    BILINGUAL_FIELDS: tuple[tuple[str, str], ...] = ()

    class Meta:
        abstract = True

    def in_language(self, field: str, language: str | None = None) -> Shown:
        """The text of an English column (`summary`) in the reader's language, or the
        original marked with its language."""
        spanish = dict(self.BILINGUAL_FIELDS)[field]
        return pick(str(getattr(self, field) or ""), str(getattr(self, spanish) or ""), language)


def set_texts(record: TranslatedText, texts: dict[str, str], *, translator: str) -> list[str]:
    """Put texts into a record's columns (English or `_es`, as named in its
    `BILINGUAL_FIELDS`) and work out its translation state again; the caller saves.

    The one door for text in both languages: the import, the translations file of the shipped
    record, the partners' proposal form and the admin all come through here. `translator` says
    who wrote the language the record was not written in (ORIGINAL: its author; STAFF).
    Returns the names of the columns that changed, the state included.
    """
    known = {name for pair in record.BILINGUAL_FIELDS for name in pair}
    changed: list[str] = []
    for field, value in texts.items():
        if field not in known:
            raise ValueError(f"{type(record).__name__} has no text column {field!r}")
        if (getattr(record, field) or "") != value:
            setattr(record, field, value)
            changed.append(field)
    state = _state(record, translator)
    # A record nothing changes in keeps the translator it has (ORIGINAL is not made STAFF).
    if (state == TranslationState.MISSING or changed) and record.translation_state != state:
        record.translation_state = state
        changed.append("translation_state")
    return changed


def texts_edited(record: TranslatedText, *, translator: str) -> bool:
    """Work out the translation state again after the texts were set on the record directly
    (an admin form); the caller saves. Returns whether the state changed."""
    state = _state(record, translator)
    if record.translation_state == state:
        return False
    record.translation_state = state
    return True


def text_fields(record: type[TranslatedText] | TranslatedText) -> tuple[str, ...]:
    """Every text column of a record, English and Spanish, and its `written_in`."""
    return (*(name for pair in record.BILINGUAL_FIELDS for name in pair), "written_in")


def _state(record: TranslatedText, translator: str) -> str:
    english = tuple(str(getattr(record, en) or "") for en, _es in record.BILINGUAL_FIELDS)
    spanish = tuple(str(getattr(record, es) or "") for _en, es in record.BILINGUAL_FIELDS)
    return state_of(english, spanish, written_in=record.written_in, translator=translator)
