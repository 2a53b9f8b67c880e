"""Official aid per country: split by percentage, dated, labelled, never mixed with commitments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from adelante.currency.models import ExchangeRate
from adelante.figures.committed import committed
from adelante.iati.figures import aid_by_country, country_aid
from adelante.iati.importer import import_iati
from tests import builders
from tests.iati import files
from tests.iati.files import activity, document, transaction

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_sample_for_honduras(sample):
    import_iati([sample])
    aid = country_aid("HN", D(2024, 12, 31))
    assert (aid.committed_usd, aid.disbursed_usd) == (Decimal("1152940.00"), Decimal("902252.00"))
    assert (aid.activities, aid.publishers) == (3, 1)
    assert aid.complete
    earlier = country_aid("HN", D(2023, 6, 30))
    assert (earlier.committed_usd, earlier.disbursed_usd) == (
        Decimal("1152940.00"),
        Decimal("621613.00"),
    )
    assert country_aid("GT", D(2024, 12, 31)).activities == 0


def test_percentages_split_and_unallocated_activities_stand_apart(tmp_path):
    ExchangeRate.objects.create(
        currency="GTQ", on=D(2023, 1, 1), units_per_usd=Decimal("8"), source="test"
    )
    path = files.write(
        tmp_path,
        "aid.xml",
        document(
            activity(
                "XX-SPLIT",
                countries='<recipient-country code="GT" percentage="33.3"/>'
                '<recipient-country code="SV" percentage="66.7"/>',
                transactions=transaction("2", "2023-01-01", "1000.01")
                + transaction("3", "2023-02-01", "100"),
            ),
            activity(
                "XX-SEVERAL",
                countries='<recipient-country code="GT"/><recipient-country code="HN"/>',
                transactions=transaction("2", "2023-01-01", "500"),
            ),
            activity(
                "XX-QUETZALES",
                reporting='<reporting-org ref="GT-GOV" type="10"><narrative>Gobierno'
                "</narrative></reporting-org>",
                countries='<recipient-country code="GT"/>',
                currency="GTQ",
                transactions=transaction("2", "2023-01-01", "800")
                + transaction("3", "2023-03-01", "80"),
            ),
        ),
    )
    import_iati([path])
    gt = country_aid("GT", D(2023, 12, 31))
    # 33.3 % of 1000.01 is 333.00333 → 333.00; all 800 GTQ at 8 per US$ → 100.
    assert gt.committed_usd == Decimal("433.00")
    assert gt.disbursed_usd == Decimal("33.30")
    assert (gt.activities, gt.publishers, gt.unallocated_activities) == (2, 2, 1)
    assert gt.transactions_without_usd == 1  # no GTQ rate on 2023-03-01
    assert not gt.complete
    sv = country_aid("SV", D(2023, 12, 31))
    assert (sv.committed_usd, sv.disbursed_usd) == (Decimal("667.01"), Decimal("66.70"))
    hn = country_aid("HN", D(2023, 12, 31))
    assert (hn.activities, hn.unallocated_activities, hn.committed_usd) == (0, 1, Decimal("0"))
    assert [a.country for a in aid_by_country(D(2023, 12, 31))] == ["GT", "SV", "HN"]


def test_official_aid_is_labelled_and_never_in_the_committed_figures(sample):
    builders.commitment("Acme", "1000000", D(2022, 6, 7), countries=("HN",))
    import_iati([sample])
    assert committed(D(2024, 12, 31)).amount_usd == Decimal("1000000.00")
    aid = country_aid("HN", D(2024, 12, 31))
    data = aid.as_json()
    assert data["kind"] == "official_aid"
    assert data["label"] == "Official development aid (IATI)"
    assert data["committed_usd"] == "1152940.00"
    assert data["as_of"] == "2024-12-31"
    assert data["complete"] is True


def test_the_template_include(sample):
    import_iati([sample])
    aid = country_aid("HN", D(2024, 12, 31))
    with translation.override("en"):
        html = render_to_string("iati/country_aid.html", {"official_aid": aid})
    assert "Official development aid (IATI)" in html
    assert "US$1,152,940" in html
    assert "US$902,252" in html
    assert "never added up" in html
    empty = render_to_string(
        "iati/country_aid.html", {"official_aid": country_aid("GT", D(2024, 12, 31))}
    )
    assert "No official aid activity" in empty
    assert render_to_string("iati/country_aid.html", {}).strip() == ""
