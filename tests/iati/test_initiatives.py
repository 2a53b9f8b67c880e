"""The IATI export per initiative (issue 14): an initiative with KE, TZ, UG and GT has its own
file, valid against the IATI 2.03 schema, named after it, with any ISO recipient country and
no Central American region code."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from lxml import etree

from adelante.iati.codes import region_of
from adelante.iati.export import write_activities
from adelante.initiatives import scope
from tests.second_initiative import (
    NAME,
    NAME_ES,
    SLUG,
    primary_record,
    second_initiative,
    second_record,
)

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2024, 6, 30)
GENERATED = datetime.datetime(2024, 7, 1, 12, 0, tzinfo=datetime.UTC)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def both():
    first = primary_record()
    initiative = second_initiative()
    return {"first": first, "second": second_record(initiative), "initiative": initiative}


def export() -> etree._ElementTree:
    out = io.BytesIO()
    write_activities(out, AS_OF, generated_at=GENERATED)
    return etree.fromstring(out.getvalue()).getroottree()


def by_reference(document) -> dict[str, etree._Element]:
    return {
        a.findtext("iati-identifier").split("-PCA-", 1)[1]: a
        for a in document.getroot().iterchildren("iati-activity")
    }


def narratives(element) -> dict[str, str]:
    return {n.get(XML_LANG, "en"): n.text for n in element.iterchildren("narrative")}


def test_the_initiatives_file_is_valid_and_its_own(both, validator):
    with scope.within(both["initiative"]):
        document = export()
    problems = validator.validate(document, today=GENERATED.date())
    assert problems == [], "\n".join(map(str, problems))
    activities = by_reference(document)
    second = both["second"]
    assert set(activities) == {
        second[k].reference for k in ("kenya", "split", "regional", "guatemala")
    }

    def countries(key: str) -> dict[str, str]:
        element = activities[second[key].reference]
        return {
            c.get("code"): c.get("percentage") for c in element.iterchildren("recipient-country")
        }

    assert countries("kenya") == {"KE": "100"}
    assert countries("split") == {"TZ": "50", "UG": "50"}
    assert countries("guatemala") == {"GT": "100"}
    regional = activities[second["regional"].reference]
    # No DAC region covers Kenya, Tanzania, Uganda and Guatemala together: not 389 but the
    # initiative's own region, in the reporting organisation's vocabulary.
    assert regional.find("recipient-country") is None
    region = regional.find("recipient-region")
    assert (region.get("code"), region.get("vocabulary"), region.get("percentage")) == (
        SLUG,
        "99",
        "100",
    )
    assert narratives(region)["en"] == f"{NAME}: Kenya, Tanzania, Uganda and Guatemala"
    general = narratives(regional.find("description[@type='1']"))
    assert "Kenya, Tanzania, Uganda and Guatemala" in general["en"]
    kenya = activities[second["kenya"].reference]
    title = narratives(kenya.find("title"))
    assert title["en"] == second["kenya"].title  # the record's own title, where written
    text = etree.tostring(document, encoding="unicode")
    assert "Central America Forward" not in text
    assert NAME in narratives(kenya.find("description[@type='1']"))["en"]
    assert NAME_ES in narratives(kenya.find("description[@type='1']"))["es"]


def test_the_primary_file_is_as_before(both, validator):
    document = export()
    problems = validator.validate(document, today=GENERATED.date())
    assert problems == [], "\n".join(map(str, problems))
    assert set(by_reference(document)) == {c.reference for c in both["first"].values()}
    assert "Kenya" not in etree.tostring(document, encoding="unicode")


def test_the_region_code_only_where_it_covers_every_country():
    assert region_of(("GT", "SV", "HN")) == "389"
    assert region_of(("GT", "SV", "HN", "NI", "CR", "PA", "BZ", "MX")) == "389"
    assert region_of(("KE", "TZ", "UG", "GT")) is None
    assert region_of(()) is None


def test_the_api_file_takes_the_initiative(both, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = Client().get(f"/api/v1/iati/activities.xml?as_of=2024-06-30&initiative={SLUG}")
    assert response.status_code == 200
    document = etree.fromstring(b"".join(response.streaming_content))
    codes = {c.get("code") for c in document.iter("recipient-country")}
    assert codes == {"KE", "TZ", "UG", "GT"}
