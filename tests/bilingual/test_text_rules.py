"""The rules of text in both languages (`adelante.bilingual`): which language a reader gets,
how a text in the other language is marked, and the translation state that follows."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from adelante.bilingual import (
    Shown,
    TranslationState,
    as_html,
    as_plain,
    humanise_code,
    pick,
    set_texts,
    state_of,
)
from adelante.commitments.models import Commitment, Round

words = st.text(alphabet="abcdefgh <>&\"'éñ", min_size=0, max_size=20)


@given(english=words, spanish=words, language=st.sampled_from(["en", "es", "es-419", "en-gb"]))
def test_a_reader_gets_their_language_where_it_exists(english, spanish, language):
    shown = pick(english, spanish, language)
    mine = spanish if language.startswith("es") else english
    other = english if language.startswith("es") else spanish
    if mine.strip() or not other.strip():
        assert (shown.text, shown.fallback) == (mine, False)
        assert shown.language == language[:2]
    else:
        assert (shown.text, shown.fallback) == (other, True)
        assert shown.language != language[:2]


def test_the_other_language_is_marked_with_lang_and_said_in_words():
    with translation.override("es"):
        html = as_html(pick("Builds a plant.", ""))
        assert html == (
            '<span lang="en" class="other-language">Builds a plant.</span> '
            '<span class="muted">(en inglés)</span>'
        )
        assert as_plain(pick("Builds a plant.", "")) == "Builds a plant. (en inglés)"
        assert as_html(pick("Builds a plant.", "Construye una planta.")) == "Construye una planta."
    with translation.override("en"):
        assert as_plain(pick("", "Construye una planta.")) == "Construye una planta. (in Spanish)"
        assert 'lang="es"' in as_html(pick("", "Construye una planta."))


def test_marked_text_is_escaped():
    html = as_html(Shown("<script>x</script>", "en", True))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in as_html(Shown("<b>", "es", False))


@pytest.mark.parametrize(
    ("english", "spanish", "written_in", "state"),
    [
        (("Title", "Summary"), ("", ""), "en", TranslationState.MISSING),
        (("Title", "Summary"), ("Título", ""), "en", TranslationState.MISSING),
        (("Title", "Summary"), ("Título", "Resumen"), "en", TranslationState.STAFF),
        (("", "Summary"), ("", "Resumen"), "en", TranslationState.STAFF),
        (("", ""), ("Título", "Resumen"), "es", TranslationState.MISSING),
        (("Title", ""), ("Título", "Resumen"), "es", TranslationState.MISSING),
        (("Title", "Summary"), ("Título", "Resumen"), "es", TranslationState.STAFF),
    ],
)
def test_the_state_follows_from_the_texts(english, spanish, written_in, state):
    assert state_of(english, spanish, written_in=written_in, translator="staff") == state


# A new round takes the initiative in scope as its default, which reads the database.
@pytest.mark.django_db
def test_setting_texts_works_out_the_state_and_says_what_changed():
    commitment = Commitment(summary="Builds a plant.", focus_text="textiles")
    assert set_texts(commitment, {"summary_es": "Construye una planta."}, translator="staff") == [
        "summary_es"
    ]  # the focus is not translated yet: still missing
    assert commitment.translation_state == TranslationState.MISSING
    changed = set_texts(commitment, {"focus_text_es": "textiles"}, translator="original")
    assert changed == ["focus_text_es", "translation_state"]
    assert commitment.translation_state == TranslationState.ORIGINAL
    # Nothing new: who translated stays as it was.
    assert set_texts(commitment, {"focus_text_es": "textiles"}, translator="staff") == []
    assert commitment.translation_state == TranslationState.ORIGINAL
    with pytest.raises(ValueError, match="no text column"):
        set_texts(Round(label="x"), {"summary_es": "y"}, translator="staff")


def test_a_code_without_a_name_reads_as_words():
    assert humanise_code("partner_progress_microsoft_people") == "partner progress microsoft people"
