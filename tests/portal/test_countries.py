"""Country pages: the country's row, the shared and regional parts beside it, invested."""

import pytest
from django.utils import timezone

from adelante.figures.committed import committed_by
from adelante.figures.country import country_figures
from tests.portal.conftest import SCRIPT, cell, figure, number_in

pytestmark = pytest.mark.django_db


def test_a_countrys_figures(client, record):
    page = client.get("/en/countries/gt/").content.decode()
    figures = country_figures("GT", timezone.localdate())
    assert number_in(figure(page, "allocated")) == figures.allocated.amount_usd
    assert number_in(figure(page, "shared")) == figures.shared.amount_usd
    assert figure(page, "regional").startswith("US$0") or figures.regional.amount_usd == 0
    assert number_in(figure(page, "partners")) == figures.partners
    assert number_in(figure(page, "invested-alone")) == figures.invested_alone.value
    assert number_in(figure(page, "invested-with-others")) == figures.invested_with_others.value
    assert "a share of 60 %" in page  # Alpha's split
    assert "several countries, no split stated" in page  # Beta names GT and HN
    assert "regional" in page and record.regional.reference in page


def test_the_confidential_amount_is_left_out_of_the_country_and_counted(client, record):
    page = client.get("/en/countries/hn/").content.decode()
    # Rule 7: Honduras's only allocated amount is confidential, so its public figure is zero,
    # with the note that says why.
    assert number_in(figure(page, "allocated")) == 0
    assert "Plus 1 commitment with a confidential amount, not in this total." in page
    assert "12,345,678" not in page


def test_the_index_rows_are_the_by_country_breakdown(client, record):
    page = client.get("/en/countries/").content.decode()
    for row in committed_by("country", timezone.localdate()).rows:
        shown = cell(page, "data-key", row.key)
        assert "withheld" in shown if row.amount_usd is None else number_in(shown) == row.amount_usd
    assert 'href="/en/countries/gt/"' in page


def test_codes(client, record):
    response = client.get("/en/countries/GT/", {"as_of": "2022-06-07"})
    assert response.status_code == 301
    assert response["Location"] == "/en/countries/gt/?as_of=2022-06-07"
    assert client.get("/en/countries/xx/").status_code == 404
    assert client.get(f"/en/countries/{SCRIPT}/").status_code == 404
