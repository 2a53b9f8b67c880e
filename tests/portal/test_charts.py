"""Each chart's CSV holds the same figures as the page, from the same figures call."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from adelante.figures.committed import committed, committed_by
from adelante.figures.timeline import committed_timeline
from tests.portal.conftest import JUN

pytestmark = pytest.mark.django_db


def rows(client, chart, language="en", **params):
    response = client.get(f"/{language}/data/{chart}.csv", params)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("chart", "dimension"),
    [
        ("committed-by-country", "country"),
        ("committed-by-kind", "kind"),
        ("committed-by-focus", "focus"),
        ("committed-by-partner-type", "partner-type"),
    ],
)
def test_breakdown_csv_is_the_breakdown(client, record, chart, dimension):
    today = timezone.localdate()
    breakdown = committed_by(dimension, today)
    table = rows(client, chart)
    by_key = {r["key"]: r for r in table}
    for row in breakdown.rows:
        shown = by_key[row.key]
        assert shown["amount_usd"] == ("" if row.amount_usd is None else str(row.amount_usd))
        assert shown["suppressed"] == ("yes" if row.suppressed else "no")
        assert shown["commitments"] == str(row.commitments)
    if breakdown.total is None:
        assert "total" not in by_key
    else:
        assert by_key["total"]["amount_usd"] == str(breakdown.total.amount_usd)


def test_timeline_csv(client, record):
    table = rows(client, "committed-over-time", as_of=JUN.isoformat())
    itemised = [r for r in table if r["series"] == "itemised"]
    assert [r["date"] for r in itemised] == [
        p.day.isoformat() for p in committed_timeline(JUN).points
    ]
    for r in itemised:
        assert r["amount_usd"] == str(committed(datetime.date.fromisoformat(r["date"])).amount_usd)
    official = [r for r in table if r["series"] == "official"]
    assert [(r["date"], r["amount_usd"]) for r in official] == [("2021-05-27", "750000000.0000")]


def test_labels_follow_the_language(client, record):
    assert any(r["label"] == "Guatemala" for r in rows(client, "committed-by-country", "es"))
    english = {r["key"]: r["label"] for r in rows(client, "committed-by-country")}
    assert english["multi-country"] == "Several countries (no split stated)"
