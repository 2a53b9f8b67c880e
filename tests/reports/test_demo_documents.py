"""The three documents from the real record (the demo), in both languages and three formats;
the PDFs' pages rendered to PNG (pdftoppm) into test-artifacts/reports/ to look at."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from adelante.figures.committed import committed
from adelante.reports.build import generate
from tests.reports import extract
from tests.snapshots import load_real_record

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
FEB_2023 = datetime.date(2023, 2, 6)
DOCUMENTS = [
    ("progress", ""),
    ("round", "2023-02 Central America Forward launch"),
    ("partner", "Millicom (Tigo)"),
]


@pytest.fixture
def demo():
    load_real_record()


def render_pages(pdf: bytes, stem: str, folder: Path) -> list[Path]:
    """The PDF's pages as PNG files (skipped only where pdftoppm is not installed), rendered
    in the test's own folder, then copied to the artefacts (two runs at once never mix)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: no page images")
    source = folder / f"{stem}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(source), str(folder / stem)], check=True)
    pages = sorted(folder.glob(f"{stem}-*.png"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink(missing_ok=True)
    for made in [source, *pages]:
        partial = ARTIFACTS / f"{made.name}.{os.getpid()}.partial"
        shutil.copyfile(made, partial)
        partial.replace(ARTIFACTS / made.name)
    return pages


@pytest.mark.parametrize("kind,subject", DOCUMENTS)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_demo_documents_in_every_format(demo, kind, subject, lang, tmp_path):
    as_of = None if kind == "round" else FEB_2023
    texts = {}
    for fmt in ("html", "pdf", "docx"):
        output = generate(kind, subject, as_of=as_of, language=lang, fmt=fmt)
        assert output.edition.as_of == FEB_2023
        texts[fmt] = extract.text_of(output.content, fmt)
        assert output.edition.checksum in texts[fmt]
        if fmt == "pdf":
            pages = render_pages(output.content, f"{kind}-{lang}", tmp_path)
            assert pages and all(p.stat().st_size > 10_000 for p in pages)
    month = "febrero" if lang == "es" else "February"
    for text in texts.values():
        assert month in text
    if kind == "progress":
        total = "3,641,600,000"  # Spanish as in the region (CLDR es_419)
        assert committed(FEB_2023).amount_usd == 3641600000
        for text in texts.values():
            assert total in text
            assert "whitehouse.gov" in text  # the sources, listed with their links
    if kind == "partner":
        for text in texts.values():
            assert "Millicom" in text
