"""The public status light on the portal's commitment page (template include and tag)."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse

from adelante.commitments.choices import Relation
from adelante.workflow import schedule
from tests import builders

pytestmark = pytest.mark.django_db


def test_the_commitment_page_shows_the_light(client):
    late = builders.commitment("Acme", "100", date(2023, 2, 6), reporting=True)
    page = client.get(reverse("portal:commitment", kwargs={"reference": late.reference}))
    assert page.status_code == 200
    assert b'data-status-light="no_report_two_cycles"' in page.content
    assert b"No report for two cycles" in page.content


def test_a_commitment_without_a_schedule_is_neutral_not_red(client):
    # The shipped record's commitments: no reporting schedule was ever set for them.
    quiet = builders.commitment("Acme", "100", date(2023, 2, 6))
    page = client.get(reverse("portal:commitment", kwargs={"reference": quiet.reference}))
    assert b'data-status-light="not_reporting"' in page.content
    assert b"Not reporting through the platform" in page.content
    assert b"No report for two cycles" not in page.content
    assert schedule.expecting().count() == 0  # nobody is chased for it


def test_a_restatement_shows_no_light(client):
    restated = builders.commitment(
        "Acme", "100", date(2023, 2, 6), relation=Relation.RESTATEMENT, reporting=True
    )
    page = client.get(reverse("portal:commitment", kwargs={"reference": restated.reference}))
    assert page.status_code == 200
    assert b"data-status-light" not in page.content


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (date(2023, 3, 1), "No report due yet"),
        (date(2023, 10, 1), "Late: the latest report is missing"),
    ],
)
def test_the_tag(today, text):
    c = builders.commitment("Acme", "100", date(2023, 2, 6), reporting=True)
    html = Template("{% load workflow %}{% status_light c today %}").render(
        Context({"c": c, "today": today})
    )
    assert text in html


def test_on_time(client):
    c = builders.commitment("Acme", "100", date(2023, 2, 6), reporting=True)
    for end in (date(2023, 6, 30), date(2023, 12, 31), date(2024, 6, 30), date(2024, 12, 31)):
        builders.report(c, end, {"usd_invested": "1"})
    html = Template("{% load workflow %}{% status_light c today %}").render(
        Context({"c": c, "today": date(2025, 4, 1)})
    )
    assert 'data-status-light="on_time"' in html
