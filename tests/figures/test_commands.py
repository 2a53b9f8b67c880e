"""`adelante figures` and `adelante reconcile` print what the figures module computes."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from adelante.commitments.choices import StatementFigure
from adelante.commitments.models import OfficialStatement
from adelante.figures.committed import committed, committed_by
from tests import builders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 6, 7)


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def record():
    builders.commitment("Alpha", "100.25", DAY, countries={"GT": Decimal(50), "HN": Decimal(50)})
    builders.commitment("Beta", "2000", DAY, countries=[], qualifier="at_least")
    builders.commitment("Gamma", None, DAY, countries=["SV"])
    OfficialStatement.objects.create(
        stated_on=DAY,
        metric="cumulative_committed_usd",
        value=Decimal("3200000000"),
        unit="USD",
        qualifier="at_least",
        source_url="https://example.org/s",
        figure=StatementFigure.COMMITTED_USD,
    )


def test_json_has_the_documented_keys_and_exact_strings(record):
    data = json.loads(run("figures", "--as-of", "2022-06-07", "--format", "json"))
    assert data["as_of"] == "2022-06-07"
    assert data["committed_usd"] == "2100.25"
    assert data["committed_usd"] == str(committed(DAY).amount_usd)
    assert data["committed_qualifier"] == "at_least"
    assert data["commitments"] == 3
    assert data["commitments_without_amount"] == 1
    assert data["partners"] == 3
    assert data["invested_usd"] == "0.00"


def test_json_rows_match_the_breakdown(record):
    data = json.loads(
        run("figures", "--as-of", "2022-06-07", "--by", "country", "--format", "json")
    )
    expected = committed_by("country", DAY)
    assert [(r["key"], r["committed_usd"], r["commitments"]) for r in data["rows"]] == [
        (r.key, str(r.amount_usd), r.commitments) for r in expected.rows
    ]
    assert sum(Decimal(r["committed_usd"]) for r in data["rows"]) == Decimal(data["committed_usd"])


def test_table_and_csv(record):
    table = run("figures", "--as-of", "2022-06-07", "--by", "country")
    assert "at least US$2,100.25" in table
    assert "The region (no country named)" in table
    csv_text = run("figures", "--as-of", "2022-06-07", "--by", "kind", "--format", "csv")
    assert csv_text.splitlines()[0].startswith("key,label,committed_usd")


def test_before_anything_was_announced(record):
    data = json.loads(run("figures", "--as-of", "2020-01-01", "--format", "json"))
    assert data["committed_usd"] == "0.00"
    assert data["commitments"] == 0


def test_a_bad_date_is_a_clear_error():
    with pytest.raises(CommandError, match="is not a date"):
        call_command("figures", "--as-of", "2022-13-45")


def test_reconcile_shows_the_verdict(record):
    data = json.loads(run("reconcile", "--as-of", "2022-06-07", "--format", "json"))
    [row] = data["statements"]
    assert row["computed_value"] == "2100.25"
    assert row["verdict"] == "short"
    assert Decimal(row["verdict_by"]) == Decimal("3200000000") - Decimal("2100.25")
    table = run("reconcile", "--as-of", "2022-06-07")
    assert "more than 3,200,000,000" in table
    assert "record short by at least 3,199,997,899.75" in table
