"""Matching partner names: aliases, normalised forms, conflicts and slugs."""

from __future__ import annotations

import pytest

from adelante.exchange.partner_matching import NewPartner, PartnerDirectory
from adelante.exchange.problems import CellError
from adelante.partners.models import Partner, PartnerAlias

pytestmark = pytest.mark.django_db


def make(name, *aliases, slug=None):
    from adelante.partners.naming import normalise

    partner = Partner.objects.create(
        name=name, slug=slug or name.lower(), normalised_name=normalise(name), type="company"
    )
    for alias in aliases:
        PartnerAlias.objects.create(partner=partner, name=alias, normalised_name=normalise(alias))
    return partner


def test_case_accents_punctuation_and_legal_forms_do_not_count():
    gap = make("Gap Inc.", slug="gap")
    directory = PartnerDirectory()
    for written in ("GAP", "Gap, Inc", "gap inc.", "Gáp"):
        match = directory.match(written, 2)
        assert match.partner == gap
        assert match.matched_by == "Gap Inc."


def test_alias_in_parentheses_matches_and_is_learnt():
    millicom = make("Millicom", "Tigo")
    directory = PartnerDirectory()
    match = directory.match("Tigo (Millicom International)", 2)
    assert match.partner == millicom
    assert match.matched_by == "Tigo"
    assert match.new_aliases == ("Tigo (Millicom International)", "Millicom International")
    # Learnt within the same file, so a later row matches by it too.
    assert directory.match("Millicom International", 3).new_aliases == ()


def test_new_partner_and_its_aliases():
    directory = PartnerDirectory()
    match = directory.match("Millicom (Tigo)", 2)
    assert isinstance(match.partner, NewPartner)
    assert (match.partner.name, match.partner.slug, match.partner.normalised_name) == (
        "Millicom",
        "millicom",
        "millicom",
    )
    assert match.partner.aliases == ["Millicom (Tigo)", "Tigo"]
    assert directory.match("Tigo", 5).partner is match.partner


def test_a_long_description_in_parentheses_is_part_of_the_name():
    make("CARE")
    directory = PartnerDirectory()
    match = directory.match("In Her Hands coalition (PCA with CARE, Cargill)", 2)
    assert match.matched_by is None
    assert match.partner.name == "In Her Hands coalition (PCA with CARE, Cargill)"


def test_conflict_between_two_partners():
    make("Nespresso", "Nestlé")
    make("Millicom", "Tigo")
    with pytest.raises(CellError, match="two different partners"):
        PartnerDirectory().match("Tigo (Nestlé)", 2)


def test_new_slugs_are_unique():
    make("Acme", slug="acme")
    directory = PartnerDirectory()
    assert directory.match("ACME Foundation", 2).partner.slug == "acme-foundation"
    make("Other", slug="beta")
    directory = PartnerDirectory()
    assert directory.match("Beta", 2).partner.slug == "beta-2"
    assert directory.match("Beta!!!", 3).partner.slug == "beta-2"
