"""The delivery ladder, graded figures and verdicts in the API (issue 13)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from adelante.figures.ladder import STEPS, Selection, ladder
from adelante.figures.reconcile import reconcile
from adelante.progress.models import VerificationLevel
from tests import builders
from tests.api.conftest import CAF, get_json

pytestmark = pytest.mark.django_db


def test_the_ladder_of_the_shipped_record_is_the_figures_modules(demo, client):
    got = get_json(client, f"/api/v1/figures/ladder?as_of={CAF}")
    expected = ladder(CAF)
    assert [s["step"] for s in got["steps"]] == list(STEPS)
    assert [(s["commitments"], s["committed_usd"]) for s in got["steps"]] == [
        (s.commitments, f"{s.committed_usd:f}") for s in expected.steps
    ]
    assert got["steps"][0]["committed_usd"] == "3641600000.00"
    assert got["with_obligation"] == got["silent"] == 0  # no schedule was ever set
    es = get_json(client, f"/api/v1/figures/ladder?as_of={CAF}", HTTP_ACCEPT_LANGUAGE="es")
    assert es["steps"][0]["label"] == "Anunciado"


def test_a_selection_narrows_the_ladder(demo, client):
    got = get_json(client, f"/api/v1/figures/ladder?as_of={CAF}&country=gt")
    assert (
        got["steps"][0]["commitments"]
        == ladder(CAF, selection=Selection(country="GT")).step("announced").commitments
    )
    assert client.get("/api/v1/figures/ladder?round=no-such-round").status_code == 404
    assert client.get("/api/v1/figures/ladder?partner=no-such-partner").status_code == 404
    assert client.get("/api/v1/figures/ladder?country=XX").status_code == 422
    assert client.get("/api/v1/figures/ladder?kind=bogus").status_code == 422


def test_invested_at_a_minimum_grade(client):
    day = CAF
    a = builders.commitment("A", "100", day)
    b = builders.commitment("B", "100", day)
    builders.report(a, day.replace(month=6, day=30), {"usd_invested": "10"})
    r = builders.report(b, day.replace(month=6, day=30), {"usd_invested": "25"})
    r.verification_level, r.evidence_attached = VerificationLevel.INDEPENDENTLY_VERIFIED, True
    r.save()
    url = "/api/v1/figures/invested?as_of=2024-01-01"
    assert get_json(client, url)["value"] == "35.00"
    assert get_json(client, url + "&grade=independently_verified")["value"] == "25.00"
    assert get_json(client, url + "&with_evidence=true")["value"] == "25.00"
    assert client.get(url + "&grade=excellent").status_code == 422


def test_reconcile_gives_the_verdict_in_words(demo, client):
    rows = get_json(client, "/api/v1/figures/reconcile")
    expected = {r.statement_id: r.judgement for r in reconcile(timezone.localdate())}
    assert rows
    for row in rows:
        judgement = expected[row["statement_id"]]
        assert row["verdict"] == judgement.verdict
        assert row["verdict_by"] == (None if judgement.by is None else f"{judgement.by:f}")
        assert row["verdict_text"]
        assert not (row["verdict_by"] or "").startswith("-")
        assert row["date_precision"] in ("day", "month", "year")
    assert {row["verdict"] for row in rows} >= {"short"}
    assert Decimal(rows[0]["stated_value"]) > 0
