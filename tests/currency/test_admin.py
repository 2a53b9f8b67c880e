"""The exchange-rate admin: a corrected rate converts again the commitments that used it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from adelante.commitments.models import Commitment, CountryShare
from adelante.currency.models import ExchangeRate
from tests.adminforms import DAY, posted, sample_record

pytestmark = pytest.mark.django_db


def converted_commitment(client: Client) -> Commitment:
    record = sample_record()
    commitment = record["commitment"]
    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    page = client.get(url)
    assert client.post(url, posted(page, amount="775000", currency="GTQ")).status_code == 302
    commitment.refresh_from_db()
    assert commitment.amount_usd == Decimal("100000.00")
    assert commitment.exchange_rate == record["rate"]
    return commitment


def test_correcting_a_rate_converts_its_commitments_again(admin_client: Client) -> None:
    commitment = converted_commitment(admin_client)
    rate = ExchangeRate.objects.get(currency="GTQ", on=DAY)
    url = reverse("admin:currency_exchangerate_change", args=[rate.pk])
    response = admin_client.post(
        url, posted(admin_client.get(url), units_per_usd="7.75", change_reason="Typo")
    )
    assert response.status_code == 302
    response = admin_client.post(
        url, posted(admin_client.get(url), units_per_usd="7.7500000000", change_reason="Same")
    )
    commitment.refresh_from_db()
    assert commitment.amount_usd == Decimal("100000.00")

    response = admin_client.post(
        url, posted(admin_client.get(url), units_per_usd="7.5", change_reason="Central bank fix")
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.amount_usd == Decimal("103333.33")
    shares = {r.country: r.amount_usd for r in CountryShare.objects.filter(commitment=commitment)}
    assert shares == {"GT": Decimal("51666.67"), "HN": Decimal("51666.66")}
    latest = commitment.history.latest()  # type: ignore[attr-defined]
    assert latest.history_change_reason == "Central bank fix"
    assert latest.history_user.username == "admin"


def test_a_rate_in_use_keeps_its_currency_and_date(admin_client: Client) -> None:
    converted_commitment(admin_client)
    rate = ExchangeRate.objects.get(currency="GTQ", on=DAY)
    url = reverse("admin:currency_exchangerate_change", args=[rate.pk])
    response = admin_client.post(url, posted(admin_client.get(url), currency="HNL"))
    assert response.status_code == 200
    assert "Commitments were converted at this rate" in response.content.decode()
    rate.refresh_from_db()
    assert rate.currency == "GTQ"


def test_new_rate_currency_is_upper_cased_and_unique_per_day(admin_client: Client) -> None:
    sample_record()
    add = reverse("admin:currency_exchangerate_add")
    data = posted(
        admin_client.get(add), currency="hnl", on="2022-06-07", units_per_usd="24.6", source="BCH"
    )
    assert admin_client.post(add, data).status_code == 302
    assert ExchangeRate.objects.get(currency="HNL").units_per_usd == Decimal("24.6")
    response = admin_client.post(add, data)
    assert response.status_code == 200
    assert ExchangeRate.objects.filter(currency="HNL").count() == 1
    data["units_per_usd"] = "0"
    data["on"] = "2022-06-08"
    response = admin_client.post(add, data)
    assert response.status_code == 200
    assert ExchangeRate.objects.filter(currency="HNL").count() == 1
