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
    CorrectionSubject,
    CountryCode,
    Kind,
    LanguageCode,
    PartnerTypeCode,
    PublishedStatus,
    Qualifier,
    RelationCode,
    TranslationStateCode,
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


class OrganisationIdentifierOut(Schema):
    identifier: str = Field(
        description="In the org-id.guide form, the scheme's prefix first: GT-NIT-75556057."
    )
    scheme: str = Field(description="The org-id.guide scheme's prefix, e.g. GT-NIT.")
    scheme_name: str = Field(description="The scheme's name in English.")


class PartnerOut(Schema):
    slug: str
    name: str
    type: PartnerTypeCode
    website: str
    aliases: list[str]
    description: str = Field(description="In English; empty when none was written.")
    description_es: str = Field(description="In Spanish; empty when none was written.")
    identifiers: list[OrganisationIdentifierOut] = Field(
        description="Its organisation identifiers (docs/partners.md)."
    )
    commitments: int = Field(description="Its published commitments.")


class PartnerPage(PageMeta):
    results: list[PartnerOut]


class RoundRef(Schema):
    slug: str
    label: str = Field(description="In English.")
    label_es: str = Field(description="In Spanish; empty when not translated.")
    announced_on: datetime.date


class RoundOut(Schema):
    slug: str
    label: str = Field(description="In English.")
    label_es: str = Field(description="In Spanish; empty when not translated.")
    translation_state: TranslationStateCode
    announced_on: datetime.date
    commitments: int = Field(description="Its published commitments.")
    initiative: str = Field(description="The slug of the initiative it belongs to.")


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
    initiative: str = Field(description="The slug of the initiative it belongs to.")
    title: str = Field(description="In English (empty when none).")
    title_es: str = Field(description="In Spanish (empty when none).")
    summary: str = Field(description="In English.")
    summary_es: str = Field(description="In Spanish; empty when not translated.")
    written_in: LanguageCode = Field(
        description="The language of the original text; the other one is a translation."
    )
    translation_state: TranslationStateCode
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
    focus_text: str = Field(description="The focus as stated, in English.")
    focus_text_es: str = Field(description="The focus as stated, in Spanish.")
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
    initiative: str = Field(description="The slug of the initiative it belongs to.")
    name_en: str = Field(description="What was stated, in words, in English.")
    name_es: str = Field(description="What was stated, in Spanish; empty when not translated.")


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


# -- Corrections ----------------------------------------------------------------------------


class CorrectionFieldOut(Schema):
    code: str = Field(description="The field's name in the record (amount, title, …).")
    label: str = Field(description="The field's name in the request's language.")


class CorrectionOut(Schema):
    number: int = Field(description="The correction's number, as the portal's log shows it.")
    decided_at: datetime.datetime
    suggested_at: datetime.datetime
    subject: CorrectionSubject
    subject_label: str = Field(description="What it is about, in the request's language.")
    subject_key: str = Field(
        description="The commitment's reference, the partner's slug, the statement's id or "
        "the figure page's key."
    )
    name: str | None = Field(
        description="The thing's name, as published now; null when it is no longer public."
    )
    url: str | None = Field(
        description="The thing's public page; null when it is no longer public."
    )
    said: str = Field(description="What the suggestion said (never who made it).")
    source_url: str | None = Field(description="Where the suggester read the right figure.")
    accepted: bool = Field(description="Accepted (true) or declined (false).")
    reason: str = Field(description="Why the secretariat decided so.")
    field: CorrectionFieldOut | None = Field(
        description="The field an acceptance changed; null when none was (a declined one, a "
        "figure page's wording)."
    )
    old: str | None = Field(
        description="The stored value before, as text (dates ISO 8601, numbers as decimal "
        "strings, codes as codes); null when no field changed or the value is confidential."
    )
    new: str | None = Field(description="The stored value after; null as `old`.")
    confidential: bool = Field(
        description="The values are a confidential amount: withheld (old and new are null)."
    )


class CorrectionPage(PageMeta):
    results: list[CorrectionOut]


# -- Figures --------------------------------------------------------------------------------


class DisplayRateOut(Schema):
    """The rate a breakdown's rows are read at in the initiative's currency for display (one
    rate for every row and the total)."""

    code: str = Field(description="ISO 4217 code of the initiative's currency for display.")
    rate: DecimalString = Field(description="Units of the currency per US dollar, as recorded.")
    rate_on: datetime.date = Field(
        description="The rate's day: the latest the record has on or before as_of."
    )
    source: str = Field(description="Where the rate comes from, as recorded.")


