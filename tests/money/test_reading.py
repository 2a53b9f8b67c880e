"""Reading amounts and counts as people type them (adelante.money.reading): every way a
number is written in English or Spanish reads back as the number, and nothing ambiguous is
guessed or read as empty."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adelante.money.formatting import format_number
from adelante.money.reading import Unreadable, read_number

SETTINGS = settings(max_examples=200, deadline=None)
languages = st.sampled_from(["en", "es"])
cents = st.integers(0, 10**14).map(lambda n: Decimal(n).scaleb(-2))
wholes = st.integers(0, 10**12)


def read(text: str, language: str = "en") -> Decimal:
    found = read_number(text, language)
    assert found is not None
    return found.value


@SETTINGS
@given(cents, languages)
def test_what_the_site_shows_reads_back_as_the_same_number(value: Decimal, language: str) -> None:
    # The form shows a stored value formatted; saving it again must not change it.
    assert read(format_number(value, language), language) == value


@SETTINGS
@given(st.integers(1000, 10**12), languages, languages, st.sampled_from([",", ".", " "]))
def test_thousands_in_groups_read_the_same_in_either_language(
    value: int, language: str, written_in: str, mark: str
) -> None:
    text = f"{value:,}".replace(",", mark)
    # One mark once: a thousands group only with the site's mark in both languages (CLDR's
    # en and es-419 both group with ","); a lone "." before three digits is refused.
    if text.count(mark) == 1 and mark == ".":
        with pytest.raises(Unreadable):
            read(text, language)
    else:
        assert read(text, language) == value


@SETTINGS
@given(st.integers(0, 9999), st.integers(0, 9), languages)
def test_a_multiple_in_words(whole: int, tenth: int, language: str) -> None:
    expected = (Decimal(whole) + Decimal(tenth) / 10) * 10**6
    for text in (f"{whole}.{tenth} million", f"{whole},{tenth} millones", f"{whole},{tenth} M"):
        assert read(text, language) == expected
    assert read(f"US$ {whole},{tenth} millones", language) == expected


@SETTINGS
@given(st.text(max_size=30), languages)
def test_any_text_is_read_or_refused_with_a_message_never_empty(text: str, language: str) -> None:
    try:
        found = read_number(text, language)
    except Unreadable as error:
        assert error.message
    else:
        assert (found is None) == (text.strip() == "")
        if found is not None:
            assert found.value == found.value.quantize(Decimal("0.01"))


@SETTINGS
@given(st.integers(1, 999), st.integers(0, 999))
def test_a_lone_group_of_three_after_a_point_is_refused_in_either_language(
    whole: int, three: int
) -> None:
    # The site writes thousands with "," in English and in the region's Spanish (es-419), and
    # "." as the decimal mark: "1,000" is a thousand; "1.000" could be a thousand (as written
    # in Spain) or one, so it is refused with both readings named.
    for language in ("en", "es"):
        assert read(f"{whole},{three:03d}", language) == whole * 1000 + three
        with pytest.raises(Unreadable) as refused:
            read(f"{whole}.{three:03d}", language)
        assert "could be" in refused.value.message or "podría" in refused.value.message


@pytest.mark.parametrize(
    ("text", "language", "expected", "dollars"),
    [
        ("2.500.000", "es", Decimal(2500000), False),
        ("2.500.000", "en", Decimal(2500000), False),
        ("2,500,000", "es", Decimal(2500000), False),
        ("2,5 millones", "es", Decimal(2500000), False),
        ("2.5 million", "en", Decimal(2500000), False),
        ("US$ 2,5 millones", "es", Decimal(2500000), True),
        ("USD 1.234.567,89", "es", Decimal("1234567.89"), True),
        ("3 mil millones", "es", Decimal(3000000000), False),
        ("45", "en", Decimal(45), False),
        ("2,50", "en", Decimal("2.50"), False),
    ],
)
def test_examples(text: str, language: str, expected: Decimal, dollars: bool) -> None:
    found = read_number(text, language)
    assert found is not None and found.value == expected and found.dollars == dollars


@pytest.mark.parametrize(
    "text",
    [
        "99999999999999999999 mil millones",
        "9" * 30,
        "abc",
        "12e3",
        "1.5.3",
        "1,2,3",
        "0,125",
        "2,5 billones",
        "2.5 zillion",
        "1.234,5.6",
    ],
)
def test_refused(text: str) -> None:
    with pytest.raises(Unreadable):
        read_number(text, "es")


def test_the_echo_says_how_it_was_read() -> None:
    found = read_number("US$ 2,5 millones", "es")
    assert found is not None
    assert found.echo(money=True, language="en") == "US$2,500,000"
    assert found.echo(money=False, language="en") == "2,500,000"
