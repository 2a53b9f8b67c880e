"""Sanctions lists (SDN sdn.csv + alt.csv, plain names) and screening with recorded decisions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from adelante import errors
from adelante.workflow import intake, sanctions
from adelante.workflow.models import (
    Action,
    Decision,
    ReviewEvent,
    SanctionsEntry,
    SanctionsList,
    SanctionsName,
    ScreeningHit,
)

pytestmark = pytest.mark.django_db


def test_sdn_and_alt_are_read_together(sdn_files):
    parties = {p.external_id: p for p in sanctions.read_sdn(list(sdn_files))}
    assert set(parties) == {"36", "173", "7001", "7002"}
    assert parties["173"].name == "ANGLO-CARIBBEAN CO., LTD."
    assert parties["173"].programs == "CUBA"
    assert parties["173"].entry_type == ""  # "-0-" is OFAC's empty
    assert parties["7002"].entry_type == "individual"
    assert parties["7002"].aliases == [("EJEMPLO COFFEE GROUP", "aka")]
    assert parties["7001"].remarks == "Linked To: SOMEONE."


def test_file_order_does_not_matter(sdn_files):
    sdn, alt = sdn_files
    forwards = sanctions.read_sdn([sdn, alt])
    backwards = sanctions.read_sdn([alt, sdn])
    assert {p.external_id: p.aliases for p in forwards} == {
        p.external_id: p.aliases for p in backwards
    }


def test_import_replaces_the_list_all_or_nothing(sdn_list, sdn_files, tmp_path):
    assert sdn_list.entries == 4 and sdn_list.names == 6
    assert SanctionsName.objects.count() == 6
    broken = tmp_path / "broken.csv"
    broken.write_text('1,"ONLY THREE",x\n')
    with pytest.raises(sanctions.SanctionsError):
        sanctions.import_list("US SDN", "sdn", [broken])
    assert SanctionsEntry.objects.count() == 4
    again = sanctions.import_list("US SDN", "sdn", [sdn_files[0]])
    assert again.replaced == 4
    assert SanctionsName.objects.count() == 4
    assert SanctionsList.objects.count() == 1


def test_an_alias_of_an_unlisted_party_is_refused(sdn_files, tmp_path):
    alt = tmp_path / "alt2.csv"
    alt.write_text('999,1,"aka","NOBODY",-0- \n')
    with pytest.raises(sanctions.SanctionsError, match="999"):
        sanctions.read_sdn([sdn_files[0], alt])


def test_a_ragged_row_is_refused_with_its_line(tmp_path):
    sdn = tmp_path / "sdn.csv"
    sdn.write_text('1,"A",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n2,"B",-0- \n')
    with pytest.raises(sanctions.SanctionsError, match=r"sdn\.csv:2"):
        sanctions.read_sdn([sdn])


def test_names_format(tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("name\nGrupo Ficticio S.A.\n\n  Banco  Imaginario \n")
    summary = sanctions.import_list("Local list", "names", [names])
    assert summary.entries == 2
    assert sorted(SanctionsName.objects.values_list("name", flat=True)) == [
        "Banco Imaginario",
        "Grupo Ficticio S.A.",
    ]


def test_dry_run_writes_nothing(sdn_files):
    summary = sanctions.import_list("US SDN", "sdn", list(sdn_files), dry_run=True)
    assert summary.entries == 4 and "dry run" in str(summary)
    assert not SanctionsList.objects.exists()


def test_command(sdn_files, capsys):
    call_command("import", "sanctions", *map(str, sdn_files), "--list", "US SDN", "--format", "sdn")
    assert "4 listed parties" in capsys.readouterr().out
    assert SanctionsList.objects.get().format == "sdn"
    with pytest.raises(CommandError):
        call_command("import", "sanctions", "/no/such/file.csv", "--list", "X", "--format", "names")


def test_scores():
    # Word order, accents and legal forms do not matter; other names stay apart.
    assert sanctions.score("banco nacional de cuba", "cuba banco nacional de") == 100
    assert sanctions.score("cafe ejemplo", "cafe ejemplo trading") >= sanctions.THRESHOLD
    assert sanctions.score("microsoft", "aerocaribbean airlines") < sanctions.THRESHOLD
    # A one-word name is not a hit for every listed name that contains the word.
    assert sanctions.score("banco", "banco nacional de cuba") < sanctions.THRESHOLD


def test_screening_finds_the_name_and_the_alias(reviewer, under_review, sdn_list):
    run = sanctions.screen(reviewer=reviewer, proposal=under_review)
    assert run.names == ["Café Ejemplo S.A.", "Ejemplo Coffee"]
    assert run.threshold == sanctions.THRESHOLD
    hits = {h.listed_name: h for h in run.hits.all()}
    assert set(hits) == {"CAFE EJEMPLO TRADING", "EJEMPLO COFFEE GROUP"}
    by_alias = hits["EJEMPLO COFFEE GROUP"]
    assert by_alias.screened_name == "Ejemplo Coffee"
    assert by_alias.alias_type == "aka"
    assert by_alias.listed_entry_name == "PEREZ, Juan"
    assert by_alias.list_name == "US SDN" and by_alias.external_id == "7002"
    assert all(h.decision == Decision.PENDING for h in hits.values())
    assert ReviewEvent.objects.get(action=Action.SCREENED).details["hits"] == 2


def test_a_false_positive_is_recorded_with_why(reviewer, under_review, sdn_list):
    run = sanctions.screen(reviewer=reviewer, proposal=under_review)
    hit = run.hits.get(listed_name="CAFE EJEMPLO TRADING")
    with pytest.raises(errors.Invalid):
        sanctions.decide(reviewer=reviewer, hit=hit, decision=Decision.FALSE_POSITIVE, reason="")
    sanctions.decide(
        reviewer=reviewer,
        hit=hit,
        decision=Decision.FALSE_POSITIVE,
        reason="Listed party is a Panamanian trading firm.",
    )
    hit.refresh_from_db()
    assert hit.decision == Decision.FALSE_POSITIVE
    assert hit.decided_by == reviewer and hit.decided_at is not None
    assert hit.history.latest().history_change_reason.startswith("Listed party")
    event = ReviewEvent.objects.get(action=Action.HIT_DECIDED)
    assert event.details["decision"] == "false_positive"
    assert event.details["listed_name"] == "CAFE EJEMPLO TRADING"
    # Still one hit to decide.
    assert "Decide every screening hit." in intake.acceptance_blockers(under_review)


def test_a_true_match_blocks_acceptance(reviewer, under_review, sdn_list):
    run = sanctions.screen(reviewer=reviewer, proposal=under_review)
    for hit in run.hits.all():
        sanctions.decide(
            reviewer=reviewer,
            hit=hit,
            decision=Decision.TRUE_MATCH,
            reason="Same registration number.",
        )
    assert any("true match" in b for b in intake.acceptance_blockers(under_review))


def test_hits_read_the_same_after_the_list_is_imported_again(
    reviewer, under_review, sdn_list, sdn_files
):
    sanctions.screen(reviewer=reviewer, proposal=under_review)
    sanctions.import_list("US SDN", "sdn", [sdn_files[0]])
    assert ScreeningHit.objects.filter(listed_name="EJEMPLO COFFEE GROUP").exists()
    assert ScreeningHit.objects.get(listed_name="CAFE EJEMPLO TRADING").score == Decimal("100.00")


def test_no_list_no_screening(reviewer, under_review):
    with pytest.raises(sanctions.NoLists):
        sanctions.screen(reviewer=reviewer, proposal=under_review)


def test_the_shipped_sample_list_imports(reviewer, under_review):
    from pathlib import Path

    import adelante.workflow

    sample = Path(adelante.workflow.__file__).parent / "data" / "sample-sanctions.csv"
    summary = sanctions.import_list("Sample", "names", [sample])
    assert summary.entries == 4
    run = sanctions.screen(reviewer=reviewer, proposal=under_review)
    assert run.hits.count() == 0
