"""New rows written in bulk (`history.insert`) are the rows and history rows that writing them
one by one writes; and an import's number of queries does not grow with its rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from adelante import history
from adelante.commitments.models import Commitment, Round
from adelante.currency.models import ExchangeRate
from adelante.exchange.commitment_rows import COLUMNS
from adelante.exchange.commitments_import import _plan, import_commitments
from adelante.exchange.loading import load_table
from adelante.partners.models import Partner, PartnerAlias
from tests.exchange.conftest import (
    COMMITMENT_COLUMNS,
    commitment,
    reset_sequences,
    stored_rows,
    write_csv,
)

pytestmark = pytest.mark.django_db

ALL_COLUMNS = (
    *COMMITMENT_COLUMNS,
    "amount",
    "currency",
    "shares",
    "qualifier",
    "kind",
    "title",
    "status",
    "withdrawn_on",
    "relation",
)
DAY = datetime.date(2024, 3, 1)
#: Focus texts matching one focus area, several, or none.
MANY_AREAS = "women's financial inclusion / health, agriculture, renewable energy, digital skills"


def every_feature(path: Path) -> Path:
    """New partners (with aliases), a known partner through its alias (adding another), a
    known round and new ones, shares, focus areas, sources, another currency, qualifiers,
    kinds, titles, a withdrawal, an increase, a second row of a partner in a round."""
    rows = [
        commitment(),
        commitment(
            partner="Nespresso (Nestlé)",
            round="2024-06 Second round",
            announced_on="2024-06-01",
            amount_usd="2500000.50",
            countries="GT;SV",
            shares="GT:60;SV:40",
            focus=MANY_AREAS,
            source_url="https://example.org/nespresso",
        ),
        commitment(
            partner="Tigo (Tigo Guatemala)",
            countries="GT;SV;HN",
            focus="coffee supply chain",
            title="A title",
            kind="lending",
            qualifier="at_least",
        ),
        commitment(
            partner="Banco Uno",
            partner_type="company",
            amount_usd="",
            amount="1000000",
            currency="GTQ",
            countries="REGION",
            focus="banking for small businesses",
            source_url="",
        ),
        commitment(
            partner="Banco Uno",
            amount_usd="",
            countries="HN",
            focus="nothing in the taxonomy",
            status="withdrawn",
            withdrawn_on="2024-05-01",
            source_url="https://example.org/banco-uno-2",
        ),
        commitment(
            round="2024-06 Second round",
            announced_on="2024-06-01",
            relation="increase",
            amount_usd="333.33",
            countries="GT;HN",
            focus=MANY_AREAS,
        ),
    ]
    return write_csv(path, rows, ALL_COLUMNS)


@pytest.fixture
def known_record() -> None:
    millicom = Partner.objects.create(
        name="Millicom", slug="millicom", normalised_name="millicom", type="company"
    )
    PartnerAlias.objects.create(partner=millicom, name="Tigo", normalised_name="tigo")
    Round.objects.create(label="2024-03 Test round", slug="2024-03-01-test", announced_on=DAY)
    ExchangeRate.objects.create(
        currency="GTQ", on=DAY, units_per_usd=Decimal("7.7512"), source="Banguat"
    )


class _Undo(Exception):
    pass


def _written(path: Path, *, in_bulk: bool, user: Any = None) -> dict[str, list[Any]]:
    """The state after importing the file (in bulk or one by one), then undone."""
    reset_sequences()
    state: dict[str, list[Any]] = {}
    try:
        with transaction.atomic():
            table = load_table(path, columns=COLUMNS, sheet="commitments")
            plan = _plan(table, False, user, "import test")
            plan.apply("import test", False, in_bulk=in_bulk)
            state = stored_rows()
            raise _Undo
    except _Undo:
        pass
    return state


def test_rows_written_in_bulk_are_those_written_one_by_one(
    known_record, tmp_path, django_user_model
):
    path = every_feature(tmp_path / "all.csv")
    user = django_user_model.objects.create(username="importer")
    before = stored_rows()
    in_bulk = _written(path, in_bulk=True, user=user)
    one_by_one = _written(path, in_bulk=False, user=user)
    changed = {t for t in in_bulk if in_bulk[t] != before[t]}
    # Every kind of row the import writes is there, with its history.
    assert {
        "partners_partner",
        "partners_historicalpartner",
        "partners_partneralias",
        "partners_historicalpartneralias",
        "commitments_round",
        "commitments_historicalround",
        "commitments_commitment",
        "commitments_historicalcommitment",
        "commitments_commitment_focus_areas",
        "commitments_historicalcommitment_focus_areas",
        "commitments_countryshare",
        "commitments_historicalcountryshare",
        "commitments_source",
        "commitments_historicalsource",
    } <= changed
    for table in sorted(changed | {t for t in one_by_one if one_by_one[t] != before[t]}):
        assert in_bulk[table] == one_by_one[table], table


def test_history_rows_name_the_user_and_reason(known_record, tmp_path, django_user_model):
    path = every_feature(tmp_path / "all.csv")
    user = django_user_model.objects.create(username="importer")
    import_commitments(path, user=user, reason="a reason")
    made = Commitment.history.filter(reference__startswith="2024-03-01-test-acme")
    assert {(h.history_type, h.history_user_id, h.history_change_reason) for h in made} == {
        ("+", user.pk, "a reason"),
        ("~", user.pk, "a reason"),
    }


def _file(path: Path, rows: int) -> Path:
    countries = ("GT", "GT;SV", "REGION", "SV;HN")
    return write_csv(
        path,
        [
            commitment(
                partner=f"Partner {i % 7} (P{i % 7})",
                round=f"Round {i % 3}",
                announced_on=f"2024-0{1 + i % 3}-01",
                amount_usd=str(1000 + i) if i % 4 else "",
                countries=countries[i % 4],
                focus=MANY_AREAS if i % 2 else "coffee",
                source_url=f"https://example.org/{i}",
            )
            for i in range(rows)
        ],
    )


def _queries(path: Path) -> int:
    reset_sequences()
    with CaptureQueriesContext(connection) as captured:
        try:
            with transaction.atomic():
                import_commitments(path)
                raise _Undo
        except _Undo:
            pass
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_rows(tmp_path):
    small = _queries(_file(tmp_path / "small.csv", 20))
    large = _queries(_file(tmp_path / "large.csv", 400))
    assert small == large


def test_insert_takes_the_reason_of_the_enclosing_change():
    with history.change(reason="in a block"):
        (pk,) = history.insert(
            Round, [{"label": "A round", "slug": "a-round", "announced_on": DAY}]
        )
    (record,) = Round.history.filter(id=pk)
    assert (record.history_type, record.history_change_reason) == ("+", "in a block")
    assert Round.objects.get(pk=pk).label == "A round"
