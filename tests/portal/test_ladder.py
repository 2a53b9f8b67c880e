"""The delivery ladder, graded invested, the silence rule and verdicts on the portal's pages
(issue 13)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from adelante.figures.committed import committed
from adelante.figures.ladder import Selection, ladder
from adelante.progress.models import VerificationLevel
from adelante.workflow.models import ReportingSchedule
from tests import builders
from tests.portal.conftest import cell, figure, number_in

pytestmark = pytest.mark.django_db


def test_the_overview_shows_the_ladder_of_the_whole_record(client, record):
    page = client.get("/en/").content.decode()
    today = timezone.localdate()
    found = ladder(today)
    assert "From announcement to delivery" in page
    for step in found.steps:
        shown = cell(page, "data-ladder", f"{step.step}-commitments")
        assert number_in(shown) == step.commitments
    assert number_in(cell(page, "data-ladder", "announced-commitments")) == (
        committed(today).commitments
    )
    assert "<meter" in page  # the funnel's bars, no script needed
    # nothing in this record reports through the platform: neutral, not counted silent
    assert "None of these commitments reports through the platform" in page
    assert "Del anuncio a la entrega" in client.get("/es/").content.decode()


def test_invested_says_how_much_is_independently_verified(client, record):
    report = record.alpha.progress_reports.get(period_end=datetime.date(2023, 6, 30))
    report.verification_level = VerificationLevel.INDEPENDENTLY_VERIFIED
    report.save()
    page = client.get("/en/").content.decode()
    shown = figure(page, "invested-independent")
    assert shown.startswith("Of which US$2,500,000")
    spanish = figure(client.get("/es/").content.decode(), "invested-independent")
    assert spanish.startswith("De ello")


def test_the_country_and_partner_pages_show_their_own_ladder(client, record):
    today = timezone.localdate()
    page = client.get("/en/countries/gt/").content.decode()
    gt = ladder(today, selection=Selection(country="GT"))
    assert (
        number_in(cell(page, "data-ladder", "announced-commitments"))
        == gt.step("announced").commitments
    )
    page = client.get(f"/en/partners/{record.alpha.partner.slug}/").content.decode()
    mine = ladder(today, selection=Selection(partner_id=record.alpha.partner_id))
    assert (
        number_in(cell(page, "data-ladder", "reporting-commitments"))
        == mine.step("reporting").commitments
        == 1
    )
    assert "Reporting record" in page


def test_a_silent_commitment_on_the_partner_page(client, record):
    quiet = builders.commitment("Quiet Co", "5000000", datetime.date(2021, 12, 13))
    ReportingSchedule.objects.create(commitment=quiet)
    page = client.get(f"/en/partners/{quiet.partner.slug}/").content.decode()
    # first period ends 30 June 2022, due 28 September 2022: silent from 28 September 2024
    assert "silent since Sept. 28, 2024" in page or "silent since September 28, 2024" in page
    assert "US$5,000,000 is silent" in page
    assert "Reporting rate: 0" in page
    spanish = client.get(f"/es/partners/{quiet.partner.slug}/").content.decode()
    assert "en silencio desde" in spanish
    # as of a day before, it was not yet silent
    before = client.get(f"/en/partners/{quiet.partner.slug}/?as_of=2024-09-27").content.decode()
    assert "silent since" not in before
    assert ladder(datetime.date(2024, 9, 28)).silent_usd == Decimal("5000000.00")


def test_the_verdict_never_shows_a_negative_gap(client, record):
    shown = client.get(f"/en/rounds/{record.alpha.round.slug}/").content.decode()
    verdict = cell(shown, "data-verdict", "short")  # "more than US$750,000,000", record below
    assert verdict == "record short by at least US$450,000,000"
    spanish = client.get(f"/es/rounds/{record.alpha.round.slug}/").content.decode()
    assert "al registro le faltan al menos" in spanish


def test_the_methodology_states_the_rules_in_force(client, db, settings):
    settings.ADELANTE_SILENCE_MONTHS = 18
    page = client.get("/en/methodology/").content.decode()
    assert 'id="ladder"' in page and 'id="silence"' in page
    assert "within 5% of X" in page
    assert "no verified report for 18 months" in page
    assert "counts from the end of its period" in page
    spanish = client.get("/es/methodology/").content.decode()
    assert "dentro del 5% de X" in spanish
    assert "desde el final de su periodo" in spanish
