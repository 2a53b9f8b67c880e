"""The import template and the data dictionary name the initiative's countries (issue 14):
GT, SV, HN for the primary as before, KE, TZ, UG, GT for the second initiative."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from adelante.exchange.datapackage import datapackage_zip
from adelante.initiatives import scope
from tests.second_initiative import SLUG, second_initiative

pytestmark = pytest.mark.django_db


def _sheets(content: bytes) -> tuple[list[str], list[dict[str, str]], dict[str, str]]:
    """The countries' drop-down list, the example rows and the help sheet's notes."""
    book = load_workbook(io.BytesIO(content))
    lists = book["lists"]
    column = next(c[0].column for c in lists.iter_cols() if c[0].value == "countries")
    countries = [
        str(row[0].value) for row in lists.iter_rows(min_row=2, min_col=column, max_col=column)
    ]
    rows = list(book["commitments"].iter_rows(values_only=True))
    examples = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    notes = {
        str(r[0]): str(r[2] or "") for r in book["help"].iter_rows(min_row=2, values_only=True)
    }
    return [c for c in countries if c != "None"], examples, notes


def test_the_primarys_template_is_as_before(client: Client):
    response = client.get("/downloads/template/commitments.xlsx")
    assert response.status_code == 200
    countries, examples, notes = _sheets(b"".join(response.streaming_content))
    assert countries == ["GT", "SV", "HN", "GT;SV", "GT;HN", "SV;HN", "GT;SV;HN", "REGION"]
    assert [e["countries"] for e in examples] == ["GT;HN", "REGION", "GT"]
    assert examples[0]["shares"] == "GT:60;HN:40"
    assert notes["shares"].endswith("e.g. GT:60;HN:40")


def test_another_initiatives_template_names_its_countries(client: Client):
    second_initiative()
    response = client.get(f"/downloads/template/commitments.xlsx?initiative={SLUG}")
    assert response.status_code == 200
    assert f"adelante-{SLUG}-commitments-template.xlsx" in response["Content-Disposition"]
    countries, examples, notes = _sheets(b"".join(response.streaming_content))
    assert countries[:4] == ["KE", "TZ", "UG", "GT"]
    assert "KE;TZ" in countries and countries[-2:] == ["KE;TZ;UG;GT", "REGION"]
    assert not {"SV", "HN"} & set(";".join(countries).split(";"))
    assert [e["countries"] for e in examples] == ["KE;UG", "REGION", "KE"]
    assert examples[0]["shares"] == "KE:60;UG:40"
    assert "KE, TZ, UG, GT" in notes["countries"]
    no_such = client.get("/downloads/template/commitments.xlsx?initiative=nope")
    assert no_such.status_code == 404


def test_the_command_takes_the_initiative(tmp_path):
    second_initiative()
    target = tmp_path / "template.xlsx"
    call_command(
        "export", "template", "--output", str(target), "--initiative", SLUG, stdout=io.StringIO()
    )
    _countries, examples, _notes = _sheets(target.read_bytes())
    assert examples[0]["countries"] == "KE;UG"


def test_the_data_dictionary_names_the_initiatives_countries():
    initiative = second_initiative()
    for within, codes, shares in (
        (initiative, "KE, TZ, UG, GT", "KE:60;UG:40"),
        (scope.PRIMARY, "GT, SV, HN", "GT:60;HN:40"),
    ):
        with scope.within(within):
            content = b"".join(datapackage_zip(None))
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            rows = list(csv.DictReader(io.StringIO(archive.read("data_dictionary.csv").decode())))
        described = {r["field"]: r for r in rows if r["table"] == "commitments"}
        assert described["countries"]["description_en"].startswith(codes)
        assert shares in described["shares"]["description_en"]
        assert described["countries"]["description_es"].startswith(codes)
