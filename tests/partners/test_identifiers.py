"""Organisation identifiers: the shipped schemes, and each scheme's format checked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adelante.partners.identifiers import (
    IdentifierError,
    check_identifier,
    check_identifiers,
    lei_check_digits_ok,
    split_identifiers,
)
from adelante.partners.orgid import scheme, schemes


def test_the_region_and_international_schemes_are_shipped() -> None:
    for code in ("GT-NIT", "SV-NIT", "HN-RTN", "NI-CR", "CR-RPJ", "PA-PRP", "US-EIN", "XI-LEI"):
        assert code in schemes()
    assert scheme("gt-nit") is not None
    assert scheme("GT-NIT").name == "Guatemala Tax Identification Number"  # type: ignore[union-attr]
    assert scheme("US-DOS").deprecated  # type: ignore[union-attr]
    assert not scheme("XI-LEI").deprecated  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("GT-NIT-7555605-7", "GT-NIT-75556057"),  # the register's example
        ("gt-nit-1234567-9", "GT-NIT-12345679"),
        ("SV-NIT-0614-030915-112-5", "SV-NIT-06140309151125"),
        ("HN-RTN-05019002058739", "HN-RTN-05019002058739"),
        ("US-EIN-03-0413726", "US-EIN-030413726"),
        ("US-EIN-471850312", "US-EIN-471850312"),
        ("XI-LEI-724500PMK2A2M1SQQ228", "XI-LEI-724500PMK2A2M1SQQ228"),
        ("xi-lei-549300its31qk8vrbq14", "XI-LEI-549300ITS31QK8VRBQ14"),
        ("XI-IATI-IADB", "XI-IATI-IADB"),
        ("CR-RPJ-3-101-123456", "CR-RPJ-3-101-123456"),
    ],
)
def test_good_identifiers_are_kept_in_one_form(written: str, canonical: str) -> None:
    checked = check_identifier(written)
    assert checked.canonical == canonical
    assert checked.canonical.startswith(checked.scheme.code + "-")


def test_a_k_check_character_is_accepted_where_modulus_11_gives_ten() -> None:
    # 1234560: 1*8+2*7+3*6+4*5+5*4+6*3+0*2 = 98; 98 % 11 = 10; 11 - 10 = 1 → check digit 1.
    assert check_identifier("GT-NIT-12345601").canonical == "GT-NIT-12345601"
    # 1000009: 8 + 9*2 = 26; 26 % 11 = 4; 11 - 4 = 7.
    assert check_identifier("GT-NIT-10000097").value == "10000097"
    # 6: 6*2 = 12; 12 % 11 = 1; 11 - 1 = 10, written K.
    assert check_identifier("GT-NIT-6K").canonical == "GT-NIT-6K"
    with pytest.raises(IdentifierError, match="check digit"):
        check_identifier("GT-NIT-60")


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("GT-NIT-7555605-8", "check digit"),
        ("GT-NIT-ABC", "Guatemalan NIT"),
        ("SV-NIT-0614-030915-112", "14 digits"),
        ("HN-RTN-0501900205873", "14 digits"),
        ("US-EIN-12-345678", "9 digits"),
        ("US-EIN-00-1234567", "00"),
        ("XI-LEI-724500PMK2A2M1SQQ229", "check digits"),  # the last digit changed
        ("XI-LEI-724500PMK2A2M1SQQ2", "LEI is"),
        ("US-DOS-12345", "deprecated"),
        ("XI-GRID-grid.1234.5", "deprecated"),
        ("ZZ-ABC-123", "ZZ-ABC"),
        ("12345678", "not an organisation identifier"),
        ("", "empty"),
        ("XI-IATI-a b", "letters, digits"),
        ("XI-IATI-" + "A" * 200, "longer"),
    ],
)
def test_bad_identifiers_are_refused_with_the_reason(written: str, why: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        check_identifier(written)
    assert why in caught.value.message


def test_several_identifiers_in_one_cell() -> None:
    written = "GT-NIT-7555605-7; XI-LEI-724500PMK2A2M1SQQ228,GT-NIT-75556057"
    assert split_identifiers(written) == [
        "GT-NIT-7555605-7",
        "XI-LEI-724500PMK2A2M1SQQ228",
        "GT-NIT-75556057",
    ]
    checked = check_identifiers(split_identifiers(written))
    assert [c.canonical for c in checked] == ["GT-NIT-75556057", "XI-LEI-724500PMK2A2M1SQQ228"]
    with pytest.raises(IdentifierError) as caught:
        check_identifiers(["US-DOS-1", "ZZ-ABC-1"])
    assert "US-DOS" in caught.value.message and "ZZ-ABC" in caught.value.message


_LEI_BODY = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=18, max_size=18)


def _with_check_digits(body: str) -> str:
    # ISO 7064 MOD 97-10: append 00, take 98 - (number % 97).
    number = int("".join(str(int(c, 36)) for c in body + "00"))
    return f"{body}{98 - number % 97:02d}"


@given(_LEI_BODY)
def test_any_lei_with_its_check_digits_is_accepted(body: str) -> None:
    lei = _with_check_digits(body)
    assert lei_check_digits_ok(lei)
    assert check_identifier(f"XI-LEI-{lei}").value == lei


@given(_LEI_BODY, st.integers(min_value=1, max_value=96))
def test_an_lei_with_other_check_digits_is_refused(body: str, shift: int) -> None:
    good = _with_check_digits(body)
    wrong = f"{body}{(int(good[-2:]) + shift) % 97:02d}"
    with pytest.raises(IdentifierError):
        check_identifier(f"XI-LEI-{wrong}")
