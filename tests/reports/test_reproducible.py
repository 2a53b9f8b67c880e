"""Reproducible editions: --recorded-on regenerates an earlier edition with the same figures
and the same checksum, even after later corrections; without it the figures change."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from adelante.commitments.geography import set_countries
from adelante.reports.build import generate
from adelante.reports.editions import canonical_json
from tests import builders
from tests.reports import extract
from tests.reports.conftest import at

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 6, 7)
PUBLISHED = datetime.datetime(2023, 3, 1, 15, tzinfo=datetime.UTC)
CORRECTED = datetime.datetime(2024, 1, 15, 9, tzinfo=datetime.UTC)
REGENERATED = datetime.datetime(2024, 2, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture
def published():
    """A record built on 2023-03-01, an edition published that day, and a correction later."""
    with at(PUBLISHED - datetime.timedelta(hours=5)):
        alpha = builders.commitment("Alpha", "100000000", DAY, countries=["GT"])
        builders.commitment("Beta", "50000000", DAY, countries=["SV"])
    with at(PUBLISHED):
        editions = {
            (kind, fmt): generate(kind, subject, as_of=DAY, fmt=fmt)
            for kind, subject in (("progress", ""), ("partner", "alpha"))
            for fmt in ("html", "pdf", "docx")
        }
    with at(CORRECTED):
        alpha.amount = alpha.amount_usd = Decimal("175000000")
        alpha.save()
        set_countries(alpha, {"GT": None})
    return editions


@pytest.mark.parametrize("kind,subject", [("progress", ""), ("partner", "alpha")])
def test_recorded_on_reproduces_the_published_edition(published, kind, subject):
    original = published[(kind, "html")]
    assert original.edition.recorded_on == PUBLISHED.date()
    assert not original.edition.from_history
    with at(REGENERATED):
        again = generate(kind, subject, as_of=DAY, recorded_on=PUBLISHED.date())
        live = generate(kind, subject, as_of=DAY)
    assert again.edition.from_history
    assert again.edition.checksum == original.edition.checksum
    assert canonical_json(
        kind, again.edition.subject, DAY, again.edition.figures
    ) == canonical_json(kind, original.edition.subject, DAY, original.edition.figures)
    # Same dates, same figures: the same document, word for word.
    assert again.content == original.content
    assert live.edition.checksum != original.edition.checksum
    assert "US$175,000,000" in extract.html_text(live.content)
    assert "US$175,000,000" not in extract.html_text(again.content)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_regenerated_pdf_and_docx_show_the_same_text(published, fmt):
    original = published[("progress", fmt)]
    with at(REGENERATED):
        again = generate("progress", as_of=DAY, recorded_on=PUBLISHED.date(), fmt=fmt)
    assert extract.text_of(again.content, fmt) == extract.text_of(original.content, fmt)
    assert "US$150,000,000" in extract.text_of(again.content, fmt)
    if fmt == "pdf":
        assert again.content == original.content  # invariant PDFs: byte for byte


def test_the_command_reproduces_it_too(published, tmp_path):
    original = published[("progress", "pdf")]
    out = io.StringIO()
    with at(REGENERATED):
        call_command(
            "report",
            "progress",
            "--as-of",
            "2022-06-07",
            "--recorded-on",
            "2023-03-01",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "again.pdf"),
            stdout=out,
        )
        call_command(
            "report", "progress", "--as-of", "2022-06-07", "--output", str(tmp_path / "now.html")
        )
    assert original.edition.checksum in out.getvalue()
    assert (tmp_path / "again.pdf").read_bytes() == original.content
    meta = extract.pdf_metadata((tmp_path / "again.pdf").read_bytes())
    assert f"sha256={original.edition.checksum}" in meta["/Keywords"]
    assert "recorded-on=2023-03-01" in meta["/Keywords"]
    assert original.edition.checksum not in (tmp_path / "now.html").read_text()
