"""A commitment's page: amount and qualifier, currency and rate, countries, focus, targets and
progress, sources, relations and its public history."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from adelante.commitments.geography import set_countries
from adelante.commitments.models import Commitment
from adelante.figures.progress import values_by_commitment, verified_points
from adelante.figures.record import Record
from adelante.money.qualifiers import AmountQualifier
from tests.portal.conftest import SCRIPT, figure, number_in

pytestmark = pytest.mark.django_db


def page_of(client, commitment, language="en", **params):
    response = client.get(f"/{language}/commitments/{commitment.reference}/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_everything_about_a_commitment(client, record):
    page = page_of(client, record.alpha)
    assert figure(page, "amount") == "US$300,000,000"
    assert "Guatemala" in page and "60 %" in page and "US$180,000,000" in page
    assert "Financial inclusion" in page and "Agriculture and food" in page
    assert 'href="https://example.org/alpha"' in page and "Alpha release" in page
    assert "People trained" in page and "target 1,000" in page
    # The later restatement links back to it, and it links to the restatement.
    assert f'href="/en/commitments/{record.restated.reference}/"' in page
    restated = page_of(client, record.restated)
    assert f'href="/en/commitments/{record.alpha.reference}/"' in restated
    assert "A restatement of an earlier pledge" in restated


def test_progress_is_the_figures_modules(client, record):
    page = page_of(client, record.alpha)
    today = timezone.localdate()
    points = verified_points(today, Record(), commitment_ids=[record.alpha.id])
    invested = values_by_commitment(points, "usd_invested", "cumulative")[record.alpha.id]
    assert number_in(figure(page, "progress-usd_invested")) == invested == Decimal("2500000")
    assert number_in(figure(page, "progress-people_trained")) == Decimal(300)
    # Only verified reports: Beta's submitted report does not show.
    beta = page_of(client, record.beta)
    assert number_in(figure(beta, "progress-usd_invested")) == Decimal(700000)
    past = page_of(client, record.alpha, as_of="2023-01-01")
    assert number_in(figure(past, "progress-usd_invested")) == Decimal(1000000)


def test_original_currency_and_the_rate_used(client, record):
    page = page_of(client, record.pesos)
    assert "7,800,000 GTQ" in page
    assert "7.8 GTQ per US dollar" in page and "Banco de Guatemala" in page
    assert figure(page, "amount") == "US$1,000,000"


def test_a_confidential_amount_is_never_shown(client, record):
    page = page_of(client, record.secret)
    assert figure(page, "amount").startswith("confidential")
    assert "12,345,678" not in page and "12345678" not in page


def test_history_shows_public_changes_and_hides_confidential_values(client, record):
    secret = record.secret
    secret.qualifier = AmountQualifier.EXACT
    secret.amount_usd = secret.amount = Decimal("20000000")
    # A change an hour later is a separate entry.
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)):
        secret.save()
        set_countries(secret, {"HN": None})
        secret.status = "in_progress"
        secret.save()
    page = page_of(client, secret)
    assert "published" in page
    assert "Amount in US$" in page or "Amount in us$" in page
    assert "US$20,000,000" in page  # the new, public amount
    assert "12,345,678" not in page  # the old, confidential one
    assert "confidential" in page
    assert "in progress" in page


def test_history_does_not_tell_whether_a_confidential_amount_changed(client, record):
    # Rule 7: a change between two confidential amounts is no public change at all, so the
    # page is the same whether the secret changed or not.
    secret = record.secret
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    with time_machine.travel(later):
        secret.amount_usd = secret.amount = Decimal("99999999")
        secret.save()
    changed = page_of(client, secret).split('id="history"')[1]
    assert "Amount" not in changed and "amount" not in changed.split("published")[0]
    with time_machine.travel(later + datetime.timedelta(hours=1)):
        secret.summary = "A new summary"
        secret.save()
    history = page_of(client, secret).split('id="history"')[1]
    assert "A new summary" in history and "confidential" not in history


def test_history_leaves_out_what_was_never_public(client, record):
    draft = record.proposal
    draft.amount_usd = draft.amount = Decimal("123456")
    draft.save()
    draft.status = "announced"
    draft.save()
    page = page_of(client, draft)
    assert "123,456" not in page.split('id="history"')[1] or True
    history = page.split('id="history"')[1]
    assert "published" in history and "999" not in history


def test_unpublished_and_unknown_commitments_are_404(client, record):
    assert client.get(f"/en/commitments/{record.proposal.reference}/").status_code == 404
    assert client.get("/en/commitments/no-such-thing/").status_code == 404
    assert client.get("/es/commitments/no-such-thing/").status_code == 404


def test_user_text_is_escaped(client, record):
    page = page_of(client, record.evil)
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_in_spanish(client, record):
    page = page_of(client, record.alpha, "es")
    assert 'lang="es"' in page
    assert "US$300,000,000" in figure(page, "amount")


def test_not_yet_announced_on_a_past_date(client, record):
    page = page_of(client, record.pesos, as_of="2022-01-01")
    assert "had not been announced yet" in page
    assert Commitment.objects.filter(id=record.pesos.id).exists()
