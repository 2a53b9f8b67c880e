"""Downloads, exports and imports per initiative (issue 14): `?initiative=` and
`--initiative`, an `initiative` column in the tables, rows imported into the initiative in
scope, and a country not among the initiative's countries a row error."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from adelante.accounts.grants import grant
from adelante.commitments.models import Commitment, OfficialStatement, Round
from adelante.exchange import exports
from adelante.exchange.datapackage import descriptor
from adelante.initiatives import scope
from tests.exchange.conftest import commitment, csv_tables, run_import, table_counts, write_csv
from tests.exchange.workers import work
from tests.second_initiative import (
    NAME,
    NAME_ES,
    SLUG,
    primary_record,
    second_initiative,
    second_record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def both():
    first = primary_record()
    initiative = second_initiative()
    return {"first": first, "second": second_record(initiative), "initiative": initiative}


def test_downloads_are_the_initiatives_with_an_initiative_column(both):
    client = Client()
    response = client.get(f"/downloads/adelante-record-csv.zip?initiative={SLUG}")
    assert response.status_code == 200
    assert f"adelante-{SLUG}-record-csv.zip" in response["Content-Disposition"]
    tables = csv_tables(b"".join(response.streaming_content))
    assert {row["partner"] for row in tables["commitments"]} == {
        "Nairobi Mills",
        "Shared Co",
        "Lake Region Trust",
        "Quetzal Foods",
    }
    assert {row["initiative"] for row in tables["commitments"]} == {SLUG}
    assert [row["initiative"] for row in tables["rounds"]] == [SLUG]
    assert [row["initiative"] for row in tables["statements"]] == [SLUG]
    assert {row["country"] for row in tables["commitment_countries"]} == {"KE", "TZ", "UG", "GT"}
    assert {row["name"] for row in tables["partners"]} == {
        "Nairobi Mills",
        "Shared Co",
        "Lake Region Trust",
        "Quetzal Foods",
    }
    # Without ?initiative=: the primary initiative's, as before.
    first = csv_tables(b"".join(client.get("/downloads/adelante-record-csv.zip").streaming_content))
    assert {row["partner"] for row in first["commitments"]} == {"Shared Co", "Cuscatlan SA"}
    assert {row["initiative"] for row in first["commitments"]} == {"central-america-forward"}
    assert first["statements"] == []
    unknown = client.get("/downloads/adelante-record.json?initiative=nowhere")
    assert unknown.status_code == 404 and "nowhere" in unknown.content.decode()
    page = client.get(f"/en/downloads/?initiative={SLUG}")
    assert page.status_code == 200
    assert f"adelante-record.json?initiative={SLUG}" in page.content.decode()
    assert client.get("/en/downloads/?initiative=nowhere").status_code == 404


def test_the_data_package_is_titled_with_the_initiatives_name(both):
    with scope.within(both["initiative"]):
        package = descriptor(None)
    assert package["title"] == f"Commitments to {NAME}: the published record"
    assert NAME_ES in package["title_es"] and package["name"] == f"adelante-{SLUG}"
    first = descriptor(None)
    assert first["title"] == "Commitments to Central America Forward: the published record"
    assert "Central America Forward" not in package["description"]


def test_export_and_import_round_trip_under_the_initiative(both, tmp_path):
    out = tmp_path / "second.json"
    call_command(
        "export", "json", "--output", str(out), "--initiative", SLUG,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    rows = json.loads(out.read_text())["tables"]["commitments"]
    assert {row["initiative"] for row in rows} == {SLUG} and len(rows) == 4
    folder = tmp_path / "csv"
    call_command(
        "export", "csv", "--output", str(folder), "--initiative", SLUG,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    before = table_counts()
    again = run_import("commitments", folder / "commitments.csv", "--initiative", SLUG)
    assert again.ok, again.stderr
    assert table_counts() == before  # every row unchanged
    statements = run_import("statements", folder / "statements.csv", "--initiative", SLUG)
    assert statements.ok, statements.stderr
    assert OfficialStatement.objects.count() == 1
    # The same file into the primary initiative: refused row by row, nothing written.
    refused = run_import("commitments", folder / "commitments.csv")
    assert not refused.ok and table_counts() == before
    assert f"this row is of the initiative “{SLUG}”" in refused.stderr


def test_an_import_writes_into_the_initiative_in_scope(both, tmp_path):
    path = write_csv(
        tmp_path / "new.csv",
        [
            commitment(partner="Mombasa Port Co", countries="KE;UG", round="2024-04 Pledges"),
            commitment(partner="Shared Co", countries="Tanzania", round="2024-04 Pledges"),
        ],
    )
    run = run_import("commitments", path, "--initiative", SLUG)
    assert run.ok, run.stderr
    made = Commitment.objects.filter(partner__name="Mombasa Port Co").get()
    assert made.initiative == both["initiative"]
    assert made.round.initiative == both["initiative"]
    assert sorted(made.countries.values_list("country", flat=True)) == ["KE", "UG"]
    assert Round.objects.filter(label="2024-04 Pledges").count() == 1
    # The primary initiative has the same round label on the same day: another round there.
    again = run_import(
        "commitments",
        write_csv(tmp_path / "first.csv", [commitment(round="2024-04 Pledges", countries="SV")]),
    )
    assert again.ok, again.stderr
    assert Round.objects.filter(label="2024-04 Pledges").count() == 2


def test_a_country_outside_the_initiative_is_a_row_error_and_nothing_is_written(both, tmp_path):
    before = table_counts()
    path = write_csv(
        tmp_path / "kenya.csv",
        [commitment(partner="Good Co"), commitment(partner="Nairobi Mills", countries="GT;KE")],
    )
    run = run_import("commitments", path)
    assert not run.ok and table_counts() == before
    assert f"{path}:3: countries: KE is not one of the initiative's countries (GT, SV, HN)" in (
        run.stderr
    )
    # Under the second initiative the same row is good, and Honduras is not.
    assert run_import("commitments", path, "--initiative", SLUG).ok
    honduras = write_csv(tmp_path / "hn.csv", [commitment(countries="HN")])
    refused = run_import("commitments", honduras, "--initiative", SLUG)
    assert "HN is not one of the initiative's countries (KE, TZ, UG, GT)" in refused.stderr


def test_an_unknown_initiative_on_the_command_line(both, tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("export", "json", "--output", str(tmp_path / "x.json"), "--initiative", "no")
    assert raised.value.returncode == 2
    assert str(raised.value) == (
        f"No initiative “no”; the initiatives are: central-america-forward, {SLUG}."
    )


def test_the_staff_import_page_chooses_the_initiative(both):
    user = User.objects.create_user("staffer", password="x-password-123")
    grant(user, "secretariat-reviewer")
    client = Client()
    client.force_login(user)
    assert 'name="initiative"' in client.get("/en/staff/import/").content.decode()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(commitment()))
    writer.writeheader()
    writer.writerow(commitment(partner="Kampala Co", countries="UG"))
    data = io.BytesIO(out.getvalue().encode())
    data.name = "commitments.csv"
    started = client.post(
        "/en/staff/import/",
        {"kind": "commitments", "file": data, "initiative": both["initiative"].pk},
    )
    assert started.status_code == 302, started.content
    assert work() == 1
    job_page = client.get(started["Location"])
    assert job_page.context["job"].problems == [] and job_page.context["job"].initiative_id
    client.post(started["Location"] + "confirm/", {"confirm": "1"})
    work()
    assert Commitment.objects.get(partner__name="Kampala Co").initiative == both["initiative"]


def test_exports_of_the_primary_initiative_are_as_before(both):
    """The tables count only the primary initiative's rows when none is named."""
    assert exports.total_rows(None) == exports.total_rows(None)
    with scope.within(both["initiative"]):
        second = exports.total_rows(None)
    assert second != exports.total_rows(None)


def test_the_data_package_and_the_json_say_the_initiatives_currency_for_display(both, tmp_path):
    both["initiative"].display_currency = "KES"
    both["initiative"].save()
    with scope.within(both["initiative"]):
        assert descriptor(None)["display_currency"] == "KES"
    assert descriptor(None)["display_currency"] == "USD"
    out = tmp_path / "second.json"
    call_command(
        "export", "json", "--output", str(out), "--initiative", SLUG,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    assert json.loads(out.read_text())["display_currency"] == "KES"
