"""Bulk downloads: what they hold, withheld amounts, formula-injection safety, the data
package, the template, the CLI and the pages."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from adelante.commitments.choices import Status
from adelante.exchange import exports
from adelante.exchange.datapackage import datapackage_zip
from adelante.exchange.safety import safe_text, unescape
from adelante.exchange.tables import TABLES
from adelante.exchange.template import choices, write_template
from adelante.figures.ladder import STEPS
from adelante.money.qualifiers import AmountQualifier
from tests import builders
from tests.exchange.conftest import csv_tables

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 1)


@pytest.fixture
def record():
    builders.commitment("Open Co", "100.50", DAY, countries=("GT",))
    builders.commitment("Secret Co", "999999", DAY, qualifier=AmountQualifier.CONFIDENTIAL)
    builders.commitment("Hidden Co", "5", DAY, status=Status.PROPOSED)
    evil = builders.commitment("Evil Co", "1", DAY)
    evil.summary = '=HYPERLINK("http://evil.example","click")'
    evil.title = "+1 more"
    evil.save()


def test_csv_holds_the_published_record_only(record):
    tables = csv_tables(b"".join(exports.csv_zip(None)))
    assert set(tables) == {t.name for t in TABLES}
    partners = {row["partner"] for row in tables["commitments"]}
    assert partners == {"Open Co", "Secret Co", "Evil Co"}
    secret = next(r for r in tables["commitments"] if r["partner"] == "Secret Co")
    assert secret["qualifier"] == "confidential" and secret["amount_usd"] == ""
    assert "999999" not in json.dumps(tables)
    opened = next(r for r in tables["commitments"] if r["partner"] == "Open Co")
    assert opened["amount_usd"] == "100.50" and opened["countries"] == "GT"


def test_the_ladder_and_the_verdicts_are_exported(record):
    tables = csv_tables(b"".join(exports.csv_zip(None)))
    steps = {row["step"]: row for row in tables["delivery_ladder"]}
    assert list(steps) == list(STEPS)
    # Open Co and Evil Co: public amounts; the confidential one counts, with no money
    assert steps["announced"]["commitments"] == "3"
    assert steps["announced"]["committed_usd"] == "101.50"
    assert steps["with_amount"]["commitments"] == "2"
    assert "999999" not in json.dumps(tables)
    assert tables["reconciliation"] == []  # no statement in this record


def test_text_that_looks_like_a_formula_is_quoted(record):
    tables = csv_tables(b"".join(exports.csv_zip(None)))
    evil = next(r for r in tables["commitments"] if r["partner"] == "Evil Co")
    assert evil["summary"].startswith("'=HYPERLINK")
    assert evil["title"] == "'+1 more"
    workbook_file = io.BytesIO()
    exports.write_xlsx(workbook_file, None)
    workbook = load_workbook(workbook_file)
    sheet = workbook["commitments"]
    assert workbook.sheetnames[0] == "commitments"
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        if cells["partner"].value == "Evil Co":
            assert cells["summary"].data_type == "s"
            assert cells["summary"].value.startswith("'=")
        if cells["partner"].value == "Open Co":
            assert cells["amount_usd"].value == pytest.approx(100.5)
    for text in ("=1+1", "+1", "-1", "@x", "\tx", "\rx"):
        assert safe_text(text) == "'" + text and unescape(safe_text(text)) == text
    assert safe_text("fine") == "fine" and unescape("'quoted") == "'quoted"


def test_json_and_as_of(record):
    builders.commitment("Later Co", "7", datetime.date(2025, 1, 1))
    document = json.loads("".join(exports.json_stream(datetime.date(2024, 12, 31))))
    assert document["as_of"] == "2024-12-31"
    partners = {r["partner"] for r in document["tables"]["commitments"]}
    assert "Later Co" not in partners and "Open Co" in partners
    opened = next(r for r in document["tables"]["commitments"] if r["partner"] == "Open Co")
    assert opened["amount_usd"] == "100.50"  # a decimal string, never a float


def test_data_package_is_bilingual(record):
    with zipfile.ZipFile(io.BytesIO(b"".join(datapackage_zip(None)))) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        names = set(archive.namelist())
    assert descriptor["profile"] == "tabular-data-package"
    assert {r["path"] for r in descriptor["resources"]} <= names
    assert "data_dictionary.csv" in names
    for resource in descriptor["resources"]:
        assert resource["title"] and resource["title_es"]
        for field in resource["schema"]["fields"]:
            assert field["title"] and field["title_es"]
            assert ("description" in field) == ("description_es" in field)


def test_template_has_drop_downs_and_examples(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    workbook = load_workbook(path)
    sheet = workbook["commitments"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["partner", "partner_type", "announced_on", "round"]
    assert sheet.max_row >= 4  # examples
    validated = {
        str(v.sqref).split(":")[0].rstrip("0123456789")
        for v in sheet.data_validations.dataValidation
    }
    for name in choices(("GT", "SV", "HN")):
        letter = sheet.cell(row=1, column=header.index(name) + 1).column_letter
        assert letter in validated, name
    assert workbook["lists"].sheet_state == "hidden"


def test_export_command(record, tmp_path):
    for fmt, target in (
        ("csv", tmp_path / "folder"),
        ("csv", tmp_path / "record.zip"),
        ("xlsx", tmp_path / "record.xlsx"),
        ("json", tmp_path / "record.json"),
        ("datapackage", tmp_path / "package.zip"),
        ("template", tmp_path / "template.xlsx"),
    ):
        out = io.StringIO()
        call_command("export", fmt, "--output", str(target), stdout=out, stderr=io.StringIO())
        assert target.exists(), fmt
    assert (tmp_path / "folder" / "commitments.csv").exists()
    out = io.StringIO()
    call_command(
        "export",
        "json",
        "--output",
        str(tmp_path / "old.json"),
        "--as-of",
        "2020-01-01",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert json.loads((tmp_path / "old.json").read_text())["tables"]["commitments"] == []


def test_download_pages(record):
    client = Client()
    page = client.get("/en/downloads/")
    assert page.status_code == 200
    assert b"/downloads/adelante-record-csv.zip" in page.content
    response = client.get("/downloads/adelante-record-csv.zip?as_of=2024-12-31")
    assert response.status_code == 200 and response.streaming
    assert "adelante-2024-12-31-record-csv.zip" in response["Content-Disposition"]
    tables = csv_tables(b"".join(response.streaming_content))
    assert len(tables["commitments"]) == 3
    for url in (
        "/downloads/adelante-record.xlsx",
        "/downloads/adelante-record.json",
        "/downloads/adelante-datapackage.zip",
        "/downloads/template/commitments.xlsx",
    ):
        got = client.get(url)
        # Read to the end: the test client then closes the response (and its file).
        assert got.status_code == 200 and b"".join(got.streaming_content), url
    assert client.get("/downloads/adelante-record.json?as_of=tomorrow").status_code == 400
    assert client.get("/downloads/../settings.py").status_code == 404
    assert client.get("/downloads/passwords.txt").status_code == 404


def test_streamed_csv_keeps_memory_flat(db):
    # The CSV generator yields as it goes: the first chunk comes before the last row is read.
    for n in range(2100):
        builders.partner(f"P{n}")
    lines = exports.csv_lines(next(t for t in TABLES if t.name == "commitments"), None)
    assert next(lines).startswith("reference,partner")
