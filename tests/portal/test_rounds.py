"""Round pages and the round index: the round's row, its statements beside the record."""

import pytest
from django.utils import timezone

from adelante.figures.committed import committed_by
from adelante.figures.reconcile import reconcile_on
from adelante.figures.rounds import round_figures
from tests.portal.conftest import DEC, FEB, cell, figure, number_in

pytestmark = pytest.mark.django_db


def test_a_rounds_figures_and_statements(client, record):
    the_round = record.pesos.round
    page = client.get(f"/en/rounds/{the_round.slug}/").content.decode()
    figures = round_figures(the_round.id, timezone.localdate())
    # Rule 7: public figures leave confidential amounts out; nothing is withheld.
    assert not figures.suppressed
    assert number_in(figure(page, "committed")) == figures.amount_usd
    december = round_figures(record.beta.round.id, timezone.localdate())
    shown = client.get(f"/en/rounds/{record.beta.round.slug}/").content.decode()
    assert number_in(figure(shown, "committed")) == december.amount_usd
    assert number_in(figure(page, "partners")) == figures.partners
    for statement in reconcile_on(FEB):
        shown = cell(page, "data-statement", str(statement.statement_id))
        assert number_in(shown) == statement.stated_value
    assert "more than US$950,000,000" in page
    assert "the record cannot back this" in page  # the convening headcount
    assert "Verdict" in page
    assert 'data-verdict="not_computable"' in page  # the convening headcount
    # the round's delivery ladder: its first step is the round's commitments
    assert 'data-ladder="announced-commitments"' in page
    assert record.pesos.reference in page


def test_the_index_rows_are_the_by_round_breakdown(client, record):
    page = client.get("/en/rounds/").content.decode()
    for row in committed_by("round", timezone.localdate()).rows:
        shown = cell(page, "data-key", row.key)
        if row.amount_usd is None:
            assert "withheld" in shown
        else:
            assert number_in(shown) == row.amount_usd


def test_as_of_before_the_round(client, record):
    the_round = record.pesos.round
    page = client.get(f"/en/rounds/{the_round.slug}/", {"as_of": DEC.isoformat()}).content.decode()
    assert "had not been announced yet" in page
    index = client.get("/en/rounds/", {"as_of": DEC.isoformat()}).content.decode()
    assert "not announced yet" in index


def test_unknown_or_unpublished_round_is_404(client, record):
    assert client.get("/en/rounds/no-such-round/").status_code == 404
    assert client.get(f"/en/rounds/{record.proposal.round.slug}/").status_code in (200, 404)
