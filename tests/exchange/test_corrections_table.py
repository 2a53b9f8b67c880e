"""The public log of corrections in the bulk downloads: the `corrections` table of every format
(CSV zip and folder, XLSX, JSON, the data package), read through `corrections.log` as the API,
with the same rule-7 treatment; decided by the download's date; the initiative's own."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from adelante.commitments.models import Commitment
from adelante.corrections import deciding
from adelante.corrections.models import Correction, Subject
from adelante.exchange import exports
from adelante.exchange.datapackage import datapackage_zip, descriptor
from adelante.exchange.tables import TABLES
from adelante.initiatives import scope
from tests.corrections.conftest import EMAIL, World, confirmed, make_world, suggest
from tests.exchange.conftest import csv_tables
from tests.second_initiative import SLUG, second_initiative, second_record

pytestmark = pytest.mark.django_db

NAME = "Suggester Name-4d1b"
#: The days decisions are taken on (noon, in the installation's time zone).
FIRST = datetime.date(2024, 3, 4)
LATER = datetime.date(2024, 3, 9)


def on(day: datetime.date) -> Any:
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())
    return time_machine.travel(noon, tick=False)


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def accept_amount(world: World, value: str = "2000000", day: datetime.date = FIRST) -> Correction:
    made = confirmed(key=world.commitment.reference, name=NAME)
    with on(day):
        return deciding.do_accept(
            made, field="amount", value=value, reason="The press release.", by=world.reviewer
        )


def decline(world: World, said: str, day: datetime.date = FIRST, hide: bool = False) -> Correction:
    made = confirmed(key=world.commitment.reference, said=said, name=NAME)
    with on(day):
        return deciding.do_decline(made, reason="Not so.", hide=hide, by=world.reviewer)


def every_format(as_of: datetime.date | None, tmp_path: Any) -> dict[str, list[dict[str, Any]]]:
    """The `corrections` table as each format writes it, as dictionaries keyed by column."""
    found = {
        "csv": csv_tables(b"".join(exports.csv_zip(as_of)))["corrections"],
        "datapackage": csv_tables(b"".join(datapackage_zip(as_of)))["corrections"],
        "json": json.loads("".join(exports.json_stream(as_of)))["tables"]["corrections"],
    }
    folder = tmp_path / f"folder-{as_of}"
    exports.write_csv_folder(folder, as_of)
    with (folder / "corrections.csv").open(encoding="utf-8", newline="") as f:
        found["folder"] = list(csv.DictReader(f))
    book = io.BytesIO()
    exports.write_xlsx(book, as_of)
    sheet = load_workbook(book, read_only=True)["corrections"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    found["xlsx"] = [dict(zip(header, row, strict=True)) for row in rows]
    return found


def empty(value: Any) -> bool:
    return value in ("", None)


def test_a_decided_correction_is_in_every_format_with_what_the_api_says(
    world: World, tmp_path: Any
) -> None:
    made = accept_amount(world)
    api = Client().get("/api/v1/corrections").json()["results"][0]
    for kind, rows in every_format(None, tmp_path).items():
        [row] = rows
        assert int(row["number"]) == made.pk == api["number"], kind
        assert row["subject"] == "commitment" and row["subject_key"] == api["subject_key"], kind
        assert row["name"] == api["name"] and row["said"] == api["said"], kind
        assert (row["accepted"], row["confidential"]) == ("yes", "no"), kind
        assert row["reason"] == api["reason"] == "The press release.", kind
        assert row["field"] == "amount" and row["field_label"] == api["field"]["label"], kind
        assert row["field_label_es"] == "monto", kind
        assert (str(row["old"]), str(row["new"])) == (api["old"], api["new"]), kind
        assert row["decided_at"] == made.decided_at.astimezone(datetime.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ), kind


def test_pending_unconfirmed_and_hidden_ones_are_not_in_it_nor_who_suggested(
    world: World, tmp_path: Any
) -> None:
    key = world.commitment.reference
    suggest(Subject.COMMITMENT, key, said="never confirmed", name=NAME)
    confirmed(key=key, said="still waiting", name=NAME)
    decline(world, "buy cheap watches", hide=True)
    decline(world, "wrong, says the suggester")
    for kind, rows in every_format(None, tmp_path).items():
        assert [r["said"] for r in rows] == ["wrong, says the suggester"], kind
        [row] = rows
        assert row["accepted"] == "no" and row["confidential"] == "no", kind
        assert all(empty(row[c]) for c in ("field", "field_label", "old", "new")), kind
    everything = b"".join(exports.csv_zip(None)) + b"".join(datapackage_zip(None))
    text = "".join(exports.json_stream(None))
    for secret in (EMAIL, NAME, world.reviewer.username):
        assert secret not in text and secret.encode() not in everything


def test_a_confidential_amount_is_empty_and_marked_whatever_it_is(
    world: World, tmp_path: Any
) -> None:
    made = accept_amount(world, value="1500000")
    Commitment.objects.filter(pk=world.commitment.pk).update(
        qualifier="confidential", amount_usd=None
    )
    readings = []
    for secret in ("7777777", "3131313"):
        Correction.objects.filter(pk=made.pk).update(old_value=secret, new_value=f"{secret}5")
        Commitment.objects.filter(pk=world.commitment.pk).update(amount=secret)
        readings.append(
            (
                b"".join(exports.csv_zip(None)),
                "".join(exports.json_stream(None)).split('"tables"')[1],
            )
        )
        for kind, rows in every_format(None, tmp_path).items():
            [row] = rows
            assert row["field"] == "amount" and row["confidential"] == "yes", kind
            assert empty(row["old"]) and empty(row["new"]), kind
        assert secret.encode() not in readings[-1][0] and secret not in readings[-1][1]
    # Non-interference: the same bytes whatever the confidential amount was.
    first, second = readings
    assert csv_tables(first[0]) == csv_tables(second[0]) and first[1] == second[1]
    document = json.loads("".join(exports.json_stream(None)))
    [row] = document["tables"]["corrections"]
    assert (row["old"], row["new"]) == (None, None)


def test_only_decisions_made_by_the_download_s_date(world: World, tmp_path: Any) -> None:
    early = accept_amount(world, day=FIRST)
    late = decline(world, "decided later", day=LATER)
    for kind, rows in every_format(FIRST, tmp_path).items():
        assert [int(r["number"]) for r in rows] == [early.pk], kind
    on_the_day = every_format(LATER, tmp_path)
    assert [int(r["number"]) for r in on_the_day["csv"]] == [early.pk, late.pk]
    assert every_format(FIRST - datetime.timedelta(days=1), tmp_path)["json"] == []
    response = Client().get(f"/downloads/adelante-record-csv.zip?as_of={FIRST}")
    rows = csv_tables(b"".join(response.streaming_content))["corrections"]
    assert [int(r["number"]) for r in rows] == [early.pk]


def test_an_initiative_s_download_has_the_corrections_about_it(world: World) -> None:
    initiative = second_initiative()
    theirs = second_record(initiative)
    mine = accept_amount(world)
    with scope.within(initiative):
        about_theirs = confirmed(key=theirs["kenya"].reference)
        about_the_partner = confirmed(Subject.PARTNER, "nairobi-mills")
        about_their_statement = confirmed(Subject.STATEMENT, str(theirs["statement"].pk))
        about_the_overview = confirmed(Subject.FIGURE, "overview")
        about_kenya = confirmed(Subject.FIGURE, "country:ke")
    for made in (about_theirs, about_the_partner, about_their_statement, about_kenya):
        deciding.do_decline(made, reason="Checked.", by=world.reviewer)
    deciding.do_decline(about_the_overview, reason="Checked.", by=world.reviewer)
    client = Client()

    def numbers(query: str) -> set[int]:
        response = client.get(f"/downloads/adelante-record-csv.zip{query}")
        return {
            int(r["number"])
            for r in csv_tables(b"".join(response.streaming_content))["corrections"]
        }

    assert numbers(f"?initiative={SLUG}") == {
        about_theirs.pk,
        about_the_partner.pk,
        about_their_statement.pk,
        about_kenya.pk,
        about_the_overview.pk,
    }
    assert numbers("") == {mine.pk, about_the_overview.pk}
    with scope.within(scope.ACROSS):
        assert exports.total_rows(None) >= 6
        assert len(list(next(t for t in TABLES if t.name == "corrections").rows(None))) == 6


def test_the_counts_and_the_progress_include_the_corrections(world: World, tmp_path: Any) -> None:
    accept_amount(world)
    decline(world, "no")
    table = next(t for t in TABLES if t.name == "corrections")
    assert table.count(None) == 2 and table.count(FIRST - datetime.timedelta(days=1)) == 0
    total = exports.total_rows(None)
    assert total == sum(t.count(None) for t in TABLES)
    for write in (
        lambda progress: b"".join(exports.csv_zip(None, progress)),
        lambda progress: exports.write_xlsx(io.BytesIO(), None, progress),
        lambda progress: "".join(exports.json_stream(None, progress)),
        lambda progress: exports.write_csv_folder(tmp_path / "f", None, progress),
    ):
        counted: list[int] = []
        write(counted.append)
        assert sum(counted) == total
    out = io.StringIO()
    call_command("export", "csv", "--output", str(tmp_path / "c"), stdout=out)
    assert f"Exported {total} rows" in out.getvalue()
    assert (tmp_path / "c" / "corrections.csv").exists()


# -- The data package still validates ---------------------------------------------------------

#: Frictionless table schema types used by the package, and how each value must read.
PATTERNS = {
    "integer": re.compile(r"^-?[0-9]+$"),
    "date": re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
    "datetime": re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"),
}


def _valid(kind: str, value: str) -> bool:
    if value == "" or kind == "string":
        return True
    if kind == "number":
        try:
            Decimal(value)
        except InvalidOperation:
            return False
        return True
    return bool(PATTERNS[kind].match(value))


def test_the_data_package_describes_the_corrections_and_validates(world: World) -> None:
    accept_amount(world)
    decline(world, "no")
    with zipfile.ZipFile(io.BytesIO(b"".join(datapackage_zip(None)))) as archive:
        package = json.loads(archive.read("datapackage.json"))
        files = {n: archive.read(n).decode() for n in archive.namelist()}
    names = [r["name"] for r in package["resources"]]
    assert "corrections" in names and len(set(names)) == len(names)
    for resource in package["resources"]:
        assert re.fullmatch(r"[a-z0-9._-]+", resource["name"])
        fields = resource["schema"]["fields"]
        rows = list(csv.reader(io.StringIO(files[resource["path"]])))
        assert rows[0] == [f["name"] for f in fields], resource["name"]
        for row in rows[1:]:
            assert len(row) == len(fields)
            for field, value in zip(fields, row, strict=True):
                assert field["type"] in {"string", *PATTERNS, "number"}
                assert _valid(field["type"], value), (resource["name"], field["name"], value)
    corrections = next(r for r in package["resources"] if r["name"] == "corrections")
    assert corrections["title_es"] == "Registro público de correcciones"
    for field in corrections["schema"]["fields"]:
        assert field["title"] and field["title_es"]
    described = {f["name"]: f for f in corrections["schema"]["fields"]}
    assert described["confidential"]["description_es"].startswith("yes cuando")
    dictionary = list(csv.DictReader(io.StringIO(files["data_dictionary.csv"])))
    assert {r["field"] for r in dictionary if r["table"] == "corrections"} == set(described)
    assert descriptor(None)["resources"] == package["resources"]
