"""What makes a large import fast changes nothing it writes or decides: new rows written in
bulk (`history.insert`) are the rows and history rows that writing them one by one writes; the
number of queries does not grow with the rows; the shortcuts of the checks decide as the full
checks do."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify
from hypothesis import example, given, settings
from hypothesis import strategies as st

from adelante import history
from adelante.commitments.models import Commitment, Round
from adelante.currency.models import ExchangeRate
from adelante.exchange import cells
from adelante.exchange.commitment_rows import COLUMNS
from adelante.exchange.commitments_import import _PLAIN_SLUG, _plan, import_commitments
from adelante.exchange.loading import load_table
from adelante.exchange.problems import CellError
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


# The shortcuts of a large import decide as the full checks do.

_SCHEMES = st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "", "http:/"])
_SITES = st.sampled_from(
    [
        "example.org",
        "sub.example.org",
        "localhost",
        "-bad.org",
        "a..b",
        "x",
        "127.0.0.1",
        "[::1]",
        "é.org",
        "user@example.org",
        "example.org:8080",
        "example.org.",
        "xn--bcher-kva.de",
        "",
    ]
)
_RESTS = st.lists(
    st.sampled_from(
        ["/", "/a/page", "?q=1", "#top", " ", "\t", "\x01", "é", ".", "-", "%20", ":", "@"]
    ),
    max_size=4,
).map("".join)
#: Addresses as people write them, right or wrong: a scheme, a site and the rest.
_URLS = st.tuples(_SCHEMES, _SITES, _RESTS).map("".join)


@given(_URLS)
@example("https://example.org/a page")
@example("https://example.org/a\tpage")
@example("https://user@example.org/")
@example("https://example.org:99999/")
@example("https://[::1]/")
@settings(max_examples=300)
def test_a_url_is_accepted_as_the_validator_accepts_it(text):
    try:
        URLValidator(schemes=["http", "https"])(text)
        valid = True
    except ValidationError:
        valid = False
    try:
        cells.url(text, required=False)
        accepted = True
    except CellError:
        accepted = False
    assert accepted == (valid or not text)


@given(st.text(alphabet="abcAB _-é", max_size=12))
def test_a_choice_is_read_as_when_folded(text):
    options = ("new", "in_progress", "a_b")
    try:
        quick = cells.choice(text, options, default="default")
    except CellError:
        quick = None
    folded = re.sub(r"[\s-]+", "_", text.strip().casefold())
    expected = "default" if not text else (folded if folded in options else None)
    assert quick == expected


@given(st.text(alphabet="ab9-_ .Z", max_size=16))
def test_a_plain_slug_is_what_slugify_leaves_as_it_is(text):
    if _PLAIN_SLUG.fullmatch(text):
        assert slugify(text) == text
