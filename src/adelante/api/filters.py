"""The commitment filters of the API (the portal explorer's: country, focus, kind, round,
partner type, status, search, ordering), each whitelisted and mapped to a fixed query: the
client never names a field or a lookup."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from django.db.models import Case, Exists, F, OrderBy, OuterRef, Q, QuerySet, Value, When

from adelante.commitments.models import Commitment, CountryShare
from adelante.commitments.publication import published_commitments
from adelante.money.fields import ExactDecimalField
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import PartnerAlias

CountryCode = Literal["GT", "SV", "HN"]
Kind = Literal["capital_investment", "local_sourcing", "lending", "programme", "unspecified"]
PartnerTypeCode = Literal["company", "foundation", "ngo", "other"]
PublishedStatus = Literal["announced", "in_progress", "completed", "withdrawn"]
Ordering = Literal[
    "announced_on",
    "-announced_on",
    "amount_usd",
    "-amount_usd",
    "partner",
    "-partner",
    "reference",
    "-reference",
]

#: What each ordering sorts by (amounts withheld or missing last); the reference breaks ties
#: so that pages are stable.
ORDERINGS: dict[str, tuple[OrderBy, ...]] = {
    "announced_on": (F("announced_on").asc(nulls_last=True), F("reference").asc()),
    "-announced_on": (F("announced_on").desc(nulls_last=True), F("reference").asc()),
    "amount_usd": (F("public_amount_usd").asc(nulls_last=True), F("reference").asc()),
    "-amount_usd": (F("public_amount_usd").desc(nulls_last=True), F("reference").asc()),
    "partner": (F("partner__normalised_name").asc(), F("reference").asc()),
    "-partner": (F("partner__normalised_name").desc(), F("reference").asc()),
    "reference": (F("reference").asc(),),
    "-reference": (F("reference").desc(),),
}
DEFAULT_ORDERING: Ordering = "-announced_on"


@dataclass(frozen=True)
class CommitmentFilter:
    country: CountryCode | None = None
    focus: str | None = None
    kind: Kind | None = None
    round: str | None = None
    partner: str | None = None
    partner_type: PartnerTypeCode | None = None
    status: PublishedStatus | None = None
    q: str | None = None
    as_of: datetime.date | None = None
    ordering: Ordering = DEFAULT_ORDERING


def filtered_commitments(f: CommitmentFilter) -> QuerySet[Commitment]:
    """Published commitments matching the filter, in its order."""
    items = published_commitments(f.as_of)
    if f.country:
        items = items.filter(
            Exists(CountryShare.objects.filter(commitment_id=OuterRef("pk"), country=f.country))
        )
    if f.focus:
        items = items.filter(focus_areas__code=f.focus)
    if f.kind:
        items = items.filter(kind=f.kind)
    if f.round:
        items = items.filter(round__slug=f.round)
    if f.partner:
        items = items.filter(partner__slug=f.partner)
    if f.partner_type:
        items = items.filter(partner__type=f.partner_type)
    if f.status:
        items = items.filter(status=f.status)
    if f.q:
        words = f.q.split()
        for word in words[:10]:
            alias = PartnerAlias.objects.filter(
                partner_id=OuterRef("partner_id"), name__icontains=word
            )
            items = items.filter(
                Q(partner__name__icontains=word)
                | Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(focus_text__icontains=word)
                | Q(reference__icontains=word)
                | Exists(alias)
            )
    # A confidential amount sorts as no amount: its rank would reveal it.
    items = items.annotate(
        public_amount_usd=Case(
            When(qualifier=AmountQualifier.CONFIDENTIAL, then=Value(None)),
            default=F("amount_usd"),
            output_field=ExactDecimalField(),
        )
    )
    return items.order_by(*ORDERINGS[f.ordering])
