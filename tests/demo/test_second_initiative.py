"""The demo's second initiative, Coastal Resilience Pledges (synthetic): its files and its load
through the ordinary commands (adelante.demo.second_initiative)."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management.base import CommandError

from adelante.commitments.models import Commitment, OfficialStatement, Round
from adelante.currency.models import ExchangeRate
from adelante.demo import second_initiative
from adelante.exchange import real_record
from adelante.figures.committed import committed, committed_by
from adelante.figures.display import committed_in_display_currency
from adelante.initiatives import scope
from adelante.initiatives.countries import is_country_code
from adelante.initiatives.models import Initiative
from tests.snapshots import load_real_record

TODAY = datetime.date(2025, 1, 1)


def rows(path):  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_initiative_is_synthetic_with_countries_outside_central_america_and_french_pending():
    fields = second_initiative.founding()
    assert fields["synthetic"] is True
    assert fields["languages_pending"] == ["fr"]
    assert len(fields["countries"]) >= 4
    assert all(is_country_code(code) for code in fields["countries"])
    assert {"KE", "TZ", "MZ", "MG"} <= set(fields["countries"])
    # Every row says it is synthetic, and no source is a real address.
    commitments = rows(second_initiative.COMMITMENTS)
    assert 20 <= len(commitments) <= 40
    assert all(row["summary"].startswith("Synthetic:") for row in commitments)
    statements = rows(second_initiative.STATEMENTS)
    for row in [*commitments, *statements]:
        assert row["source_url"].startswith("https://example.org/synthetic/")
    # Its currency for display, with made-up rates (round numbers, sources on example.org).
    assert fields["currency"] == "KES"
    rates = rows(second_initiative.RATES)
    assert rates and all(row["currency"] == "KES" for row in rates)
    assert all(row["source"].startswith("https://example.org/synthetic/") for row in rates)
    # Only the initiative's countries (or the region).
    named = {c for row in commitments for c in row["countries"].split(";")} - {"REGION"}
    assert named <= set(fields["countries"])
    # The same columns as the real record's file, and a few more optional ones.
    assert set(rows(real_record.COMMITMENTS)[0]) <= set(commitments[0])


def test_partners_are_shared_and_two_pledges_are_the_real_records_too():
    real = rows(real_record.COMMITMENTS)
    mine = rows(second_initiative.COMMITMENTS)
    shared = {row["partner"] for row in mine} & {row["partner"] for row in real}
    assert len(shared) >= 5
    # The same pledge (issue 14, item 5): same partner, a country in common, amounts within
    # 10%, announced within a year.
    same = set()
    for row in mine:
        for other in real:
            if row["partner"] != other["partner"] or not (
                row["amount_usd"] and other["amount_usd"]
            ):
                continue
            mine_amount, real_amount = Decimal(row["amount_usd"]), Decimal(other["amount_usd"])
            days = abs(
                datetime.date.fromisoformat(row["announced_on"])
                - datetime.date.fromisoformat(other["announced_on"])
            ).days
            common = set(row["countries"].split(";")) & set(other["countries"].split(";"))
            close = abs(mine_amount - real_amount) <= real_amount / 10
            if common - {"REGION"} and close and days <= 365:
                same.add(row["partner"])
    assert same == {"Cargill", "Millicom (Tigo)"}


@pytest.mark.django_db
def test_the_demo_loads_it_through_the_commands_once():
    """Every row goes into the initiative (Kenya and the others are its countries), the
    primary initiative's figures stay as they were, and a second load changes nothing."""
    load_real_record()
    before = committed(TODAY)
    out = StringIO()
    second_initiative.load_second_initiative(out)
    coastal = Initiative.objects.get(slug="coastal-resilience")
    assert Commitment.objects.filter(initiative=coastal).count() == 30
    assert OfficialStatement.objects.filter(initiative=coastal).count() == 9
    assert Round.objects.filter(initiative=coastal).count() == 3
    assert committed(TODAY) == before
    with scope.within(coastal):
        by_country = {row.key for row in committed_by("country", TODAY).rows}
        assert {"KE", "TZ", "MZ", "MG", "HN"} <= by_country
        total = committed(TODAY)
        assert total.amount_usd > 0
    # Its total in shillings, at the latest synthetic rate by the date (120 KES per US$).
    assert coastal.display_currency == "KES"
    shillings = committed_in_display_currency(total, coastal.pk)
    assert shillings is not None
    assert (shillings.rate.on, shillings.amount) == (
        datetime.date(2024, 3, 14),
        total.amount_usd * 120,
    )
    second_initiative.load_second_initiative(StringIO())
    assert Commitment.objects.filter(initiative=coastal).count() == 30
    assert ExchangeRate.objects.filter(currency="KES").count() == 3


def _problems() -> list[str]:
    """The import's problems, as the command prints them."""
    from django.core.management import call_command

    err = StringIO()
    coastal = Initiative.objects.get(slug="coastal-resilience")
    with scope.within(coastal), pytest.raises(CommandError):
        call_command(
            "import",
            "commitments",
            str(second_initiative.COMMITMENTS),
            stdout=StringIO(),
            stderr=err,
        )
    return err.getvalue().splitlines()
