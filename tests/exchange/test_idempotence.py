"""Importing the same file again changes nothing; a changed value updates, with history."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adelante.commitments.choices import Relation
from adelante.commitments.models import Commitment, CountryShare
from adelante.exchange.commitments_import import import_commitments
from adelante.money.qualifiers import AmountQualifier
from tests.exchange.conftest import commitment, read_csv, run_import, table_counts, write_csv

pytestmark = pytest.mark.django_db

NEXTIL = "2023-02-06-2023-02-central-america-forward-launch-nextil"


def test_second_import_changes_nothing(real_commitments_csv, real_statements_csv):
    assert run_import("commitments", real_commitments_csv).ok
    assert run_import("statements", real_statements_csv).ok
    before = table_counts()
    again = import_commitments(real_commitments_csv)
    assert run_import("statements", real_statements_csv).ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 41)
    assert dict(again.also_created) == {"partners": 0, "rounds": 0}
    assert table_counts() == before


def test_changed_amount_updates_the_commitment_and_its_history(real_commitments_csv, tmp_path):
    import_commitments(real_commitments_csv)
    rows = read_csv(real_commitments_csv)
    for row in rows:
        if row["partner"] == "Nextil":
            row["amount_usd"] = "42000000"
    changed = write_csv(tmp_path / "corrected.csv", rows)

    result = import_commitments(changed)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 40)
    [row] = [r for r in result.rows if r.changes]
    assert row.key == NEXTIL
    assert row.changes == ("amount", "amount_usd", "countries")
    nextil = Commitment.objects.get(reference=NEXTIL)
    assert nextil.amount_usd == Decimal("42000000.00")
    [guatemala] = nextil.countries.all()
    assert guatemala.amount_usd == Decimal("42000000.00")
    latest, previous = nextil.history.order_by("-history_id")[:2]
    assert latest.history_change_reason == "import corrected.csv"
    assert latest.amount_usd == Decimal("42000000.00")
    assert previous.amount_usd == Decimal("40000000.00")
    assert CountryShare.history.filter(history_change_reason="import corrected.csv").count() == 1
    # Importing the corrected file again changes nothing more.
    before = table_counts()
    assert import_commitments(changed).unchanged == 41
    assert table_counts() == before


def test_second_row_of_a_partner_in_a_round_gets_a_suffix(tmp_path):
    path = write_csv(
        tmp_path / "two.csv",
        [commitment(), commitment(amount_usd="5", summary="A second pledge.")],
    )
    import_commitments(path)
    assert list(
        Commitment.objects.order_by("reference").values_list("reference", "amount_usd")
    ) == [
        ("2024-03-01-2024-03-test-round-acme-textiles", Decimal("1000000.00")),
        ("2024-03-01-2024-03-test-round-acme-textiles-2", Decimal("5.00")),
    ]
    before = table_counts()
    assert import_commitments(path).unchanged == 2
    assert table_counts() == before


def test_optional_columns_missing_from_the_file_leave_staff_edits_alone(real_commitments_csv):
    import_commitments(real_commitments_csv)
    agroamerica = Commitment.objects.get(partner__name="Agroamerica")
    # "More than $100 million": staff record the qualifier and the kind of money.
    agroamerica.qualifier = AmountQualifier.AT_LEAST
    agroamerica.kind = "capital_investment"
    agroamerica.save()
    restated = Commitment.objects.get(partner__name="Nespresso", announced_on="2021-12-13")
    restated.relation = Relation.RESTATEMENT
    restated.save()

    assert import_commitments(real_commitments_csv).unchanged == 41

    agroamerica.refresh_from_db()
    assert (agroamerica.qualifier, agroamerica.kind) == ("at_least", "capital_investment")
    restated.refresh_from_db()
    assert restated.relation == Relation.RESTATEMENT


def test_a_qualifier_column_is_applied(real_commitments_csv, tmp_path):
    import_commitments(real_commitments_csv)
    rows = read_csv(real_commitments_csv)
    # An amount stated exactly in the record (or any amount, in a record without the column).
    changed = next(r for r in rows if r["amount_usd"] and r.get("qualifier", "exact") == "exact")
    changed["qualifier"] = "at_least"
    result = import_commitments(write_csv(tmp_path / "qualified.csv", rows))
    assert result.updated == 1
    reference = Commitment.objects.get(
        partner__name=changed["partner"].split(" (")[0], announced_on=changed["announced_on"]
    )
    assert reference.qualifier == "at_least"


def test_relation_relates_to_the_partners_latest_earlier_commitment(real_commitments_csv, tmp_path):
    rows = read_csv(real_commitments_csv)
    for row in rows:
        row["relation"] = ""
        if row["partner"] == "Nespresso (Nestlé)" and row["announced_on"] == "2021-12-13":
            row["relation"] = "restatement"
        if row["partner"] == "Millicom (Tigo)" and row["announced_on"] == "2023-02-06":
            row["relation"] = "increase"
    import_commitments(write_csv(tmp_path / "related.csv", rows))

    restated = Commitment.objects.get(partner__name="Nespresso", announced_on="2021-12-13")
    assert restated.relation == Relation.RESTATEMENT
    assert restated.relates_to == Commitment.objects.get(
        partner__name="Nespresso", announced_on="2021-05-27"
    )
    increase = Commitment.objects.get(partner__name="Millicom", announced_on="2023-02-06")
    assert increase.relation == Relation.INCREASE
    assert increase.relates_to.announced_on.isoformat() == "2022-06-07"
    assert Commitment.objects.filter(relates_to__isnull=False).count() == 2
