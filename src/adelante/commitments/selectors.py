"""Which published commitments a reader asks for: the one selection behind the portal's
explorer and pages, the API, the downloads and the reports.

A `CommitmentFilter` names each filter by the words every caller uses (docs/api.md,
docs/portal.md): `country`, `focus`, `kind`, `round`, `partner`, `partner_type`, `status`,
`q`, `as_of` and `sort`. Callers parse their own parameters into one (the portal's explorer,
the API's query) and this module turns it into a fixed query: no caller names a field or a
lookup, so the same filter gives the same commitments everywhere.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Exists, F, OrderBy, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from adelante.commitments.choices import CountryGroup
from adelante.commitments.models import Commitment, CountryShare
from adelante.commitments.publication import published_commitments
from adelante.folding import folded_contains
from adelante.initiatives import scope
from adelante.money.fields import ExactDecimalField
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import PartnerAlias

#: A search reads at most this many words; more only slow the database down.
MAX_SEARCH_WORDS = 10


class CommitmentSort(models.TextChoices):
    """How a selection can be sorted; the reference breaks ties, so pages are stable."""

    NEWEST = "-announced_on", _("Newest first")
    OLDEST = "announced_on", _("Oldest first")
    LARGEST = "-amount_usd", _("Largest amount first")
    SMALLEST = "amount_usd", _("Smallest amount first")
    PARTNER = "partner", _("Partner, A to Z")
    PARTNER_DESCENDING = "-partner", _("Partner, Z to A")
    REFERENCE = "reference", _("Reference, A to Z")
    REFERENCE_DESCENDING = "-reference", _("Reference, Z to A")


DEFAULT_SORT = CommitmentSort.NEWEST.value

#: What each sort orders by. A confidential amount sorts as no amount (last): its rank
#: among the others would reveal it.
_ORDER_BY: dict[str, tuple[OrderBy, ...]] = {
    CommitmentSort.NEWEST: (F("announced_on").desc(nulls_last=True), F("reference").asc()),
    CommitmentSort.OLDEST: (F("announced_on").asc(nulls_last=True), F("reference").asc()),
    CommitmentSort.LARGEST: (F("public_amount_usd").desc(nulls_last=True), F("reference").asc()),
    CommitmentSort.SMALLEST: (F("public_amount_usd").asc(nulls_last=True), F("reference").asc()),
    CommitmentSort.PARTNER: (F("partner__normalised_name").asc(), F("reference").asc()),
    CommitmentSort.PARTNER_DESCENDING: (
        F("partner__normalised_name").desc(),
        F("reference").asc(),
    ),
    CommitmentSort.REFERENCE: (F("reference").asc(),),
    CommitmentSort.REFERENCE_DESCENDING: (F("reference").desc(),),
}


@dataclass(frozen=True)
class CommitmentFilter:
    """What a reader asks for; None (or empty) is "any". Values are those of the domain's
    vocabularies: `country` one of `country_keys()` (the initiative's country codes, multi-country,
    regional),
    `kind` a `MoneyKind`, `partner_type` a `PartnerType`, `status` one of
    `PUBLISHED_STATUSES`, `sort` a `CommitmentSort`; `focus`, `round` and `partner` are codes
    and slugs."""

    country: str | None = None
    focus: str | None = None
    kind: str | None = None
    round: str | None = None
    partner: str | None = None
    partner_type: str | None = None
    status: str | None = None
    q: str | None = None
    #: Announced on or before this day; None: whatever the date.
    as_of: datetime.date | None = None
    sort: str = DEFAULT_SORT


def in_country(key: str) -> Q:
    """Commitments concerning a country or a group, for a key of `country_keys()`.

    A country code: commitments naming it, alone, with a share or among several.
    `multi-country`: naming several countries without a split (the breakdown's row).
    `regional`: naming no country (the breakdown's row).
    """
    rows = CountryShare.objects.filter(commitment_id=OuterRef("pk"))
    if key == CountryGroup.REGIONAL:
        return ~Q(Exists(rows))
    if key == CountryGroup.MULTI_COUNTRY:
        # Shares are stated for every country or for none; a single country has 100 %.
        return Q(Exists(rows.filter(share_percent__isnull=True)))
    # Any ISO code: the caller has checked it is one of the initiative's (`country_key`).
    if len(key) == 2 and key.isalpha() and key.isupper():
        return Q(Exists(rows.filter(country=key)))
    raise ValueError(f"not a country key: {key!r}")


def matching(text: str) -> Q:
    """Commitments in which every word appears, whatever its accents and case ("nestle" finds
    "Nestlé"; adelante.folding), in the partner's name or an alias, the title, the summary,
    the focus as stated (each in English or Spanish) or the reference."""
    found = Q()
    for word in text.split()[:MAX_SEARCH_WORDS]:
        alias = PartnerAlias.objects.filter(
            folded_contains("name", word), partner_id=OuterRef("partner_id")
        )
        found &= (
            folded_contains("partner__name", word)
            | folded_contains("title", word)
            | folded_contains("summary", word)
            | folded_contains("focus_text", word)
            | folded_contains("title_es", word)
            | folded_contains("summary_es", word)
            | folded_contains("focus_text_es", word)
            | folded_contains("reference", word)
            | Q(Exists(alias))
        )
    return found


def sorted_by(items: QuerySet[Commitment], sort: str) -> QuerySet[Commitment]:
    """The commitments in the order of a `CommitmentSort` value."""
    ordering = _ORDER_BY[CommitmentSort(sort)]
    return items.annotate(
        public_amount_usd=Case(
            When(qualifier=AmountQualifier.CONFIDENTIAL, then=Value(None)),
            default=F("amount_usd"),
            output_field=ExactDecimalField(),
        )
    ).order_by(*ordering)


def select_commitments(chosen: CommitmentFilter) -> QuerySet[Commitment]:
    """Published commitments of the initiative in scope (adelante.initiatives.scope)
    matching the filter, in its order."""
    items = published_commitments(chosen.as_of).filter(scope.initiative_q())
    if chosen.country:
        items = items.filter(in_country(chosen.country))
    if chosen.focus:
        items = items.filter(focus_areas__code=chosen.focus)
    if chosen.kind:
        items = items.filter(kind=chosen.kind)
    if chosen.round:
        items = items.filter(round__slug=chosen.round)
    if chosen.partner:
        items = items.filter(partner__slug=chosen.partner)
    if chosen.partner_type:
        items = items.filter(partner__type=chosen.partner_type)
    if chosen.status:
        items = items.filter(status=chosen.status)
    if chosen.q:
        items = items.filter(matching(chosen.q))
    return sorted_by(items, chosen.sort)
