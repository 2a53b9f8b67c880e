"""The validator catches what it must: a schema error, a bad code, a broken rule."""

from __future__ import annotations

import datetime
import io
import shutil

import pytest
from lxml import etree

from adelante.iati.export import write_activities
from adelante.iati.validation import Validator, read_mappings
from tests import builders
from tests.iati.conftest import IATI

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2024, 7, 1)
GENERATED = datetime.datetime(2024, 7, 1, tzinfo=datetime.UTC)


@pytest.fixture
def exported():
    builders.commitment("Acme", "1000", D(2022, 6, 7), countries=("GT", "HN"), focus=("health",))

    def make():
        out = io.BytesIO()
        write_activities(out, D(2024, 6, 30), generated_at=GENERATED)
        return etree.fromstring(out.getvalue()).getroottree()

    return make


def checks(validator, document):
    return {p.check for p in validator.validate(document, today=TODAY)}


def test_a_clean_export_passes(validator, exported):
    assert validator.validate(exported(), today=TODAY) == []


def test_a_schema_error_is_caught(validator, exported):
    document = exported()
    activity = document.getroot()[0]
    activity.insert(0, etree.Element("not-iati"))
    assert "schema" in checks(validator, document)


def test_a_value_outside_its_codelist_is_caught(validator, exported):
    document = exported()
    document.find(".//activity-status").set("code", "9")
    document.find(".//sector").set("code", "99999")
    document.find(".//recipient-country").set("code", "XX")
    problems = [p for p in validator.codelists(document)]
    assert [p.message.split(" = ")[0] for p in problems] == [
        "//iati-activity/activity-status/@code",
        "//iati-activity/recipient-country/@code",
        "//iati-activity/sector/@code",
    ]


def test_a_code_whose_codelist_is_missing_is_not_passed(tmp_path, exported):
    # A copy of ../shared/iati without the Region codelist.
    copy = tmp_path / "iati"
    shutil.copytree(IATI, copy)
    (copy / "codelists" / "Region.xml").unlink()
    without_region = Validator.from_shared(copy)
    document = exported()
    activity = document.getroot()[0]
    for country in activity.findall("recipient-country"):
        activity.remove(country)
    region = etree.Element("recipient-region", code="389", vocabulary="1")
    activity.find("sector").addprevious(region)
    problems = without_region.codelists(document)
    assert any("codelist Region is not available" in p.message for p in problems)
    assert Validator.from_shared(IATI).codelists(document) == []


def test_percentages_that_do_not_add_up_are_caught(validator, exported):
    document = exported()
    document.find(".//recipient-country").set("percentage", "60")
    problems = validator.validate(document, today=TODAY)
    assert [p.check for p in problems] == ["rule"]
    assert "add up to 110" in problems[0].message


def test_future_and_disordered_dates_are_caught(validator, exported):
    document = exported()
    activity = document.getroot()[0]
    start = activity.find("activity-date")
    start.addnext(etree.Element("activity-date", {"iso-date": "2030-01-01", "type": "2"}))
    start.addnext(etree.Element("activity-date", {"iso-date": "2020-01-01", "type": "3"}))
    messages = [p.message for p in validator.validate(document, today=TODAY)]
    assert any("after planned end" in m for m in messages)
    assert any("2030-01-01 is in the future" in m for m in messages)


def test_the_mapping_covers_the_coded_attributes_the_export_uses():
    paths = {m.path for m in read_mappings(IATI / "codelists" / "mapping.xml")}
    assert {
        "//iati-activity/activity-status/@code",
        "//iati-activity/participating-org/@type",
        "//iati-activity/sector/@code",
        "//iati-activity/transaction/transaction-type/@code",
        "//@xml:lang",
    } <= paths
