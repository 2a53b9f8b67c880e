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
