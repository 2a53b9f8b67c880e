"""How the record's vocabularies map to IATI codelists (IATI 2.03), as plain functions.

Every mapping is explained in docs/iati.md; change it there and here together.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal

from adelante.commitments.choices import Status
from adelante.partners.models import PartnerType

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

#: iati-activities/@version of the export.
VERSION = "2.03"
#: OECD DAC region (Region codelist, vocabulary 1) for a commitment to "the region":
#: 389, "North & Central America, regional", the DAC code that covers Guatemala, El Salvador
#: and Honduras together.
CENTRAL_AMERICA_REGION = "389"
#: The recipients DAC region 389 covers (the OECD DAC list's North and Central American
#: countries): a commitment to "the region" is reported with 389 only when every country of the
#: initiative is among them; otherwise no DAC code fits, and the export names the initiative's own
#: region (vocabulary 99).
REGION_389_COUNTRIES = frozenset(
    {
        *("AG", "BZ", "CR", "CU", "DM", "DO", "GD", "GT", "HN", "HT"),
        *("JM", "KN", "LC", "MS", "MX", "NI", "PA", "SV", "VC"),
    }
)


#: RegionVocabulary 99, "Reporting Organisation": a region the publisher defines (an initiative's
#: countries together, where no DAC region covers them).
REPORTING_ORG_VOCABULARY = "99"


def region_of(countries: Iterable[str]) -> str | None:
    """The DAC region code for a commitment to every one of these countries together, if any."""
    named = set(countries)
    return CENTRAL_AMERICA_REGION if named and named <= REGION_389_COUNTRIES else None


#: Sector when a commitment has no focus area with a DAC code: 99810, "Sectors not specified".
SECTOR_NOT_SPECIFIED = "99810"

#: Partner type → OrganisationType. An NGO whose base is unknown is taken as international
#: (21): the partnership's NGO partners work across the three countries.
ORGANISATION_TYPES = {
    PartnerType.COMPANY.value: "70",  # Private Sector
    PartnerType.FOUNDATION.value: "60",  # Foundation
    PartnerType.NGO.value: "21",  # International NGO
    PartnerType.OTHER.value: "90",  # Other
}
OTHER_ORGANISATION = "90"

#: OrganisationRole of the partner: 1, Funding. The partner provides the money of its own
#: commitment; the secretariat neither channels nor manages it (so no Extending role).
FUNDING_ROLE = "1"

TRANSACTION_COMMITMENT = "2"  # Outgoing Commitment
TRANSACTION_DISBURSEMENT = "3"  # Disbursement

#: ActivityStatus codes.
PIPELINE, IMPLEMENTATION, FINALISATION, CLOSED, CANCELLED = "1", "2", "3", "4", "5"
#: ActivityDateType codes.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
#: DescriptionType codes.
GENERAL, OTHER_DESCRIPTION = "1", "4"
#: ResultType 1, Output; IndicatorMeasure 1, Unit.
RESULT_OUTPUT, MEASURE_UNIT = "1", "1"


def organisation_type(partner_type: str) -> str:
    return ORGANISATION_TYPES.get(partner_type, OTHER_ORGANISATION)


def activity_status(status: str, withdrawn_on: datetime.date | None, as_of: datetime.date) -> str:
    """ActivityStatus of a published commitment as of a date.

    Announced (no progress yet): pipeline; in progress: implementation; completed: closed;
    withdrawn by the date: cancelled (withdrawn later: as it was, announced).
    """
    if status == Status.WITHDRAWN:
        if withdrawn_on is None or withdrawn_on <= as_of:
            return CANCELLED
        return PIPELINE
    return {
        Status.ANNOUNCED: PIPELINE,
        Status.IN_PROGRESS: IMPLEMENTATION,
        Status.COMPLETED: CLOSED,
    }.get(Status(status), PIPELINE)


def equal_percentages(keys: Sequence[str]) -> dict[str, Decimal]:
    """Percentages with two decimals that split 100 equally and add up to exactly 100.

    The hundredths left over go one each to the first keys in order (33.34, 33.33, 33.33).
    """
    if not keys:
        return {}
    base = (HUNDRED / len(keys)).quantize(CENT, rounding=ROUND_FLOOR)
    left = int((HUNDRED - base * len(keys)) / CENT)
    return {key: base + (CENT if i < left else 0) for i, key in enumerate(keys)}


def country_percentages(shares: Mapping[str, Decimal | None]) -> dict[str, Decimal]:
    """Recipient-country percentages that add up to 100, as IATI requires.

    One country: 100. Stated shares: as stated (they add up to 100 in the record). Several
    countries without shares: an equal split (the record has no better knowledge).
    No country at all ("the region"): empty; the export names the region instead.
    """
    codes = sorted(shares)
    if len(codes) == 1:
        return {codes[0]: HUNDRED}
    stated = {code: shares[code] for code in codes}
    if codes and all(value is not None for value in stated.values()):
        given = {code: Decimal(value) for code, value in stated.items() if value is not None}
        if sum(given.values()) == HUNDRED:
            return given
    return equal_percentages(codes)


def sector_percentages(codes: Sequence[str]) -> dict[str, Decimal]:
    """DAC sectors of a commitment with equal percentages (focus areas carry no weights)."""
    distinct = sorted(set(codes)) or [SECTOR_NOT_SPECIFIED]
    return equal_percentages(distinct)


def decimal_text(value: Decimal) -> str:
    """A plain decimal without exponent; whole numbers without decimals (10000, 12.5)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def money_text(value: Decimal) -> str:
    """Money with two decimals, never an exponent (1152940.00)."""
    return format(value.quantize(CENT), "f")


def increments(
    values: Sequence[tuple[datetime.date, Decimal]],
) -> list[tuple[datetime.date, Decimal]]:
    """Increments between successive cumulative values (by date), the first from zero.

    Zero increments are left out; a decrease (a corrected report) is a negative increment.
    """
    previous = Decimal(0)
    found = []
    for day, value in sorted(values):
        step = value - previous
        previous = value
        if step:
            found.append((day, step))
    return found