class DisplayCurrencyOut(Schema):
    """A US$ figure read in the initiative's currency for display (amount_usd stays the figure)."""

    code: str = Field(description="ISO 4217 code of the initiative's currency for display.")
    amount: Money = Field(description="amount_usd times the rate, rounded half-even to the cent.")
    rate: DecimalString = Field(description="Units of the currency per US dollar, as recorded.")
    rate_on: datetime.date = Field(
        description="The rate's day: the latest the record has on or before as_of."
    )
    source: str = Field(description="Where the rate comes from, as recorded.")


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
    display_currency: DisplayCurrencyOut | None = Field(
        None,
        description="The total in the initiative's currency for display, at the record's latest "
        "rate on or before as_of; null for a US$ initiative, or when the "
        "record has no rate for the currency by then (never guessed).",
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
    display_amount: Money | None = Field(
        None,
        description="amount_usd in the initiative's currency for display, at the breakdown's "
        "display_currency rate, rounded half-even to the cent; null when display_currency is "
        "null (or amount_usd is).",
    )


class BreakdownOut(Schema):
    dimension: str
    as_of: datetime.date
    recorded_on: datetime.date | None
    overlapping: bool = Field(description="Rows overlap (focus areas): no total.")
    rows: list[BreakdownRowOut]
    total: CommittedOut | None
    display_currency: DisplayRateOut | None = Field(
        None,
        description="The rate every row's display_amount (and the total's display_currency) is "
        "read at: the record's latest on or before as_of for the initiative's currency for "
        "display; null for a US$ initiative or without a rate by then (never guessed).",
    )


class ReachedOut(Schema):
    metric: str
    as_of: datetime.date
    recorded_on: datetime.date | None
    value: Money
    commitments: int


class InvestedOut(ReachedOut):
    display_currency: DisplayCurrencyOut | None = Field(
        None,
        description="value in the initiative's currency for display, at the record's latest "
        "rate on or before as_of; null for a US$ initiative, or when the record has no rate "
        "for the currency by then (never guessed).",
    )


class LadderStepOut(Schema):
    step: str = Field(
        description="announced, with_amount, reporting, evidence_backed, "
        "independently_verified or completed; each within the one before."
    )
    label: str = Field(description="The step's name in the request's language.")
    commitments: int
    committed_usd: Money = Field(description="Public committed new money of the step.")
    invested_usd: Money = Field(description="Verified US$ invested by the step's commitments.")


class ReportingRateOut(Schema):
    due: int = Field(description="Commitments due a report in the twelve months to as_of.")
    reported: int = Field(description="Of those, the ones that submitted a report for it.")
    rate: DecimalString | None = Field(description="reported / due, in %; null if none due.")


class LadderOut(Schema):
    as_of: datetime.date
    recorded_on: datetime.date | None
    steps: list[LadderStepOut]
    silent: int = Field(description="Announced commitments that are silent (still committed).")
    silent_usd: Money
    with_obligation: int = Field(
        description="Announced commitments with a reporting schedule (the others do not "
        "report through the platform, and are never counted silent)."
    )
    confidential: int = Field(
        description="New money with a confidential amount: in the first step's count, in no money."
    )
    reporting_rate: ReportingRateOut


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
    gap: DecimalString | None = Field(
        description="Stated minus computed, signed (negative when the record holds more); "
        "read `verdict`, which respects the statement's qualifier."
    )
    date_precision: str = Field(
        description="How precisely the source dated the statement: day, month or year "
        "(stated_on is the last day of that month or year)."
    )
    verdict: str = Field(
        description="consistent, short (the record backs less), above (the record holds more) "
        "or not_computable. A 'more than X' is consistent with a record at or above X; an "
        "'about X' within the tolerance (ADELANTE_ABOUT_TOLERANCE_PERCENT, 5% by default)."
    )
    verdict_by: DecimalString | None = Field(
        description="How far the record is from the statement when short or above (never "
        "negative; for a 'more than' statement, a minimum)."
    )
    verdict_text: str = Field(description="The verdict in words, in the request's language.")


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


class IdentifierIn(Schema):
    identifier: str = Field(
        max_length=200,
        description=(
            "In the org-id.guide form, the scheme's prefix first (GT-NIT-7555605-7); checked "
            "by the one rule of every door (docs/partners.md) and kept in its canonical form."
        ),
    )
    reason: str = Field(
        default="",
        max_length=500,
        description="Why: kept in the identifier's history beside who added it.",
    )


class MembershipOut(Schema):
    partner: PartnerRef
    role: str


class MeOut(Schema):
    username: str
    memberships: list[MembershipOut]


class InitiativeLinksOut(Schema):
    portal: str = Field(description="Its pages on the public portal.")
    commitments: str = Field(description="Its commitments in this API.")
    downloads: str = Field(description="Its bulk downloads (CSV, XLSX, JSON, IATI).")


class InitiativeOut(Schema):
    slug: str = Field(description="What ?initiative= takes.")
    name: str = Field(description="In English.")
    name_es: str = Field(description="In Spanish; empty when not translated.")
    description: str
    description_es: str
    primary: bool = Field(description="The one a request that names no initiative is about.")
    countries: list[CountryCode] = Field(description="Its countries (ISO 3166-1), in order.")
    currency: str = Field(description="The currency its figures are displayed in (ISO 4217).")
    synthetic: bool = Field(description="Made-up data, for demonstration only.")
    links: InitiativeLinksOut


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
