"""The overview shows the figures module's answers, in English and Spanish, as of any date."""

import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from adelante.commitments.choices import StatementFigure
from adelante.figures.committed import committed, committed_by
from adelante.figures.reached import invested, reached
from adelante.figures.reconcile import latest_reconciled
from adelante.figures.timeline import committed_timeline
from tests.portal.conftest import DEC, FEB, JUN, cell, figure, number_in

pytestmark = pytest.mark.django_db


def test_root_redirects_by_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-HN,es;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/es/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")["Location"] == "/en/"


def test_headline_figures_are_the_figures_modules(client, record):
    page = client.get("/en/").content.decode()
    today = timezone.localdate()
    total = committed(today)
    assert number_in(figure(page, "committed")) == total.amount_usd
    assert figure(page, "committed").startswith("at least")  # Beta's amount is "at least"
    assert number_in(figure(page, "partners")) == total.partners
    official = latest_reconciled(StatementFigure.COMMITTED_USD, today)[0]
    assert number_in(figure(page, "official")) == official.stated_value
    assert figure(page, "official").startswith("more than")
    # "more than X" with the record below X: short by at least the difference, never negative
    assert official.judgement.by == official.gap > 0
    assert figure(page, "verdict").startswith("Record short by at least")
    assert number_in(figure(page, "verdict")) == official.judgement.by
    assert number_in(figure(page, "invested")) == invested(today).value == Decimal("3200000")
    assert (
        number_in(figure(page, "reached-people_trained")) == reached("people_trained", today).value
    )
    assert "US$650,000,000" in page  # the official invested figure beside the record's


def test_the_confidential_amount_is_left_out_and_counted(client, record):
    page = client.get("/en/").content.decode()
    assert "12,345,678" not in page
    total = committed(timezone.localdate())
    assert number_in(figure(page, "committed")) == total.amount_usd
    assert total.commitments_confidential == 1
    assert "Plus 1 commitment with a confidential amount, not in this total." in page
    # Rule 7: no cell holds it (none is withheld); Honduras's only amount is confidential.
    assert number_in(cell(page, "data-key", "HN")) == 0
    assert "withheld" not in page
    spanish = client.get("/es/").content.decode()
    assert "Más 1 compromiso con un monto confidencial, que no está en este total." in spanish


def test_every_breakdown_row_is_the_figures_modules(client, record):
    page = client.get("/en/").content.decode()
    today = timezone.localdate()
    for dimension in ("country", "kind", "partner-type", "focus"):
        for row in committed_by(dimension, today).rows:
            shown = re.findall(rf'data-key="{re.escape(row.key)}"[^>]*>(.*?)</td>', page, re.S)
            assert shown, (dimension, row.key)
            if row.amount_usd is not None:
                assert any(number_in(s) == row.amount_usd for s in shown), (dimension, row.key)


def test_the_timeline_table_is_committed_on_each_day(client, record):
    page = client.get("/en/").content.decode()
    for point in committed_timeline(timezone.localdate()).points:
        shown = cell(page, "data-day", point.day.isoformat())
        assert number_in(shown) == committed(point.day).amount_usd


def test_chart_data_is_embedded_for_the_chart_script(client, record):
    page = client.get("/en/").content.decode()
    data = re.search(
        r'id="committed-by-kind-data" type="application/json">(.*?)</script>', page, re.S
    )
    drawing = json.loads(data.group(1))
    assert drawing["kind"] == "bar"
    assert "chart.umd.min.js" in page and "charts.js" in page
    assert "cdn" not in page.lower()


def test_as_of_a_past_date(client, record):
    page = client.get("/en/", {"as_of": JUN.isoformat()}).content.decode()
    assert "Past view." in page
    assert number_in(figure(page, "committed")) == committed(JUN).amount_usd
    # The withdrawal on that very day: Delta no longer counts; before it, it did.
    before = client.get("/en/", {"as_of": DEC.isoformat()}).content.decode()
    assert number_in(figure(before, "committed")) == committed(DEC).amount_usd
    assert committed(DEC).amount_usd == Decimal("345000000.00")
    # The official figure of that date.
    feb = client.get("/en/", {"as_of": FEB.isoformat()}).content.decode()
    assert "more than US$4,200,000,000" in feb
    assert "US$4,200,000,000" not in page


def test_a_future_date_is_brought_back_to_today(client, record):
    page = client.get("/en/", {"as_of": "2999-01-01"}).content.decode()
    assert "after today" in page
    assert "Past view." not in page
    assert number_in(figure(page, "committed")) == committed(timezone.localdate()).amount_usd


def test_overview_in_spanish(client, record):
    page = client.get("/es/").content.decode()
    assert 'lang="es"' in page
    total = committed(timezone.localdate()).amount_usd
    assert number_in(figure(page, "committed"), "es") == total
    # Latin-American Spanish (CLDR es_419): the sign first, commas between thousands.
    assert f"US${int(total):,}" in figure(page, "committed")
    assert "mil millones" not in page


def test_empty_record_says_so(client):
    page = client.get("/en/").content.decode()
    assert "No commitments recorded yet" in page
