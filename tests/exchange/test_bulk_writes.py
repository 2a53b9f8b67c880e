"""New rows written in bulk (`history.insert`) are the rows and history rows that writing them
one by one writes; and an import's number of queries does not grow with its rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from adelante import history
from adelante.commitments.models import Commitment, Round
from adelante.currency.models import ExchangeRate
from adelante.exchange.commitment_rows import COLUMNS
from adelante.exchange.commitments_import import _plan, import_commitments
from adelante.exchange.loading import load_table
from adelante.partners.models import Partner, PartnerAlias
from tests.exchange.conftest import COMMITMENT_COLUMNS, commitment, write_csv

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


def _reset_sequences() -> None:
    """Ids start where the stored rows end (PostgreSQL's sequences are not rolled back)."""
    if connection.vendor != "postgresql":
        return
    models = list(apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _state() -> dict[str, list[Any]]:
    """Every table's rows as stored, sorted; in historical tables without the history id and
    date, but with each row's place among its object's history rows, and the m2m history
    rows pointing at their history row by (object id, place)."""
    state: dict[str, list[Any]] = {}
    places: dict[int, tuple[Any, int]] = {}
    quote = connection.ops.quote_name
    m2m_histories = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            if "m2m_history_id" in columns:
                m2m_histories.append((table, rows))
                continue
            if "history_date" in columns:
                by_object = defaultdict(list)
                for row in rows:
                    by_object[row["id"]].append(row)
                for versions in by_object.values():
                    versions.sort(key=lambda r: (r["history_date"], r["history_id"]))
                    for place, row in enumerate(versions):
                        if table == Commitment.history.model._meta.db_table:
                            places[row["history_id"]] = (row["id"], place)
                        row["place"] = place
                        del row["history_id"], row["history_date"]
            state[table] = sorted((tuple(sorted(r.items())) for r in rows), key=repr)
    for table, rows in m2m_histories:
        for row in rows:
            row["history_id"] = places[row["history_id"]]
            del row["m2m_history_id"]
        state[table] = sorted((tuple(sorted(r.items())) for r in rows), key=repr)
    return state


class _Undo(Exception):
    pass


def _written(path: Path, *, in_bulk: bool, user: Any = None) -> dict[str, list[Any]]:
    """The state after importing the file (in bulk or one by one), then undone."""
    _reset_sequences()
    state: dict[str, list[Any]] = {}
    try:
        with transaction.atomic():
            table = load_table(path, columns=COLUMNS, sheet="commitments")
            plan = _plan(table, False, user, "import test")
            plan.apply("import test", False, in_bulk=in_bulk)
            state = _state()
            raise _Undo
    except _Undo:
        pass
    return state


def test_rows_written_in_bulk_are_those_written_one_by_one(known_record, tmp_path, django_user_model):
    path = every_feature(tmp_path / "all.csv")
    user = django_user_model.objects.create(username="importer")
    before = _state()
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
        if in_bulk[table] != one_by_one[table]:
            for r in sorted(set(in_bulk[table]) ^ set(one_by_one[table]), key=repr): print("BULK" if r in in_bulk[table] else "ONE ", {k: v for k, v in r if k in ("id","place","history_type","reference","status","withdrawn_on","focus_text","summary","history_change_reason","history_user_id")})
        assert in_bulk[table] == one_by_one[table], (table, set(in_bulk[table]) ^ set(one_by_one[table]))


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
    _reset_sequences()
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
