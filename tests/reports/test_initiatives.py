"""Reports per initiative (issue 14): `adelante report … --initiative SLUG` is that
initiative's document, named after it; without it, the primary initiative's, as before."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.second_initiative import NAME, SLUG, primary_record, second_initiative, second_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def both():
    first = primary_record()
    initiative = second_initiative()
    return {"first": first, "second": second_record(initiative), "initiative": initiative}


def report(tmp_path, *args: str) -> str:
    target = tmp_path / "report.html"
    call_command("report", *args, "--output", str(target), stdout=io.StringIO())
    return target.read_text()


def test_the_progress_report_names_its_initiative(both, tmp_path):
    second = report(tmp_path, "progress", "--as-of", "2024-06-30", "--initiative", SLUG)
    assert f"{NAME}: progress report" in second
    assert "Nairobi Mills" in second and "Cuscatlan SA" not in second
    assert "Kenya" in second and "Central America Forward" not in second
    first = report(tmp_path, "progress", "--as-of", "2024-06-30")
    assert "Central America Forward: progress report" in first
    assert "Cuscatlan SA" in first and "Nairobi Mills" not in first


def test_a_round_is_found_within_the_initiative(both, tmp_path):
    slug = both["second"]["kenya"].round.slug
    sheet = report(tmp_path, "round", slug, "--initiative", SLUG)
    assert NAME in sheet and "Nairobi Mills" in sheet
    with pytest.raises(Exception, match="No round is called"):
        report(tmp_path, "round", slug)  # not a round of the primary initiative


def test_in_spanish_the_initiative_is_named_in_spanish(both, tmp_path):
    spanish = report(
        tmp_path, "progress", "--as-of", "2024-06-30", "--initiative", SLUG, "--lang", "es"
    )
    assert "Compromiso de África Oriental: informe de avance" in spanish


# -- The staff's reports page: an initiative to choose when there are several ---------------


def test_the_page_offers_no_choice_with_one_initiative(record_staff):
    page = record_staff.get("/en/reports/")
    assert page.status_code == 200
    assert 'name="initiative"' not in page.content.decode()


def test_the_page_generates_the_chosen_initiatives_document(both, record_staff):
    from adelante.reports.models import ReportJob
    from tests.reports.test_staff_page import generated

    page = record_staff.get("/en/reports/").content.decode()
    assert 'name="initiative"' in page and NAME in page
    data = {"kind": "progress", "as_of": "2024-06-30", "language": "en", "format": "html"}
    _response, second = generated(
        record_staff, "en", {**data, "initiative": str(both["initiative"].pk)}
    )
    text = second.decode()
    assert f"{NAME}: progress report" in text
    assert "Nairobi Mills" in text and "Cuscatlan SA" not in text
    assert ReportJob.objects.get().initiative == both["initiative"]
    # Not chosen: the primary initiative's, as before.
    _response, first = generated(record_staff, "en", data)
    assert "Central America Forward: progress report" in first.decode()
    assert "Nairobi Mills" not in first.decode()


def test_a_round_of_another_initiative_is_refused_on_the_form(both, record_staff):
    from adelante.reports.models import ReportJob

    kenya_round = both["second"]["kenya"].round
    response = record_staff.post(
        "/en/reports/",
        {"kind": "round", "round": str(kenya_round.pk), "language": "en", "format": "html"},
    )
    assert response.status_code == 400
    assert "This round is not one of Central America Forward" in response.content.decode()
    assert not ReportJob.objects.exists()
    sheet = record_staff.post(
        "/en/reports/",
        {
            "kind": "round",
            "round": str(kenya_round.pk),
            "initiative": str(both["initiative"].pk),
            "language": "en",
            "format": "html",
        },
    )
    assert sheet.status_code == 302


@pytest.fixture
def record_staff(client):
    from adelante.accounts.groups import SECRETARIAT_REVIEWER
    from tests.reports.test_staff_page import member_of

    client.force_login(member_of(SECRETARIAT_REVIEWER))
    return client
