"""The commitments admin: search, filters, derived amounts, shares and the reason for a change."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from adelante.commitments import geography
from adelante.commitments.models import Commitment, CountryShare
from adelante.currency.models import ExchangeRate
from adelante.initiatives.models import InitiativeCountry
from tests.adminforms import DAY, inline_rows, partner, posted, sample_record

pytestmark = pytest.mark.django_db

ADD = "admin:commitments_commitment_add"
CHANGE = "admin:commitments_commitment_change"
CHANGELIST = "admin:commitments_commitment_changelist"


def url(name: str, *args: Any, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def shares_of(commitment: Commitment) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    return {
        row.country: (row.share_percent, row.amount_usd)
        for row in CountryShare.objects.filter(commitment=commitment)
    }


def add_form(client: Client, language: str = "en", **changes: Any) -> dict[str, Any]:
    """What the add page posts, for a new commitment of the sample partner and round."""
    record = sample_record()
    data = posted(
        client.get(url(ADD, language=language)),
        reference="new-one",
        partner=record["partner"].pk,
        round=record["round"].pk,
        title="New commitment",
        status="announced",
    )
    data.update(changes)
    return data


def found(client: Client, **query: str) -> set[str]:
    response = client.get(url(CHANGELIST), query)
    assert response.status_code == 200
    return {c.reference for c in response.context["cl"].result_list}


# Search and filters


def test_search_by_reference_title_summary_partner_and_alias(admin_client: Client) -> None:
    sample_record()
    other = partner("Millicom", "Tigo")
    Commitment.objects.create(reference="tigo-2021", partner=other, announced_on=DAY)
    assert found(admin_client, q="2022-06-07-nespresso") == {"2022-06-07-nespresso"}
    assert found(admin_client, q="coffee sourcing") == {"2022-06-07-nespresso"}
    assert found(admin_client, q="smallholders") == {"2022-06-07-nespresso"}
    assert found(admin_client, q="Nespresso") == {"2022-06-07-nespresso"}
    assert found(admin_client, q="Nestlé") == {"2022-06-07-nespresso"}
    assert found(admin_client, q="nestle") == {"2022-06-07-nespresso"}
    assert found(admin_client, q="Tigo") == {"tigo-2021"}
    assert found(admin_client, q="no such thing") == set()


def test_filters(admin_client: Client) -> None:
    record = sample_record()
    other = partner("Fundación Pantaleón")
    other.type = "foundation"
    other.save()
    Commitment.objects.create(
        reference="regional-one",
        partner=other,
        announced_on=DAY,
        qualifier="at_least",
        kind="programme",
        relation="restatement",
        status="withdrawn",
        withdrawn_on=DAY,
    )
    both = {"2022-06-07-nespresso", "regional-one"}
    assert found(admin_client) == both
    assert found(admin_client, round__id__exact=str(record["round"].pk)) == {"2022-06-07-nespresso"}
    assert found(admin_client, status__exact="withdrawn") == {"regional-one"}
    assert found(admin_client, kind__exact="programme") == {"regional-one"}
    assert found(admin_client, qualifier__exact="exact") == {"2022-06-07-nespresso"}
    assert found(admin_client, relation__exact="restatement") == {"regional-one"}
    assert found(admin_client, partner__type__exact="foundation") == {"regional-one"}
    assert found(admin_client, geography="HN") == {"2022-06-07-nespresso"}
    assert found(admin_client, geography="SV") == set()
    assert found(admin_client, geography="regional") == {"regional-one"}
    assert found(admin_client, geography="multi") == set()
    assert found(admin_client, geography="multi-country") == set()
    assert found(admin_client, announced_on__year="2022") == both


@pytest.mark.parametrize("language", ["en", "es"])
def test_changelist_shows_the_columns(admin_client: Client, language: str) -> None:
    sample_record()
    response = admin_client.get(url(CHANGELIST, language=language))
    text = response.content.decode()
    assert "Nespresso" in text
    assert "Summit of the Americas" in text
    assert ("Buscar" if language == "es" else "Search") in text


# Shares and allocated amounts


def test_new_commitment_with_shares_60_40_allocates_the_whole_amount(
    admin_client: Client,
) -> None:
    data = add_form(admin_client, amount="100.01", currency="usd")
    data.update(
        inline_rows(
            "countries",
            [{"country": "GT", "share_percent": "60"}, {"country": "SV", "share_percent": "40"}],
        )
    )
    response = admin_client.post(url(ADD), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    made = Commitment.objects.get(reference="new-one")
    assert made.amount_usd == Decimal("100.01")
    assert made.currency == "USD"
    assert made.exchange_rate is None
    assert made.announced_on == DAY  # from the round
    allocated = shares_of(made)
    assert allocated == {
        "GT": (Decimal(60), Decimal("60.01")),
        "SV": (Decimal(40), Decimal("40.00")),
    }
    assert sum(a for _, a in allocated.values() if a is not None) == made.amount_usd


def test_shares_adding_up_to_90_show_the_form_again_and_save_nothing(
    admin_client: Client,
) -> None:
    data = add_form(admin_client, amount="1000")
    data.update(
        inline_rows(
            "countries",
            [{"country": "GT", "share_percent": "50"}, {"country": "SV", "share_percent": "40"}],
        )
    )
    before = Commitment.objects.count()
    response = admin_client.post(url(ADD), data)
    assert response.status_code == 200
    assert "The shares add up to 90%; they must add up to 100%." in response.content.decode()
    assert Commitment.objects.count() == before
    assert not CountryShare.objects.filter(commitment__reference="new-one").exists()


def test_shares_error_in_spanish(admin_client: Client) -> None:
    data = add_form(admin_client, language="es", amount="1000")
    data.update(
        inline_rows(
            "countries",
            [{"country": "GT", "share_percent": "50"}, {"country": "SV", "share_percent": "40"}],
        )
    )
    response = admin_client.post(url(ADD, language="es"), data)
    assert response.status_code == 200
    assert "Las cuotas suman 90 %" in response.content.decode()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [{"country": "GT", "share_percent": "60"}, {"country": "SV", "share_percent": ""}],
            "Give a share for every country, or for none.",
        ),
        (
            [{"country": "GT", "share_percent": "120"}, {"country": "SV", "share_percent": "-20"}],
            "Ensure this value is",
        ),
        (
            [{"country": "GT", "share_percent": "50"}, {"country": "GT", "share_percent": "50"}],
            "Please correct the duplicate data",
        ),
    ],
)
def test_bad_shares_are_form_errors(
    admin_client: Client, rows: list[dict[str, str]], message: str
) -> None:
    data = add_form(admin_client, amount="1000")
    data.update(inline_rows("countries", rows))
    response = admin_client.post(url(ADD), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Commitment.objects.filter(reference="new-one").exists()


def test_one_country_without_share_takes_the_whole_amount(admin_client: Client) -> None:
    data = add_form(admin_client, amount="5000000")
    data.update(inline_rows("countries", [{"country": "HN", "share_percent": ""}]))
    assert admin_client.post(url(ADD), data).status_code == 302
    made = Commitment.objects.get(reference="new-one")
    assert shares_of(made) == {"HN": (Decimal(100), Decimal("5000000.00"))}


def test_several_countries_without_shares_allocate_nothing(admin_client: Client) -> None:
    data = add_form(admin_client, amount="5000000")
    data.update(
        inline_rows("countries", [{"country": "HN", "share_percent": ""}, {"country": "GT"}])
    )
    assert admin_client.post(url(ADD), data).status_code == 302
    made = Commitment.objects.get(reference="new-one")
    assert shares_of(made) == {"HN": (None, None), "GT": (None, None)}


def test_changing_the_amount_reallocates_the_unchanged_shares(admin_client: Client) -> None:
    commitment = sample_record()["commitment"]
    page = admin_client.get(url(CHANGE, commitment.pk))
    response = admin_client.post(url(CHANGE, commitment.pk), posted(page, amount="0.03"))
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.amount_usd == Decimal("0.03")
    assert shares_of(commitment) == {
        "GT": (Decimal(50), Decimal("0.02")),
        "HN": (Decimal(50), Decimal("0.01")),
    }


def test_deleting_a_share_row_and_changing_another(admin_client: Client) -> None:
    commitment = sample_record()["commitment"]
    page = admin_client.get(url(CHANGE, commitment.pk))
    data = posted(page)
    rows = {data[f"countries-{i}-country"]: i for i in range(2)}
    data[f"countries-{rows['HN']}-DELETE"] = "on"
    data[f"countries-{rows['GT']}-share_percent"] = ""
    response = admin_client.post(url(CHANGE, commitment.pk), data)
    assert response.status_code == 302
    assert shares_of(commitment) == {"GT": (Decimal(100), Decimal("150000000.00"))}


def test_removing_every_country_makes_it_regional(admin_client: Client) -> None:
    commitment = sample_record()["commitment"]
    data = posted(admin_client.get(url(CHANGE, commitment.pk)))
    for i in range(2):
        data[f"countries-{i}-DELETE"] = "on"
    assert admin_client.post(url(CHANGE, commitment.pk), data).status_code == 302
    assert shares_of(commitment) == {}


# The US$ amount


def test_amount_in_another_currency_is_converted_at_the_rate_of_the_day(
    admin_client: Client,
) -> None:
    data = add_form(admin_client, amount="775000", currency="gtq")
    data.update(inline_rows("countries", [{"country": "GT", "share_percent": ""}]))
    assert admin_client.post(url(ADD), data).status_code == 302
    made = Commitment.objects.get(reference="new-one")
    rate = ExchangeRate.objects.get(currency="GTQ", on=DAY)
    assert (made.amount, made.currency) == (Decimal("775000.00"), "GTQ")
    assert made.amount_usd == Decimal("100000.00")
    assert made.exchange_rate == rate
    assert shares_of(made) == {"GT": (Decimal(100), Decimal("100000.00"))}


def test_amount_in_a_currency_without_a_rate_that_day_is_a_form_error(
    admin_client: Client,
) -> None:
    data = add_form(admin_client, amount="1000", currency="HNL")
    response = admin_client.post(url(ADD), data)
    assert response.status_code == 200
    assert "There is no exchange rate for HNL on" in response.content.decode()
    assert not Commitment.objects.filter(reference="new-one").exists()


def test_amount_in_another_currency_needs_a_date(admin_client: Client) -> None:
    data = add_form(admin_client, amount="1000", currency="GTQ", round="", announced_on="")
    response = admin_client.post(url(ADD), data)
    assert response.status_code == 200
    assert "is converted at the rate of the announcement date" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"currency": "US$"}, "Enter a three-letter ISO 4217 currency code"),
        ({"qualifier": "undisclosed"}, "An undisclosed amount is left empty"),
        ({"amount": "-5"}, "The amount must be more than zero."),
        ({"amount": "0"}, "The amount must be more than zero."),
        ({"amount": "1000000000000.01"}, "The amount is too large"),
        ({"amount": ""}, "Give the amount, or choose “undisclosed”."),
        ({"status": "withdrawn"}, "Give the date it was withdrawn"),
        ({"withdrawn_on": "2022-07-01"}, "Only a withdrawn commitment has a withdrawal date."),
        (
            {"starts_on": "2023-01-01", "ends_on": "2022-01-01"},
            "The commitment ends before it starts.",
        ),
    ],
)
def test_inconsistent_commitments_are_form_errors(
    admin_client: Client, changes: dict[str, str], message: str
) -> None:
    data = add_form(admin_client, **{"amount": "1000", **changes})
    response = admin_client.post(url(ADD), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Commitment.objects.filter(reference="new-one").exists()


def test_undisclosed_commitment_without_amount(admin_client: Client) -> None:
    data = add_form(admin_client, amount="", qualifier="undisclosed")
    assert admin_client.post(url(ADD), data).status_code == 302
    made = Commitment.objects.get(reference="new-one")
    assert (made.amount, made.amount_usd) == (None, None)


def test_a_commitment_cannot_relate_to_itself(admin_client: Client) -> None:
    commitment = sample_record()["commitment"]
    page = admin_client.get(url(CHANGE, commitment.pk))
    response = admin_client.post(
        url(CHANGE, commitment.pk), posted(page, relation="increase", relates_to=commitment.pk)
    )
    assert response.status_code == 200
    assert "A commitment cannot relate to itself." in response.content.decode()


def test_us_dollar_amount_recorded_without_amount_is_kept(admin_client: Client) -> None:
    commitment = sample_record()["commitment"]
    Commitment.objects.filter(pk=commitment.pk).update(amount=None)
    page = admin_client.get(url(CHANGE, commitment.pk))
    assert admin_client.post(url(CHANGE, commitment.pk), posted(page)).status_code == 302
    commitment.refresh_from_db()
    assert commitment.amount == commitment.amount_usd == Decimal("150000000.00")


# History: who, when, what and why


def test_a_change_with_a_reason_records_the_reason_and_the_user(admin_client: Client) -> None:
    commitment = sample_record()["commitment"]
    admin_user = get_user_model().objects.get(username="admin")
    page = admin_client.get(url(CHANGE, commitment.pk))
    assert "Reason for this change" in page.content.decode()
    data = posted(
        page,
        title="Coffee sourcing, restated",
        change_reason="Corrected from the company's 2023 report",
    )
    rows = {data[f"countries-{i}-country"]: i for i in range(2)}
    data[f"countries-{rows['GT']}-share_percent"] = "70"
    data[f"countries-{rows['HN']}-share_percent"] = "30"
    data.update({"targets-0-value": "2000"})
    before = datetime.datetime.now(tz=datetime.UTC)
    response = admin_client.post(url(CHANGE, commitment.pk), data)
    assert response.status_code == 302

    latest = commitment.history.latest()  # type: ignore[attr-defined]
    assert latest.title == "Coffee sourcing, restated"
    assert latest.history_change_reason == "Corrected from the company's 2023 report"
    assert latest.history_user == admin_user
    assert latest.history_date >= before
    for row in CountryShare.history.filter(commitment_id=commitment.pk, history_date__gte=before):  # type: ignore[attr-defined]
        assert row.history_change_reason == "Corrected from the company's 2023 report"
        assert row.history_user == admin_user
    changed_rows = CountryShare.history.filter(  # type: ignore[attr-defined]
        commitment_id=commitment.pk, history_date__gte=before
    )
    assert {r.country for r in changed_rows} == {"GT", "HN"}
    target = commitment.targets.get()
    assert target.value == Decimal(2000)
    assert target.history.latest().history_change_reason == (
        "Corrected from the company's 2023 report"
    )


def test_a_change_without_a_reason_still_records_the_user(admin_client: Client) -> None:
    commitment = sample_record()["commitment"]
    page = admin_client.get(url(CHANGE, commitment.pk))
    admin_client.post(url(CHANGE, commitment.pk), posted(page, title="Renamed"))
    latest = commitment.history.latest()  # type: ignore[attr-defined]
    assert latest.title == "Renamed"
    assert latest.history_change_reason is None
    assert latest.history_user.username == "admin"


def test_a_reason_longer_than_500_characters_is_a_form_error(admin_client: Client) -> None:
    commitment = sample_record()["commitment"]
    page = admin_client.get(url(CHANGE, commitment.pk))
    response = admin_client.post(
        url(CHANGE, commitment.pk), posted(page, title="Renamed", change_reason="x" * 501)
    )
    assert response.status_code == 200
    commitment.refresh_from_db()
    assert commitment.title == "Coffee sourcing"


def test_the_reason_does_not_leak_into_later_changes(admin_client: Client) -> None:
    commitment = sample_record()["commitment"]
    page = admin_client.get(url(CHANGE, commitment.pk))
    admin_client.post(url(CHANGE, commitment.pk), posted(page, change_reason="First"))
    commitment.refresh_from_db()
    commitment.title = "Changed in code"
    commitment.save()
    assert commitment.history.latest().history_change_reason is None  # type: ignore[attr-defined]


def test_history_page_lists_the_reason(admin_client: Client) -> None:
    commitment = sample_record()["commitment"]
    page = admin_client.get(url(CHANGE, commitment.pk))
    admin_client.post(url(CHANGE, commitment.pk), posted(page, change_reason="Typo in title"))
    history = admin_client.get(url("admin:commitments_commitment_history", commitment.pk))
    assert history.status_code == 200
    assert "Typo in title" in history.content.decode()


def test_reverting_an_amount_from_the_history_reallocates(admin_client: Client) -> None:
    commitment = sample_record()["commitment"]
    first = commitment.history.earliest()  # type: ignore[attr-defined]
    page = admin_client.get(url(CHANGE, commitment.pk))
    admin_client.post(url(CHANGE, commitment.pk), posted(page, amount="1000"))
    assert shares_of(commitment)["GT"] == (Decimal(50), Decimal("500.00"))
    revert_url = url("admin:commitments_commitment_simple_history", commitment.pk, first.pk)
    response = admin_client.post(revert_url, posted(admin_client.get(revert_url)))
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.amount_usd == Decimal("150000000.00")
    assert shares_of(commitment)["GT"] == (Decimal(50), Decimal("75000000.00"))


def test_a_country_removed_after_the_rules_check_is_refused_under_the_lock(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rows pass the rules while Honduras is the initiative's; it is removed before the
    # check under the initiative's lock (another connection, committed): a form error.
    data = add_form(admin_client, amount="5000000")
    foreign = geography.foreign_countries

    def removed_first(initiative_id: int | None, codes: Any) -> list[str]:
        InitiativeCountry.objects.filter(code="HN").delete()
        return foreign(initiative_id, codes)

    monkeypatch.setattr(geography, "foreign_countries", removed_first)
    data.update(inline_rows("countries", [{"country": "HN", "share_percent": ""}]))
    response = admin_client.post(url(ADD), data)
    assert response.status_code == 200
    assert (
        "Not among the initiative&#x27;s countries (removed meanwhile?): Honduras (HN)."
        in response.content.decode()
    )
    assert not Commitment.objects.filter(reference="new-one").exists()
