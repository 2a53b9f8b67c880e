"""Official development aid per country, from the imported IATI activities.

Official aid is never summed with private commitments: these figures stand beside the record's
(`adelante.figures`), always labelled as official aid, and nothing here reads commitments.

Per country, as of a date, from transactions dated on or before it: *committed* adds the
transactions of type 2 (outgoing commitment), *disbursed* those of type 3 (disbursement), in US
dollars at the rate of each value date. An activity's money goes to a country by the
percentage the activity states for it (all of it to an activity's only country); where the
countries are given on the transactions, each transaction counts for its own country. An
activity that names several countries without percentages is counted apart
(`unallocated_activities`), its money in no country. Transactions without a US$ value (no
exchange rate for their value date) are counted apart too (`transactions_without_usd`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _

from adelante.iati.models import AidCountry, AidTransaction
from adelante.initiatives import scope
from adelante.money.fields import ExactDecimalField

COMMITMENT = "2"
DISBURSEMENT = "3"
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")

#: How every output labels these figures.
LABEL = _("Official development aid (IATI)")


@dataclass(frozen=True)
class CountryAid:
    """Official aid to one country as of a date: never to be added to private commitments."""

    country: str
    as_of: datetime.date
    committed_usd: Decimal
    disbursed_usd: Decimal
    #: Activities with money allocated to the country.
    activities: int
    #: Distinct publishers (reporting organisations) of those activities.
    publishers: int
    #: Activities naming this country among others without percentages: not in the sums.
    unallocated_activities: int
    #: Transactions for the country without a US$ value (no rate on their value date).
    transactions_without_usd: int

    kind = "official_aid"

    @property
    def label(self) -> str:
        return str(LABEL)

    @property
    def complete(self) -> bool:
        """Whether every transaction for the country is in the sums."""
        return not self.transactions_without_usd and not self.unallocated_activities

    def as_json(self) -> dict[str, Any]:
        """For the API: money as exact decimal strings, the label and the kind with it."""
        return {
            "kind": self.kind,
            "label": self.label,
            "country": self.country,
            "as_of": self.as_of.isoformat(),
            "committed_usd": str(self.committed_usd),
            "disbursed_usd": str(self.disbursed_usd),
            "activities": self.activities,
            "publishers": self.publishers,
            "unallocated_activities": self.unallocated_activities,
            "transactions_without_usd": self.transactions_without_usd,
            "complete": self.complete,
        }


def _share(amount: Decimal, percent: Decimal) -> Decimal:
    return (amount * percent / HUNDRED).quantize(CENT, rounding=ROUND_HALF_EVEN)


def _money(field: str, kind: str) -> Sum:
    return Sum(field, filter=Q(type=kind), output_field=ExactDecimalField())


def country_aid(country: str, as_of: datetime.date) -> CountryAid:
    """Official aid committed and disbursed to the country as of the date, in US dollars."""
    dated = AidTransaction.objects.filter(date__lte=as_of, type__in=(COMMITMENT, DISBURSEMENT))
    totals = {COMMITMENT: ZERO, DISBURSEMENT: ZERO}
    activities: set[int] = set()
    publishers: set[str] = set()
    sums = {"committed": _money("usd", COMMITMENT), "disbursed": _money("usd", DISBURSEMENT)}

    # Countries on the transactions: each transaction counts for its own country.
    own = dated.filter(
        activity__countries_from_transactions=True,
        activity__countries__country=country,
        recipient_country=country,
    )
    rows: Iterable[Any] = own.values("activity_id", "activity__publisher_ref").annotate(**sums)
    for row in rows:
        activities.add(row["activity_id"])
        publishers.add(row["activity__publisher_ref"])
        totals[COMMITMENT] += row["committed"] or ZERO
        totals[DISBURSEMENT] += row["disbursed"] or ZERO
    missing = own.filter(usd__isnull=True).count()

    # Countries on the activity: its money split by the percentage stated for the country
    # (one join: an activity names a country once).
    shared = dated.filter(
        activity__countries_from_transactions=False,
        activity__countries__country=country,
        activity__countries__allocated_percent__isnull=False,
    )
    split: Iterable[Any] = shared.values(
        "activity_id",
        "activity__publisher_ref",
        percent=F("activity__countries__allocated_percent"),
    ).annotate(**sums)
    for row in split:
        activities.add(row["activity_id"])
        publishers.add(row["activity__publisher_ref"])
        totals[COMMITMENT] += _share(row["committed"] or ZERO, row["percent"])
        totals[DISBURSEMENT] += _share(row["disbursed"] or ZERO, row["percent"])
    missing += shared.filter(usd__isnull=True).count()

    unallocated = AidCountry.objects.filter(
        country=country,
        allocated_percent__isnull=True,
        activity__countries_from_transactions=False,
    ).count()
    return CountryAid(
        country=country,
        as_of=as_of,
        committed_usd=totals[COMMITMENT],
        disbursed_usd=totals[DISBURSEMENT],
        activities=len(activities),
        publishers=len(publishers),
        unallocated_activities=unallocated,
        transactions_without_usd=missing,
    )


def aid_by_country(as_of: datetime.date) -> tuple[CountryAid, ...]:
    """Official aid to each country of the initiative in scope as of the date."""
    initiative = scope.initiative_or_primary()
    return tuple(country_aid(code, as_of) for code in initiative.country_codes())


def country_aid_json(country: str, as_of: datetime.date) -> dict[str, Any]:
    """API-ready: `country_aid(...).as_json()`, for /api/v1/... endpoints."""
    return country_aid(country, as_of).as_json()
