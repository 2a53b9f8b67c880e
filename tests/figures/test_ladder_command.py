"""`adelante figures --ladder`: the delivery ladder as the figures module gives it, with the
portal's labels in the reader's language, per initiative, as a table, JSON or CSV."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from adelante.figures.labels import ladder_step_label
from adelante.figures.ladder import STEPS, ladder
from tests import builders
from tests.second_initiative import SLUG, primary_record, second_initiative, second_record

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 12, 31)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("figures", "--as-of", DAY.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def record():
    made = primary_record()
    builders.report(made["gt"], datetime.date(2022, 6, 30), {"usd_invested": "250000"})
    quiet = builders.commitment("Quiet Co", "300", datetime.date(2021, 5, 27), reporting=True)
    return {**made, "quiet": quiet}


def test_json_gives_every_step_as_the_figures_module_does(record):
    data = json.loads(run("--ladder", "--format", "json"))
    expected = ladder(DAY)
    assert [s["step"] for s in data["ladder"]["steps"]] == list(STEPS)
    assert [
        (s["commitments"], s["committed_usd"], s["invested_usd"]) for s in data["ladder"]["steps"]
    ] == [(s.commitments, str(s.committed_usd), str(s.invested_usd)) for s in expected.steps]
    assert data["ladder"]["steps"][2]["commitments"] == 1  # the one verified report
    assert data["ladder"]["steps"][2]["invested_usd"] == "250000.00"
    # the scheduled commitment never reported: silent, and it was due a report
    assert (data["ladder"]["silent"], data["ladder"]["silent_usd"]) == (1, "300.00")
    assert data["ladder"]["with_obligation"] == 1
    assert data["ladder"]["reporting_rate"] == {"due": 1, "reported": 0, "rate": "0.0"}
    assert data["committed_usd"] == "5000300.00"  # the other figures are still there


def test_without_the_option_there_is_no_ladder(record):
    assert "ladder" not in json.loads(run("--format", "json"))
    assert ladder_step_label("evidence_backed") not in run()


def test_the_table_has_the_portals_labels_in_english_and_spanish(record):
    table = run("--ladder")
    assert "From announcement to delivery" in table
    assert "Reporting (a verified report)" in table
    assert "Reporting rate: 0.0% (0 of the 1 commitments due a report" in table
    assert "US$300 is silent: 1 commitment" in table
    with translation.override("es"):
        spanish = run("--ladder")
    assert "Del anuncio a la entrega" in spanish
    assert "Informando (un informe verificado)" in spanish
    assert "Reporting (a verified report)" not in spanish


def test_csv_is_one_row_per_step_and_refuses_a_breakdown_beside_it(record):
    lines = run("--ladder", "--format", "csv").splitlines()
    assert lines[0] == "step,label,commitments,committed_usd,invested_usd"
    assert [line.split(",")[0] for line in lines[1:]] == list(STEPS)
    with pytest.raises(CommandError, match="--by or --ladder"):
        run("--ladder", "--by", "country", "--format", "csv")


def test_the_initiative_option_gives_that_initiatives_ladder(record):
    second_record(second_initiative())
    other = json.loads(run("--ladder", "--format", "json", "--initiative", SLUG))["ladder"]
    assert other["steps"][0]["commitments"] == 4
    assert other["steps"][0]["committed_usd"] == "6200000.00"
    assert other["with_obligation"] == 0
    primary = json.loads(run("--ladder", "--format", "json"))["ladder"]
    assert primary["steps"][0]["commitments"] == 3


def test_with_no_schedule_the_table_says_none_reports_through_the_platform():
    primary_record()
    assert "None of these commitments reports through the platform" in run("--ladder")
