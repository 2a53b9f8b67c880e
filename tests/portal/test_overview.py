"""The overview page shows the figures module's answers, in English and Spanish."""

import datetime
from decimal import Decimal

import pytest

from adelante.commitments.choices import StatementFigure
from adelante.commitments.models import OfficialStatement
from tests import builders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 2, 6)


@pytest.fixture
def record():
    builders.commitment("Alpha", "300000000", DAY, countries={"GT": Decimal(50), "SV": Decimal(50)})
    builders.commitment("Beta <script>alert(1)</script>", "40000000", DAY - datetime.timedelta(days=300))
    builders.commitment("Gamma", None, DAY, countries=[])
    OfficialStatement.objects.create(
        stated_on=DAY,
        metric="cumulative_committed_usd",
        value=Decimal("4200000000"),
        unit="USD",
        qualifier="at_least",
        source_url="https://example.org/fact-sheet",
        figure=StatementFigure.COMMITTED_USD,
    )


def test_root_redirects_by_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-HN,es;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/es/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")["Location"] == "/en/"


def test_overview_in_english(client, record):
    page = client.get("/en/").content.decode()
    assert 'lang="en"' in page
    assert "US$340,000,000" in page
    assert "more than US$4,200,000,000" in page
    assert "US$3,860,000,000" in page  # the part not itemised
    assert "https://example.org/fact-sheet" in page
    assert "Guatemala" in page and "The region (no country named)" in page


def test_overview_in_spanish(client, record):
    page = client.get("/es/").content.decode()
    assert 'lang="es"' in page
    assert "340.000.000 US$" in page
    assert "más de 4.200.000.000 US$" in page
    assert "Comprometido" in page


def test_empty_record_says_so(client):
    page = client.get("/en/").content.decode()
    assert "No commitments recorded yet" in page
