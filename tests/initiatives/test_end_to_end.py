"""An initiative with four countries, one of them outside Central America, end to end through
the doors staff and readers use (issue 14): created by `adelante initiative create`, filled by
`adelante import commitments --initiative`, then its figures by country, its portal pages in both
languages, the API, the IATI file (valid against the schema) and the progress report; the
primary initiative's record is untouched throughout."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from adelante.commitments.models import Commitment
from adelante.figures.committed import committed, committed_by
from adelante.iati.export import write_activities
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative
from tests import builders
from tests.iati.conftest import validator  # noqa: F401  (the schema validator fixture)

pytestmark = pytest.mark.django_db

SLUG = "great-lakes-pledge"
AS_OF = datetime.date(2024, 12, 31)
HEADER = (
    "partner,partner_type,announced_on,round,amount_usd,qualifier,kind,countries,focus,"
    "summary,source_url"
)
ROWS = [
    "Nairobi Mills,company,2024-03-05,2024-03 Great Lakes launch,2000000,exact,"
    "capital_investment,KE,flour milling,Mills in Kisumu.,https://example.org/gl/1",
    "Lake Transport Co,company,2024-03-05,2024-03 Great Lakes launch,3000000,exact,"
    "capital_investment,TZ;UG,ferries,Ferries on Lake Victoria.,https://example.org/gl/2",
    "Quetzal Foods,company,2024-03-05,2024-03 Great Lakes launch,700000,exact,"
    "local_sourcing,GT,coffee,Coffee bought in Guatemala.,https://example.org/gl/3",
    "Basin Trust,ngo,2024-09-10,2024-09 Great Lakes round 2,500000,at_least,"
    "programme,REGION,water,Watershed programmes.,https://example.org/gl/4",
]


@pytest.fixture
def lakes(tmp_path) -> Initiative:
    # The primary initiative's own record, which nothing below may change.
    builders.commitment("Cuscatlan SA", "4000000", datetime.date(2021, 5, 27), countries=("SV",))
    call_command(
        "initiative", "create", "--slug", SLUG, "--name", "Great Lakes Pledge",
        "--name-es", "Compromiso de los Grandes Lagos", "--countries", "KE,TZ,UG,GT",
        stdout=io.StringIO(),
    )  # fmt: skip
    path = tmp_path / "lakes.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    call_command("import", "commitments", str(path), "--initiative", SLUG, stdout=io.StringIO())
    return Initiative.objects.get(slug=SLUG)


def test_its_figures_follow_its_own_countries(lakes):
    primary_before = committed(AS_OF)
    with scope.within(lakes):
        total = committed(AS_OF)
        rows = {row.key: row.amount_usd for row in committed_by("country", AS_OF).rows}
    assert total.amount_usd == Decimal("6200000") and total.commitments == 4
    assert rows == {
        "KE": Decimal("2000000"),
        "GT": Decimal("700000"),
        "multi-country": Decimal("3000000"),
        "regional": Decimal("500000"),
    }
    assert sum(rows.values()) == total.amount_usd
    assert committed(AS_OF) == primary_before  # the primary initiative's total is its own
    assert Commitment.objects.filter(initiative=lakes).count() == 4


def test_a_row_for_a_country_outside_it_is_refused_and_nothing_is_written(lakes, tmp_path):
    bad = tmp_path / "bad.csv"
    row = ROWS[0].replace(",KE,", ",HN,").replace("Nairobi Mills", "Tegucigalpa Co")
    bad.write_text("\n".join([HEADER, ROWS[1], row]) + "\n", encoding="utf-8")
    before = Commitment.objects.count()
    said = io.StringIO()
    with pytest.raises(CommandError, match=r"bad\.csv; nothing was imported"):
        call_command(
            "import", "commitments", str(bad), "--initiative", SLUG,
            stdout=io.StringIO(), stderr=said,
        )  # fmt: skip
    # File, row, column and reason.
    assert "bad.csv:3: countries: HN is not one of the initiative's countries (KE, TZ, UG, GT)" in (
        said.getvalue()
    )
    assert Commitment.objects.count() == before


@pytest.mark.parametrize("language", ["en", "es"])
def test_its_portal_pages_show_its_record_in_both_languages(lakes, client, language):
    base = f"/{language}/i/{SLUG}/"
    overview = client.get(base)
    assert overview.status_code == 200
    text = overview.content.decode()
    assert ("Great Lakes Pledge" if language == "en" else "Compromiso de los Grandes Lagos") in text
    assert "Cuscatlan SA" not in text
    kenya = client.get(f"{base}countries/ke/")
    assert kenya.status_code == 200 and "Nairobi Mills" in kenya.content.decode()
    explorer = client.get(f"{base}commitments/", {"country": "ke"})
    listed = explorer.content.decode()
    assert "Nairobi Mills" in listed and "Quetzal Foods" not in listed
    reference = Commitment.objects.get(partner__name="Lake Transport Co").reference
    page = client.get(f"{base}commitments/{reference}/")
    assert page.status_code == 200 and "Lake Transport Co" in page.content.decode()
    # The primary initiative's pages are not its.
    assert "Nairobi Mills" not in client.get(f"/{language}/commitments/").content.decode()
    assert client.get(f"/{language}/countries/ke/").status_code in (301, 302, 404)


def test_the_api_answers_for_it_when_named(lakes, client):
    named = client.get("/api/v1/commitments", {"initiative": SLUG}).json()
    assert named["count"] == 4
    assert {c["partner"]["name"] for c in named["results"]} >= {"Nairobi Mills", "Basin Trust"}
    default = client.get("/api/v1/commitments").json()
    assert default["count"] == 1
    by_country = client.get(
        "/api/v1/figures/committed/by/country", {"initiative": SLUG, "as_of": AS_OF.isoformat()}
    ).json()
    keys = {row["key"] for row in by_country["rows"]}
    assert {"KE", "GT", "multi-country", "regional"} <= keys
    assert client.get("/api/v1/commitments", {"initiative": "nowhere"}).status_code == 404


def test_its_iati_file_is_valid_and_names_its_countries(lakes, validator):  # noqa: F811
    out = io.BytesIO()
    generated = datetime.datetime(2025, 1, 2, 12, 0, tzinfo=datetime.UTC)
    with scope.within(lakes):
        write_activities(out, AS_OF, generated_at=generated)
    document = etree.fromstring(out.getvalue(), etree.XMLParser(resolve_entities=False))
    problems = validator.validate(etree.ElementTree(document), today=generated.date())
    assert problems == [], "\n".join(map(str, problems))
    countries = {c.get("code") for c in document.iter("recipient-country")}
    assert countries == {"KE", "TZ", "UG", "GT"}
    assert len(document.findall("iati-activity")) == 4


def test_its_progress_report_is_its_own(lakes, tmp_path):
    target = tmp_path / "report.html"
    call_command(
        "report", "progress", "--as-of", AS_OF.isoformat(), "--initiative", SLUG,
        "--output", str(target), stdout=io.StringIO(),
    )  # fmt: skip
    report = target.read_text(encoding="utf-8")
    assert "Great Lakes Pledge" in report and "Kenya" in report
    assert "Nairobi Mills" in report and "Cuscatlan SA" not in report
