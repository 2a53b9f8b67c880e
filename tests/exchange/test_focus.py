"""Placing the free-text focus in focus areas by keywords."""

from __future__ import annotations

import pytest

from adelante.exchange.focus import focus_keywords, match_focus, words

KEYWORDS = {
    "women": ["women", "women's", "gender"],
    "finance": ["financial", "bank"],
    "manufacturing": ["auto-parts", "small business"],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("women's financial inclusion / health", {"women", "finance"}),
        ("WOMEN", {"women"}),
        ("Financiación", set()),
        ("banking", set()),  # whole words only: "bank" is not "banking"
        ("Bank", {"finance"}),
        ("auto-parts manufacturing", {"manufacturing"}),
        ("auto parts", {"manufacturing"}),
        ("support for small  businesses", set()),
        ("Small Business support", {"manufacturing"}),
        ("", set()),
    ],
)
def test_match_focus(text, expected):
    assert match_focus(text, KEYWORDS) == expected


def test_words_ignore_accents_case_and_punctuation():
    assert words("Educación / Inglés!") == " educacion ingles "


@pytest.mark.django_db
def test_taxonomy_keywords_are_read_from_the_catalogue():
    keywords = focus_keywords()
    assert len(keywords) == 14
    assert any("telemedicine" in kw for kw in keywords.values())
