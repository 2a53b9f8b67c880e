"""Importing official statements: stored verbatim, month-precision dates, figure mapping."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from adelante.commitments.models import OfficialStatement
from adelante.exchange.statements_import import import_statements
from adelante.exchange.tables import TABLES
from adelante.figures.reconcile import reconcile
from tests.exchange.conftest import STATEMENT_COLUMNS, read_csv, run_import, table_counts, write_csv

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/fact-sheet"


def statement(**cells):
    row = {
        "date": "2023-02-06",
        "metric": "cumulative_committed_usd",
        "value": "4200000000",
        "unit": "USD",
        "qualifier": "at_least",
        "note": "",
        "source_url": SOURCE,
    }
    row.update(cells)
    return row


def test_real_statements(real_statements_csv):
    result = import_statements(real_statements_csv)
    assert result.created == len(read_csv(real_statements_csv)) == 28
    total = OfficialStatement.objects.get(
        stated_on=datetime.date(2023, 2, 6), metric="cumulative_committed_usd"
    )
    assert (total.value, total.unit, total.qualifier, total.figure) == (
        Decimal("4200000000"),
        "USD",
        "at_least",
        "committed_usd",
    )
    figures = dict(OfficialStatement.objects.values_list("metric", "figure").distinct())
    assert figures["new_commitments_usd"] == "round_committed_usd"
    assert figures["companies_and_orgs_with_commitments"] == "partners"
    assert figures["new_companies_committing"] == "round_new_partners"
    assert figures["invested_to_date_usd"] == "invested_usd"
    assert figures["people_supported"] == ""
    before = table_counts()
    assert import_statements(real_statements_csv).unchanged == 28
    assert table_counts() == before


def test_month_precision_date_is_the_last_day_of_the_month(tmp_path):
    path = write_csv(
        tmp_path / "s.csv",
        [
            statement(date="2024-02", value="12.5"),
            statement(date="2023-02", metric="people_supported"),
        ],
    )
    import_statements(path)
    leap = OfficialStatement.objects.get(metric="cumulative_committed_usd")
    assert (leap.stated_on, leap.date_precision, leap.value) == (
        datetime.date(2024, 2, 29),
        "month",
        Decimal("12.5"),
    )
    assert OfficialStatement.objects.get(metric="people_supported").stated_on == datetime.date(
        2023, 2, 28
    )


def test_year_only_statements_import_and_take_their_place_at_the_end_of_the_year(tmp_path):
    # Press reports say "in 2024": ISO 8601 reduced precision, YYYY.
    path = write_csv(tmp_path / "s.csv", [statement(date="2024", value="5000000000")])
    import_statements(path)
    stated = OfficialStatement.objects.get()
    assert (stated.stated_on, stated.date_precision) == (datetime.date(2024, 12, 31), "year")
    # the export writes it back as it came, so the file imports again unchanged
    assert import_statements(path).unchanged == 1
    [row] = list(_statement_rows())
    assert row[0] == "2024"
    # as of a day in 2024 it does not count yet: it is true by the end of its year
    assert reconcile(datetime.date(2024, 12, 30)) == ()
    assert len(reconcile(datetime.date(2024, 12, 31))) == 1


def _statement_rows():
    table = next(t for t in TABLES if t.name == "statements")
    return table.rows(None)


def test_changed_value_updates_with_history(tmp_path):
    import_statements(write_csv(tmp_path / "first.csv", [statement()]))
    result = import_statements(write_csv(tmp_path / "second.csv", [statement(value="4300000000")]))
    assert (result.created, result.updated) == (0, 1)
    assert result.rows[0].changes == ("value",)
    changed = OfficialStatement.objects.get()
    assert changed.value == Decimal("4300000000")
    assert changed.history.latest().history_change_reason == "import second.csv"


def test_figure_column_overrides_and_staff_choice_stays_without_it(tmp_path):
    path = write_csv(
        tmp_path / "s.csv",
        [statement(metric="people_supported", figure="partners")],
        (*STATEMENT_COLUMNS, "figure"),
    )
    import_statements(path)
    assert OfficialStatement.objects.get().figure == "partners"
    # Staff clear it in the admin; a file without the figure column leaves their choice.
    OfficialStatement.objects.update(figure="")
    import_statements(write_csv(tmp_path / "plain.csv", [statement(metric="people_supported")]))
    assert OfficialStatement.objects.get().figure == ""


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"date": "2023-13"}, "date", "not a valid month"),
        ({"date": "Feb 2023"}, "date", "not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"),
        ({"value": "4.2 billion"}, "value", "not a number"),
        ({"value": "-1"}, "value", "negative"),
        ({"value": "0.00001"}, "value", "more than 4 decimal places"),
        ({"qualifier": "more than"}, "qualifier", "not one of exact, at_least"),
        ({"metric": "Cumulative committed"}, "metric", "not a snake_case name"),
        ({"metric": ""}, "metric", "empty"),
        ({"unit": ""}, "unit", "empty"),
        ({"source_url": ""}, "source_url", "empty"),
        ({"figure": "reached"}, "figure", "not one of committed_usd"),
    ],
)
def test_bad_statement(real_record, tmp_path, cells, column, reason):
    path = write_csv(
        tmp_path / "bad.csv",
        [statement(metric="fine_metric"), statement(**cells)],
        (*STATEMENT_COLUMNS, "figure"),
    )
    before = table_counts()
    run = run_import("statements", path)
    assert not run.ok
    [line] = run.stderr.splitlines()
    assert line.startswith(f"{path}:3: {column}: ")
    assert reason in line
    assert table_counts() == before


def test_the_same_statement_twice_in_a_file(tmp_path):
    path = write_csv(tmp_path / "dup.csv", [statement(), statement(value="1")])
    run = run_import("statements", path)
    assert run.stderr == f"{path}:3: metric: the same date, metric and source as line 2\n"
