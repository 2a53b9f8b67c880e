"""Figures in the reader's language: Spanish as written in Guatemala, El Salvador and Honduras
(CLDR es_419), large amounts in millions, the exact amount always one step away."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from adelante.money.formatting import cldr_locale, format_number, format_usd, in_millions
from adelante.portal.templatetags.money import usd_compact

amounts = st.decimals(min_value=0, max_value=Decimal("10") ** 13, places=2, allow_nan=False)


def parsed(text: str) -> Decimal:
    """The number in "US$3,641,600,000.50" (both languages write it so)."""
    found = re.search(r"\d[\d,]*(\.\d+)?", text)
    assert found, text
    return Decimal(found.group(0).replace(",", ""))


@given(amount=amounts, language=st.sampled_from(["en", "es"]))
def test_the_exact_amount_reads_back_exactly(amount, language):
    text = format_usd(amount, language)
    assert text.startswith("US$")
    assert parsed(text) == amount


@given(amount=amounts)
def test_spanish_writes_the_regions_way_not_spains(amount):
    assert format_usd(amount, "es") == format_usd(amount, "en")
    assert format_number(amount, "es") == format_number(amount, "en")
    compact = format_usd(amount, "es", compact=True)
    assert "mil millones" not in compact and "de US$" not in compact
    if amount >= 1_000_000:
        # In millions, to a tenth: the rounding is less than half of a hundred thousand.
        millions = parsed(compact)
        assert abs(millions * 1_000_000 - amount) <= 50_000
        assert compact.endswith(("millones", "millón"))


@pytest.mark.parametrize(
    ("amount", "spanish", "english"),
    [
        ("3641600000", "US$3,641.6 millones", "US$3.6 billion"),
        ("558400000", "US$558.4 millones", "US$558.4 million"),
        ("1050000000", "US$1,050 millones", "US$1 billion"),
        ("1000000", "US$1 millón", "US$1 million"),
        ("1500000", "US$1.5 millones", "US$1.5 million"),
        ("999999.50", "US$999,999.50", "US$999,999.50"),
        ("12", "US$12", "US$12"),
    ],
)
def test_known_amounts_in_words(amount, spanish, english):
    assert format_usd(Decimal(amount), "es", compact=True) == spanish
    assert format_usd(Decimal(amount), "en", compact=True) == english


def test_the_exact_amounts_in_full():
    assert format_usd(Decimal("3641600000"), "es") == "US$3,641,600,000"
    assert format_usd(Decimal("1234.5"), "es") == "US$1,234.50"
    assert in_millions(Decimal("558400000"), "es") == "558.4 millones"


def test_the_locale_is_latin_american_spanish():
    assert cldr_locale("es") == "es_419"
    assert cldr_locale("es-419") == "es_419"
    assert cldr_locale("en") == "en"
    with translation.override("es"):
        assert cldr_locale() == "es_419"


def test_an_amount_in_words_carries_the_exact_one():
    with translation.override("es"):
        html = usd_compact(Decimal("1050000000.25"), "at_least")
    assert html.startswith('<data value="1050000000.25" title="al menos US$1,050,000,000.25">')
    assert html.endswith(">al menos US$1,050 millones</data>")
