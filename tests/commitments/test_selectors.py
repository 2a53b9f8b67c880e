"""The one commitment selector: published commitments as of a date, by country (the region
and several countries included), round, partner, partner type, kind, focus, status and
search, sorted without revealing a confidential amount."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from adelante.commitments.choices import (
    PUBLISHED_STATUSES,
    CountryGroup,
    MoneyKind,
    Status,
    country_key,
)
from adelante.commitments.models import Commitment
from adelante.commitments.publication import is_published, published_commitments
from adelante.commitments.selectors import (
    CommitmentFilter,
    CommitmentSort,
    in_country,
    select_commitments,
)
from adelante.initiatives.country_keys import country_keys
from adelante.money.qualifiers import AmountQualifier
from adelante.progress.models import ReportStatus
from adelante.progress.publication import published_reports
from tests import builders

pytestmark = pytest.mark.django_db

MAY = datetime.date(2021, 5, 27)
DEC = datetime.date(2021, 12, 13)


@pytest.fixture
def made(db) -> dict[str, Commitment]:
    return {
        "alone": builders.commitment("Alone Co", "100", MAY, countries=("GT",)),
        "shared": builders.commitment(
            "Shared Co", "200", MAY, countries={"GT": Decimal(50), "SV": Decimal(50)}
        ),
        "several": builders.commitment("Several Co", "300", DEC, countries=("SV", "HN")),
        "regional": builders.commitment("Regional Co", None, DEC, countries=()),
        "secret": builders.commitment(
            "Secret Co",
            "999",
            DEC,
            countries=("HN",),
            qualifier=AmountQualifier.CONFIDENTIAL,
            kind=MoneyKind.LENDING,
        ),
        "proposal": builders.commitment("Proposal Co", "5", DEC, status=Status.PROPOSED),
    }


def _refs(chosen: CommitmentFilter) -> set[str]:
    return set(select_commitments(chosen).values_list("reference", flat=True))


def test_each_country_key_selects_its_commitments(made):
    expected = {
        "GT": {"alone", "shared"},
        "SV": {"shared", "several"},
        "HN": {"several", "secret"},
        "multi-country": {"several"},
        "regional": {"regional"},
    }
    assert set(expected) == set(country_keys())
    for key, names in expected.items():
        assert _refs(CommitmentFilter(country=key)) == {made[n].reference for n in names}, key
    # A country outside the initiative is no key of it; what is no code at all is refused.
    assert country_key("MX") is None
    with pytest.raises(ValueError):
        in_country("Mexico")


def test_country_keys_are_read_in_any_case():
    assert country_key("gt") == "GT"
    assert country_key("REGIONAL") == CountryGroup.REGIONAL
    assert country_key("Multi-Country") == CountryGroup.MULTI_COUNTRY
    assert country_key("mx") is None and country_key("") is None


def test_only_published_commitments_announced_by_the_date(made):
    everything = _refs(CommitmentFilter())
    assert made["proposal"].reference not in everything and len(everything) == 5
    assert _refs(CommitmentFilter(as_of=MAY)) == {made["alone"].reference, made["shared"].reference}
    assert not is_published(made["proposal"]) and is_published(made["alone"])
    assert set(published_commitments().values_list("status", flat=True)) <= set(PUBLISHED_STATUSES)


def test_filters_combine(made):
    assert _refs(CommitmentFilter(country="HN", kind=MoneyKind.LENDING)) == {
        made["secret"].reference
    }
    assert _refs(CommitmentFilter(q="several co")) == {made["several"].reference}
    assert _refs(CommitmentFilter(partner=made["alone"].partner.slug, country="SV")) == set()
    assert _refs(CommitmentFilter(round=made["several"].round.slug)) == {
        made[n].reference for n in ("several", "regional", "secret")
    }


def test_a_confidential_amount_sorts_as_no_amount(made):
    for sort in (CommitmentSort.LARGEST, CommitmentSort.SMALLEST):
        order = list(
            select_commitments(CommitmentFilter(sort=sort)).values_list("reference", flat=True)
        )
        # Withheld and missing amounts last, ties by reference.
        assert set(order[-2:]) == {made["secret"].reference, made["regional"].reference}


def test_published_progress_is_verified_progress_of_published_commitments(made):
    shown = builders.report(made["alone"], datetime.date(2022, 6, 30), {"usd_invested": "1"})
    builders.report(
        made["alone"],
        datetime.date(2022, 12, 31),
        {"usd_invested": "2"},
        status=ReportStatus.SUBMITTED,
    )
    builders.report(made["proposal"], datetime.date(2022, 6, 30), {"usd_invested": "3"})
    assert list(published_reports()) == [shown]
    assert list(published_reports(datetime.date(2022, 6, 29))) == []
