"""The shapes of the API's responses and request bodies (pydantic, via django-ninja).

Money and other exact values are `Decimal` in Python and decimal *strings* in JSON
("3641600000.00"), never floating-point numbers.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field, PlainSerializer, WithJsonSchema

from adelante.api.enums import (
    AmountQualifierCode,
    CountryCode,
    Kind,
    PartnerTypeCode,
    PublishedStatus,
    Qualifier,
    RelationCode,
)
from adelante.api.isodate import IsoDate


def _plain(value: Decimal) -> str:
    return format(value, "f")


#: An amount to the cent, as a string: "3641600000.00".
Money = Annotated[
    Decimal,
    PlainSerializer(_plain, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^-?[0-9]+\.[0-9]{2}$",
            "description": "A decimal number with two decimal places, as a string.",
            "examples": ["3641600000.00"],
        }
    ),
]

#: An exact decimal number as a string, as many decimal places as stored: "4200000000.0000".
DecimalString = Annotated[
    Decimal,
    PlainSerializer(_plain, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
            "description": "An exact decimal number, as a string.",
            "examples": ["4200000000.0000"],
        }
    ),
]


class Problem(Schema):
    """RFC 9457 problem details; validation problems add `errors`."""

    type: str = Field(examples=["about:blank"])
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict[str, object]] | None = None


class PageMeta(Schema):
    count: int = Field(description="Items matching, over all pages.")
    page: int
    page_size: int
    pages: int
    next: str | None = Field(description="URL of the next page, if any.")
    previous: str | None


# -- Vocabularies ---------------------------------------------------------------------------


class MetricOut(Schema):
    code: str
    name_en: str
    name_es: str
    unit: str
    accumulation: str


class FocusAreaOut(Schema):
    code: str
    name_en: str
    name_es: str


# -- Partners and rounds --------------------------------------------------------------------


class PartnerRef(Schema):
    slug: str
    name: str
    type: PartnerTypeCode


class PartnerOut(Schema):
    slug: str
    name: str
    type: PartnerTypeCode
    website: str
    aliases: list[str]
    commitments: int = Field(description="Its published commitments.")


class PartnerPage(PageMeta):
    results: list[PartnerOut]


class RoundRef(Schema):
    slug: str
    label: str
    announced_on: datetime.date


class RoundOut(Schema):
    slug: str
    label: str
    announced_on: datetime.date
    commitments: int = Field(description="Its published commitments.")


class RoundPage(PageMeta):
    results: list[RoundOut]


# -- Commitments ----------------------------------------------------------------------------


class CountryOut(Schema):
    country: CountryCode
    share_percent: DecimalString | None
    amount_usd: Money | None = Field(description="The part allocated; null when withheld.")


class SourceOut(Schema):
    url: str
    title: str


class TargetOut(Schema):
    metric: str
    value: Money
    by_date: datetime.date | None


class CommitmentOut(Schema):
    reference: str
    title: str
    summary: str
    partner: PartnerRef
    round: RoundRef | None
    announced_on: datetime.date | None
    status: PublishedStatus
    withdrawn_on: datetime.date | None
    kind: Kind
    relation: RelationCode
    relates_to: str | None = Field(description="Reference of the earlier commitment.")
    qualifier: AmountQualifierCode = Field(
        description="How the amount was stated: exact, at_least, about, up_to, undisclosed, "
        "or confidential (the amount is then withheld)."
    )
    amount: Money | None = Field(description="In the currency stated; null when none or withheld.")
    currency: str
    amount_usd: Money | None
    countries: list[CountryOut] = Field(description="Empty: the region (no country named).")
    focus_text: str
    focus_areas: list[str]
    sources: list[SourceOut]
    targets: list[TargetOut]


class CommitmentPage(PageMeta):
    results: list[CommitmentOut]


# -- Statements and progress ----------------------------------------------------------------


class StatementOut(Schema):
    id: int
    stated_on: datetime.date
    date_precision: str
    metric: str
    value: DecimalString
    unit: str
    qualifier: str
    note: str
    source_url: str
    figure: str


class StatementPage(PageMeta):
    results: list[StatementOut]


class ValueOut(Schema):
    metric: str
    value: Money


class ProgressOut(Schema):
    id: int
    commitment: str = Field(description="The commitment's reference.")
    period_start: datetime.date
    period_end: datetime.date
    status: str
    verification_level: str
    narrative: str
    values: list[ValueOut]


class ProgressPage(PageMeta):
    results: list[ProgressOut]


# -- Figures --------------------------------------------------------------------------------


class CommittedOut(Schema):
    as_of: datetime.date
    recorded_on: datetime.date | None
    amount_usd: Money
    qualifier: Qualifier
    commitments: int
    commitments_with_amount: int
    commitments_without_amount: int
    restatements: int
    partners: int
    commitments_confidential: int = Field(
        description="New money with a confidential amount: counted here, never in amount_usd."
    )


class BreakdownRowOut(Schema):
    key: str
    label: str
    amount_usd: Money | None = Field(
        description="Without confidential amounts; null only where a cell is suppressed."
    )
    qualifier: Qualifier
    commitments: int
    confidential: int = Field(
        description="Of the commitments, those with a confidential amount (not in amount_usd)."
    )
    suppressed: bool


class BreakdownOut(Schema):
    dimension: str
    as_of: datetime.date
    recorded_on: datetime.date | None
    overlapping: bool = Field(description="Rows overlap (focus areas): no total.")
    rows: list[BreakdownRowOut]
    total: CommittedOut | None


class ReachedOut(Schema):
    metric: str
    as_of: datetime.date
    recorded_on: datetime.date | None
    value: Money
    commitments: int


class ReconciliationOut(Schema):
    statement_id: int
    stated_on: datetime.date
    metric: str
    stated_value: DecimalString
    stated_qualifier: str
    unit: str
    source_url: str
    figure: str
    computed_value: DecimalString | None
    computed_qualifier: Qualifier | None
    computed_confidential: int = Field(
        description="Commitments with a confidential amount left out of computed_value."
    )
    gap: DecimalString | None = Field(description="Stated minus computed: not itemised.")


# -- Writing --------------------------------------------------------------------------------

#: A value as a decimal string (never a JSON number, which would be a float).
ValueText = Annotated[str, Field(pattern=r"^[0-9]{1,17}(\.[0-9]{1,2})?$", examples=["1500.00"])]


class ValueIn(Schema):
    metric: str = Field(max_length=64, examples=["people_trained"])
    value: ValueText
    decrease_reason: str = Field(
        default="",
        max_length=1000,
        description="Why a cumulative value is lower than the last verified one (then needed).",
    )


class ProgressReportIn(Schema):
    commitment: str = Field(max_length=200, description="The commitment's reference.")
    period_start: IsoDate
    period_end: IsoDate
    narrative: str = Field(default="", max_length=20000)
    values: list[ValueIn] = Field(default_factory=list, max_length=100)


class MembershipOut(Schema):
    partner: PartnerRef
    role: str


class MeOut(Schema):
    username: str
    memberships: list[MembershipOut]


class EndpointOut(Schema):
    method: str
    #: The path, with its parameters in braces.
    path: str
    summary: str
    #: The endpoint's absolute URL, when its path has no parameter.
    url: str | None


class ApiIndexOut(Schema):
    """GET /api/v1/: where everything is."""

    title: str
    version: str
    description: str
    #: The interactive documentation.
    documentation: str
    #: The OpenAPI document.
    openapi: str
    #: The bulk downloads (CSV, XLSX, JSON, IATI).
    downloads: str
    portal: str
    endpoints: list[EndpointOut]
