"""The IATI 2.03 export: the mapping, and every file valid against the XSD and the codelists."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext
from lxml import etree

from adelante.catalogue.models import FocusArea, Metric
from adelante.commitments.choices import Relation, Status
from adelante.commitments.models import Source, Target
from adelante.exchange.real_record import load_real_record
from adelante.iati import codes
from adelante.iati.export import stream_activities, write_activities
from adelante.iati.views import activities_xml
from adelante.money.qualifiers import AmountQualifier
from adelante.progress.models import ReportStatus
from tests import builders

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2024, 6, 30)
GENERATED = datetime.datetime(2024, 7, 1, 12, 0, tzinfo=datetime.UTC)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
REF = "XM-DAC-000-PCA"


def export(as_of: D = AS_OF) -> etree._ElementTree:
    out = io.BytesIO()
    write_activities(out, as_of, generated_at=GENERATED)
    return etree.fromstring(out.getvalue()).getroottree()


def assert_valid(document, validator) -> None:
    problems = validator.validate(document, today=GENERATED.date())
    assert problems == [], "\n".join(map(str, problems))


def activity(document, reference: str):
    found = document.getroot().xpath("iati-activity[iati-identifier=$id]", id=f"{REF}-{reference}")
    assert len(found) == 1, reference
    return found[0]


def narratives(element) -> dict[str, str]:
    return {n.get(XML_LANG, "en"): n.text for n in element.iterchildren("narrative")}


@pytest.fixture
def record():
    """Commitments that exercise every branch of the mapping."""
    launch, later = D(2021, 5, 27), D(2022, 6, 7)
    made = {}
    made["exact"] = c = builders.commitment(
        "Acme Foods", "150000000", launch, countries=("HN",), focus=("agriculture", "jobs")
    )
    c.status, c.starts_on, c.ends_on = Status.IN_PROGRESS, D(2021, 7, 1), D(2025, 12, 31)
    c.summary = "Invest in poultry farms and a processing plant."
    c.save()
    Source.objects.create(commitment=c, url="https://example.org/acme", title="Acme release")
    Target.objects.create(
        commitment=c, metric=Metric.objects.get(code="jobs_created"), value=Decimal("1200")
    )
    Target.objects.create(
        commitment=c,
        metric=Metric.objects.get(code="people_trained"),
        value=Decimal("5000"),
        by_date=D(2024, 12, 31),
    )
    builders.report(c, D(2022, 12, 31), {"usd_invested": "40000000", "jobs_created": "300"})
    builders.report(c, D(2023, 12, 31), {"usd_invested": "95000000.50", "jobs_created": "800"})
    builders.report(c, D(2024, 3, 31), {"usd_invested": "99000000"}, status=ReportStatus.DRAFT)
    builders.report(c, D(2024, 12, 31), {"usd_invested": "120000000"})  # after AS_OF

    made["shares"] = builders.commitment(
        "Banco Uno",
        "10000000",
        launch,
        countries={"GT": Decimal("60"), "SV": Decimal("40")},
        qualifier=AmountQualifier.AT_LEAST,
        focus=("financial_inclusion",),
    )
    made["multi"] = builders.commitment(
        "Tres Paises NGO", "3000000", later, countries=("GT", "SV", "HN"), partner_type="ngo"
    )
    made["regional"] = builders.commitment(
        "Region Foundation", None, later, countries=(), partner_type="foundation"
    )
    made["confidential"] = builders.commitment(
        "Quiet Corp", "7000000", later, qualifier=AmountQualifier.CONFIDENTIAL
    )
    made["restatement"] = c = builders.commitment(
        "Acme Foods", "150000000", later, countries=("HN",), relation=Relation.RESTATEMENT
    )
    c.relates_to = made["exact"]
    c.save()
    made["withdrawn"] = c = builders.commitment(
        "Gone Inc", "5000000", launch, status=Status.WITHDRAWN, withdrawn_on=D(2023, 1, 15)
    )
    made["completed"] = c = builders.commitment("Done SA", "2000000", launch, countries=("SV",))
    c.status, c.starts_on, c.ends_on = Status.COMPLETED, D(2021, 6, 1), D(2023, 6, 30)
    c.save()
    made["future_end"] = c = builders.commitment("Later Ltd", "1000000", later)
    c.status, c.starts_on, c.ends_on = Status.COMPLETED, D(2022, 7, 1), D(2030, 1, 1)
    c.save()
    made["proposed"] = builders.commitment("Not Yet", "1000000", later, status=Status.PROPOSED)
    made["after"] = builders.commitment("Too Late", "1000000", D(2025, 1, 1))
    return made


def test_the_export_of_a_varied_record_is_valid(record, validator):
    document = export()
    assert_valid(document, validator)
    root = document.getroot()
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime") == "2024-07-01T12:00:00+00:00"
    # Published commitments announced by the date: not the proposal, not the later one.
    identifiers = root.xpath("iati-activity/iati-identifier/text()")
    assert len(identifiers) == 9
    assert f"{REF}-{record['proposed'].reference}" not in identifiers
    assert f"{REF}-{record['after'].reference}" not in identifiers


def test_the_real_record_exports_valid(validator):
    load_real_record()
    document = export(D(2023, 2, 6))
    assert len(document.getroot()) == 41
    assert_valid(document, validator)


def test_identity_organisations_status_and_dates(record):
    element = activity(export(), record["exact"].reference)
    assert element.get("default-currency") == "USD"
    assert element.get(XML_LANG) == "en"
    reporting = element.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == (REF, "21")
    assert narratives(reporting) == {"en": "Partnership for Central America"}
    partner = element.find("participating-org")
    assert (partner.get("role"), partner.get("type")) == ("1", "70")
    assert narratives(partner) == {"en": "Acme Foods"}
    assert element.find("activity-status").get("code") == codes.IMPLEMENTATION
    dates = {d.get("type"): d.get("iso-date") for d in element.iterchildren("activity-date")}
    assert dates == {"1": "2021-07-01", "2": "2021-07-01", "3": "2025-12-31"}
    types = {
        r: activity(export(), record[r].reference).find("participating-org").get("type")
        for r in ("multi", "regional")
    }
    assert types == {"multi": "21", "regional": "60"}


def test_statuses_and_end_dates(record):
    document = export()
    status = {
        key: activity(document, record[key].reference).find("activity-status").get("code")
        for key in ("shares", "withdrawn", "completed", "future_end")
    }
    assert status == {"shares": "1", "withdrawn": "5", "completed": "4", "future_end": "4"}
    completed = activity(document, record["completed"].reference)
    dates = {d.get("type"): d.get("iso-date") for d in completed.iterchildren("activity-date")}
    assert dates == {"1": "2021-06-01", "2": "2021-06-01", "3": "2023-06-30", "4": "2023-06-30"}
    # An end date after the export date is planned, never actual.
    future = activity(document, record["future_end"].reference)
    assert {d.get("type") for d in future.iterchildren("activity-date")} == {"1", "2", "3"}
    withdrawn = activity(document, record["withdrawn"].reference)
    dates = {d.get("type"): d.get("iso-date") for d in withdrawn.iterchildren("activity-date")}
    assert dates == {"1": "2021-05-27", "4": "2023-01-15"}
    # Withdrawn after the export date: as it was then.
    before = export(D(2022, 12, 31))
    assert activity(before, record["withdrawn"].reference).find("activity-status").get("code") == (
        "1"
    )


def test_titles_and_descriptions_in_english_and_spanish(record):
    element = activity(export(), record["exact"].reference)
    title = narratives(element.find("title"))
    assert title["en"] == record["exact"].title
    with translation.override("es"):
        expected = gettext("Commitment by %(partner)s to %(initiative)s, announced on %(date)s") % {
            "partner": "Acme Foods",
            "initiative": "Central America Forward",
            "date": "27 de mayo de 2021",
        }
    assert expected == (
        "Compromiso de Acme Foods con Central America Forward, anunciado el 27 de mayo de 2021"
    )
    assert title["es"] == expected
    general = element.find("description[@type='1']")
    texts = narratives(general)
    # Summaries are English-only data; the Spanish narrative is generated.
    assert texts["en"] == "Invest in poultry farms and a processing plant."
    assert "Acme Foods" in texts["es"]
    assert "Agricultura y alimentos" in texts["es"]
    notes = narratives(element.find("description[@type='4']"))
    assert set(notes) == {"en", "es"}
    assert "US$150,000,000" in notes["en"]
    assert "https://example.org/acme" in notes["en"]


def test_countries_with_percentages_adding_up_to_100(record):
    document = export()

    def countries(key):
        element = activity(document, record[key].reference)
        return {
            c.get("code"): c.get("percentage") for c in element.iterchildren("recipient-country")
        }

    assert countries("exact") == {"HN": "100"}
    assert countries("shares") == {"GT": "60", "SV": "40"}
    assert countries("multi") == {"GT": "33.34", "HN": "33.33", "SV": "33.33"}
    regional = activity(document, record["regional"].reference)
    assert regional.find("recipient-country") is None
    region = regional.find("recipient-region")
    assert (region.get("code"), region.get("vocabulary"), region.get("percentage")) == (
        "389",
        "1",
        "100",
    )


def test_sectors_from_the_focus_areas_dac_codes(record):
    document = export()
    element = activity(document, record["exact"].reference)
    sectors = {s.get("code"): s.get("percentage") for s in element.iterchildren("sector")}
    assert sectors == {"31120": "50", "16020": "50"}
    assert {s.get("vocabulary") for s in element.iterchildren("sector")} == {"1"}
    unclassified = activity(document, record["multi"].reference)
    assert [(s.get("code"), s.get("percentage")) for s in unclassified.iterchildren("sector")] == [
        ("99810", "100")
    ]


def test_the_sector_mapping_is_editable_data(record):
    area = FocusArea.objects.get(code="agriculture")
    area.dac_sector = "31191"
    area.save()
    element = activity(export(), record["exact"].reference)
    assert {s.get("code") for s in element.iterchildren("sector")} == {"31191", "16020"}


def test_seeded_sector_codes_are_active_dac_codes(validator):
    sector = validator.codelist("Sector")
    assert sector is not None
    for area in FocusArea.objects.all():
        assert area.dac_sector in sector.codes, area.code
        assert area.dac_sector not in sector.withdrawn, area.code


def test_the_commitment_is_a_type_2_transaction_in_usd(record):
    element = activity(export(), record["exact"].reference)
    commitments = element.xpath("transaction[transaction-type/@code='2']")
    assert len(commitments) == 1
    value = commitments[0].find("value")
    assert (value.text, value.get("currency"), value.get("value-date")) == (
        "150000000.00",
        "USD",
        "2021-05-27",
    )
    assert commitments[0].find("transaction-date").get("iso-date") == "2021-05-27"
    assert narratives(commitments[0].find("provider-org")) == {"en": "Acme Foods"}


def test_verified_investment_becomes_type_3_disbursements(record):
    element = activity(export(), record["exact"].reference)
    disbursements = [
        (t.find("value").get("value-date"), t.find("value").text)
        for t in element.xpath("transaction[transaction-type/@code='3']")
    ]
    # Increments of the verified cumulative values by the date; the draft does not count.
    assert disbursements == [("2022-12-31", "40000000.00"), ("2023-12-31", "55000000.50")]


def test_no_value_for_undisclosed_confidential_or_restated_amounts(record):
    document = export()
    for key in ("regional", "confidential", "restatement"):
        element = activity(document, record[key].reference)
        assert element.find("transaction") is None, key
    confidential = activity(document, record["confidential"].reference)
    assert "7000000" not in etree.tostring(confidential).decode()
    assert "7,000,000" not in etree.tostring(confidential).decode()
    notes = narratives(
        activity(document, record["restatement"].reference).find("description[@type='4']")
    )
    assert record["exact"].reference in notes["en"]


def test_qualified_amounts_say_so(record):
    element = activity(export(), record["shares"].reference)
    transaction = element.find("transaction")
    assert transaction.find("value").text == "10000000.00"
    assert "at least" in narratives(transaction.find("description"))["en"]


def test_results_with_targets_and_verified_actuals(record):
    element = activity(export(), record["exact"].reference)
    result = element.find("result")
    assert result.get("type") == "1"
    indicators = {narratives(i.find("title"))["en"]: i for i in result.iterchildren("indicator")}
    assert set(indicators) == {"Jobs created", "People trained"}
    jobs = indicators["Jobs created"]
    assert narratives(jobs.find("title"))["es"] == "Empleos creados"
    assert jobs.get("measure") == "1"
    periods = [
        (
            p.find("period-start").get("iso-date"),
            p.find("period-end").get("iso-date"),
            [a.get("value") for a in p.iterchildren("actual")],
            [t.get("value") for t in p.iterchildren("target")],
        )
        for p in jobs.iterchildren("period")
    ]
    # The jobs target has no date of its own: the commitment's end date stands for it.
    assert periods == [
        ("2021-07-01", "2025-12-31", [], ["1200"]),
        ("2022-12-01", "2022-12-31", ["300"], []),
        ("2023-12-01", "2023-12-31", ["800"], []),
    ]
    trained = indicators["People trained"]
    assert [
        (p.find("period-end").get("iso-date"), p.find("target").get("value"))
        for p in trained.iterchildren("period")
    ] == [("2024-12-31", "5000")]


def test_the_streamed_document_is_the_written_one(record):
    out = io.BytesIO()
    write_activities(out, AS_OF, generated_at=GENERATED)
    streamed = b"".join(stream_activities(AS_OF, generated_at=GENERATED))
    assert streamed == out.getvalue()


def test_the_view_streams_valid_xml(record, validator):
    request = RequestFactory().get("/api/v1/iati/activities.xml", {"as_of": "2024-06-30"})
    response = activities_xml(request)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(b"".join(response.streaming_content)).getroottree()
    assert len(document.getroot()) == 9
    assert validator.schema(document) == []
    assert validator.codelists(document) == []
    bad = activities_xml(RequestFactory().get("/x", {"as_of": "June"}))
    assert bad.status_code == 422


def test_the_reporting_organisation_is_a_setting(record, settings):
    settings.ADELANTE_IATI_REPORTING_ORG_REF = "US-EIN-123456789"
    settings.ADELANTE_IATI_REPORTING_ORG_TYPE = "22"
    element = activity_ref(export(), "US-EIN-123456789", record["exact"].reference)
    assert element.find("reporting-org").get("type") == "22"


def activity_ref(document, ref, reference):
    found = document.getroot().xpath("iati-activity[iati-identifier=$id]", id=f"{ref}-{reference}")
    assert len(found) == 1
    return found[0]


def test_the_command_writes_a_valid_file(record, validator, tmp_path):
    target = tmp_path / "iati.xml"
    out = io.StringIO()
    call_command("export_iati", "--output", str(target), "--as-of", "2024-06-30", stdout=out)
    assert "9 activities" in out.getvalue()
    document = etree.parse(str(target))
    assert validator.schema(document) == []
    assert validator.codelists(document) == []


def test_an_empty_record_is_said_to_be_empty(tmp_path):
    err = io.StringIO()
    call_command(
        "export_iati", "--output", str(tmp_path / "x.xml"), stderr=err, stdout=io.StringIO()
    )
    assert "no activity" in err.getvalue()


def test_a_partners_organisation_identifier_is_its_ref(record, validator):
    from adelante.partners.models import PartnerIdentifier

    acme = record["exact"].partner
    for identifier in ("GT-NIT-75556057", "XI-LEI-724500PMK2A2M1SQQ228"):
        PartnerIdentifier.objects.create(
            partner=acme, identifier=identifier, scheme=identifier.rsplit("-", 1)[0]
        )
    document = export()
    assert_valid(document, validator)
    element = activity(document, record["exact"].reference)
    # The LEI is preferred to a national identifier (docs/iati.md).
    assert element.find("participating-org").get("ref") == "XI-LEI-724500PMK2A2M1SQQ228"
    providers = element.xpath("transaction/provider-org/@ref")
    assert providers and set(providers) == {"XI-LEI-724500PMK2A2M1SQQ228"}
    # A partner without identifiers has no ref, only its name.
    other = activity(document, record["shares"].reference).find("participating-org")
    assert other.get("ref") is None and narratives(other) == {"en": "Banco Uno"}
