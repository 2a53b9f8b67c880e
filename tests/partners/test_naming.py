import pytest

from adelante.partners.naming import normalise, parse_name


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Nestlé S.A.", "nestle"),
        ("Gap Inc.", "gap"),
        ("Grupo Mariposa, S.A. de C.V.", "grupo mariposa"),
        ("JDE Peet's", "jde peet s"),
        ("  Millicom   ", "millicom"),
        ("Procter & Gamble Co.", "procter and gamble"),
        ("Co", "co"),
    ],
)
def test_normalise(written, normalised):
    assert normalise(written) == normalised


def test_alias_in_parentheses():
    name = parse_name("Millicom (Tigo)")
    assert (name.main, name.aliases) == ("Millicom", ("Tigo",))
    assert name.keys() == ("millicom tigo", "millicom", "tigo")


def test_description_in_parentheses_is_part_of_the_name():
    written = "In Her Hands coalition (PCA with CARE, Cargill, Mastercard, Microsoft)"
    name = parse_name(written)
    assert name.main == written and name.aliases == ()
