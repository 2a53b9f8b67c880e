"""Partner pages and the partner index: figures from the figures module, confidential totals
withheld, aliases searched."""

import pytest
from django.utils import timezone

from adelante.commitments.models import Commitment
from adelante.figures.listing import partner_total
from adelante.figures.reached import invested
from tests.portal.conftest import DEC, SCRIPT, figure, number_in

pytestmark = pytest.mark.django_db


def test_a_partners_figures_and_commitments(client, record):
    partner = record.alpha.partner
    page = client.get(f"/en/partners/{partner.slug}/").content.decode()
    today = timezone.localdate()
    total = partner_total(partner.id, today)
    assert number_in(figure(page, "committed")) == total.amount_usd
    mine = Commitment.objects.filter(partner=partner).values("id")
    assert number_in(figure(page, "invested")) == invested(today, within=mine).value
    assert "Alphabet Soup" in page  # its alias
    assert record.alpha.reference in page and record.restated.reference in page
    assert "restatement" in page
    assert "US$2,500,000" in page  # the commitment's progress to date
    assert f"/en/commitments/?partner={partner.slug}" in page


def test_a_confidential_amount_is_left_out_of_the_partners_total(client, record):
    page = client.get(f"/en/partners/{record.secret.partner.slug}/").content.decode()
    assert number_in(figure(page, "committed")) == 0
    assert "Plus 1 commitment with a confidential amount, not in this total." in page
    assert "12,345,678" not in page


def test_as_of_a_past_date(client, record):
    partner = record.alpha.partner
    page = client.get(f"/en/partners/{partner.slug}/", {"as_of": DEC.isoformat()}).content.decode()
    assert number_in(figure(page, "committed")) == partner_total(partner.id, DEC).amount_usd
    assert record.restated.reference not in page  # announced later


def test_unpublished_partner_is_404(client, record):
    assert client.get(f"/en/partners/{record.proposal.partner.slug}/").status_code == 404
    assert client.get("/en/partners/nobody/").status_code == 404


def test_index_search_filters_and_escaping(client, record):
    page = client.get("/en/partners/").content.decode()
    assert "Alpha Corp" in page and "Epsilon" not in page
    assert SCRIPT not in page and "&lt;script&gt;" in page
    found = client.get("/en/partners/", {"q": "alphabet"}).content.decode()
    assert "Alpha Corp" in found and "Beta Foundation" not in found
    foundations = client.get("/en/partners/", {"type": "foundation"}).content.decode()
    assert "Beta Foundation" in foundations and "Alpha Corp" not in foundations
    honduras = client.get("/en/partners/", {"country": "hn"}).content.decode()
    assert "Gamma Bank" in honduras and "Alpha Corp" not in honduras
    regional = client.get("/en/partners/", {"country": "regional"}).content.decode()
    assert "Eta Regional" in regional and "Gamma Bank" not in regional


@pytest.mark.parametrize("params", [{"type": "pirate"}, {"country": "xx"}, {"page": "zero"}])
def test_index_bad_parameters(client, record, params):
    assert client.get("/en/partners/", params).status_code == 400


def test_index_page_out_of_range(client, record):
    response = client.get("/en/partners/", {"page": "999"})
    assert response.status_code == 404
    assert "There is no page 999" in response.content.decode()
