"""The IATI benchmark: its generated files are IATI, and a measurement runs end to end."""

from __future__ import annotations

import pytest
from lxml import etree

from adelante.iati.models import AidActivity
from benchmarks.iati import format_table, generate, measure_file

pytestmark = pytest.mark.django_db


def test_generated_files_are_valid_iati_of_the_size_asked(tmp_path, validator):
    path = tmp_path / "bench.xml"
    count = generate(path, 0.3, seed=7)
    assert 0.3e6 <= path.stat().st_size < 0.33e6
    document = etree.parse(str(path))
    assert len(document.getroot()) == count
    assert validator.schema(document) == []
    again = tmp_path / "again.xml"
    generate(again, 0.3, seed=7)
    assert again.read_bytes() == path.read_bytes()


def test_a_measurement(tmp_path):
    path = tmp_path / "bench.xml"
    count = generate(path, 0.2, seed=3)
    measured = measure_file(path, "test database", repeat=1)
    assert measured.activities == count
    assert 0 < measured.kept < count  # some activities are for neighbouring countries
    assert AidActivity.objects.count() == measured.kept
    assert measured.transactions > measured.kept
    assert measured.peak_rss_mb >= measured.baseline_rss_mb > 0
    assert measured.ratio > 0 and measured.cpu_ratio > 0
    table = format_table([measured], markdown=True)
    assert table.splitlines()[2].startswith("| test database | 0.2 |")
