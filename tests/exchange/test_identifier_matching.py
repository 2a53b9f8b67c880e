"""Imports match a partner by organisation identifier first, then by name and alias."""

from __future__ import annotations

from pathlib import Path

import pytest

from adelante.exchange.partner_matching import NewPartner, PartnerDirectory
from adelante.exchange.problems import CellError
from adelante.partners.models import Partner, PartnerAlias, PartnerIdentifier
from adelante.partners.naming import normalise
from tests.exchange.conftest import (
    COMMITMENT_COLUMNS,
    commitment,
    run_import,
    table_counts,
    write_csv,
)

pytestmark = pytest.mark.django_db

NIT = "GT-NIT-75556057"
LEI = "XI-LEI-724500PMK2A2M1SQQ228"
COLUMNS = (*COMMITMENT_COLUMNS, "partner_identifiers")


def make(name: str, *identifiers: str) -> Partner:
    partner = Partner.objects.create(
        name=name, slug=normalise(name).replace(" ", "-"), normalised_name=normalise(name),
        type="company",
    )  # fmt: skip
    for identifier in identifiers:
        PartnerIdentifier.objects.create(
            partner=partner, identifier=identifier, scheme=identifier.rsplit("-", 1)[0]
        )
    return partner


def test_the_identifier_wins_over_a_name_nobody_knows() -> None:
    millicom = make("Millicom", NIT)
    directory = PartnerDirectory()
    match = directory.match("Tigo Guatemala", 2, (NIT,))
    assert match.partner == millicom
    assert match.matched_identifier == NIT
    assert match.new_aliases == ("Tigo Guatemala",)


def test_the_identifier_is_matched_before_the_name() -> None:
    # "Acme" names one partner by name, and another holds the identifier: the identifier
    # decides only if the name is nobody's; here the name is another's, so it is an error.
    make("Acme")
    make("Millicom", NIT)
    with pytest.raises(CellError, match="merge them first"):
        PartnerDirectory().match("Acme", 2, (NIT,))
    # Identifiers of two partners: an error too.
    make("Other", LEI)
    with pytest.raises(CellError, match="two different partners"):
        PartnerDirectory().match("Someone", 2, (NIT, LEI))


def test_unknown_identifiers_are_learnt_by_the_partner_matched_by_name() -> None:
    millicom = make("Millicom")
    directory = PartnerDirectory()
    match = directory.match("Millicom", 2, (NIT,))
    assert match.partner == millicom and match.matched_identifier is None
    assert match.new_identifiers == (NIT,)
    assert directory.new_identifiers == {millicom.pk: [NIT]}
    # A later row of the file matches by the identifier it just learnt.
    assert directory.match("Tigo", 3, (NIT,)).partner == millicom
    planned = directory.match("New Org", 4, (LEI,))
    assert isinstance(planned.partner, NewPartner) and planned.partner.identifiers == [LEI]


def test_an_import_matches_by_identifier_and_writes_new_identifiers(tmp_path: Path) -> None:
    millicom = make("Millicom", NIT)
    rows = [
        commitment(partner="Tigo Guatemala", partner_identifiers="GT-NIT-7555605-7"),
        commitment(partner="Banco Ejemplo", partner_identifiers=LEI, announced_on="2024-03-02"),
    ]
    path = write_csv(tmp_path / "c.csv", rows, COLUMNS)
    dry = run_import("commitments", path, "--dry-run")
    assert "matched by its identifier GT-NIT-75556057" in dry.stdout
    assert f"with identifiers {LEI}" in dry.stdout
    run = run_import("commitments", path)
    assert run.ok, run.stderr
    assert millicom.commitments.count() == 1
    assert PartnerAlias.objects.filter(partner=millicom, name="Tigo Guatemala").exists()
    banco = Partner.objects.get(name="Banco Ejemplo")
    assert list(banco.identifiers.values_list("identifier", "scheme")) == [(LEI, "XI-LEI")]
    assert banco.identifiers.get().history.latest().history_type == "+"


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("XI-LEI-724500PMK2A2M1SQQ229", "check digits"),
        ("US-DOS-1234", "deprecated"),
        ("ZZ-ABC-1", "not an identifier scheme"),
        ("GT-NIT-7555605-8", "check digit"),
    ],
)
def test_a_bad_identifier_rejects_the_file(tmp_path: Path, cell: str, why: str) -> None:
    before = table_counts()
    rows = [commitment(partner_identifiers=cell)]
    run = run_import("commitments", write_csv(tmp_path / "c.csv", rows, COLUMNS))
    assert not run.ok
    assert "partner_identifiers" in run.stderr and why in run.stderr
    assert table_counts() == before


def test_a_reviewers_import_may_match_by_identifier_but_not_add_one(tmp_path: Path) -> None:
    # Adding an identifier is the secretariat administrators' in the admin and the API
    # (partners.editing); the import asks the same rule, so a reviewer's file may not add one.
    from adelante.exchange.commitments_import import import_commitments
    from adelante.exchange.problems import ImportRejected
    from tests.accounts.conftest import make_user

    reviewer = make_user("reviewer", "secretariat-reviewer")
    administrator = make_user("sadmin", "secretariat-admin")
    millicom = make("Millicom", NIT)
    adding = write_csv(
        tmp_path / "adding.csv",
        [commitment(partner="Banco Ejemplo", partner_identifiers=LEI)],
        COLUMNS,
    )
    before = table_counts()
    with pytest.raises(ImportRejected) as refused:
        import_commitments(adding, user=reviewer, reason="a reason")
    assert "partner_identifiers" in str(refused.value)
    assert "Only the secretariat's administrators" in str(refused.value)
    assert table_counts() == before

    # Matching by a known identifier adds nothing: the reviewer's file goes in.
    matching = write_csv(
        tmp_path / "matching.csv",
        [commitment(partner="Tigo Guatemala", partner_identifiers=NIT)],
        COLUMNS,
    )
    import_commitments(matching, user=reviewer, reason="a reason")
    assert millicom.commitments.count() == 1
    assert list(millicom.identifiers.values_list("identifier", flat=True)) == [NIT]

    # The administrator's import of the refused file adds the identifier.
    import_commitments(adding, user=administrator, reason="a reason")
    banco = Partner.objects.get(name="Banco Ejemplo")
    assert list(banco.identifiers.values_list("identifier", flat=True)) == [LEI]
    assert banco.identifiers.get().history.latest().history_user == administrator
