"""The API's enums, derived from the domain's vocabularies: a code is defined once, in the
domain (`commitments.choices`, `commitments.selectors`, `partners.models`,
`money.qualifiers`, `figures.committed`), and the OpenAPI document lists what the domain lists.

Each is a `Literal` of the vocabulary's values, so the document shows a plain list of strings
and a wrong value is a 422 naming the allowed ones. mypy cannot read a `Literal` built at
run time, so to the type checker they are plain strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import StringConstraints

from adelante.bilingual import Language, TranslationState
from adelante.commitments.choices import (
    PUBLISHED_STATUSES,
    MoneyKind,
    Relation,
)
from adelante.commitments.selectors import CommitmentSort
from adelante.corrections.models import Subject
from adelante.figures.committed import DIMENSIONS
from adelante.money.qualifiers import AmountQualifier, TotalQualifier
from adelante.partners.models import PartnerType
from adelante.progress.models import GRADES


def literal_of(values: Iterable[str]) -> Any:
    """`Literal["a", "b", …]` of these values, in their order."""
    return Literal[tuple(str(v) for v in values)]


if TYPE_CHECKING:
    CountryCode = str
    Dimension = str
    Kind = str
    PartnerTypeCode = str
    PublishedStatus = str
    RelationCode = str
    Sort = str
    AmountQualifierCode = str
    Qualifier = str
    LanguageCode = str
    TranslationStateCode = str
    GradeCode = str
    CorrectionSubject = str
else:
    #: An ISO 3166-1 code: an initiative's countries are data (the country filters are checked
    #: against the initiative's own countries, adelante.api.params.check_country).
    CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    #: What a committed figure can be broken down by.
    Dimension = literal_of(DIMENSIONS)
    Kind = literal_of(MoneyKind.values)
    PartnerTypeCode = literal_of(PartnerType.values)
    PublishedStatus = literal_of(PUBLISHED_STATUSES)
    RelationCode = literal_of(Relation.values)
    Sort = literal_of(CommitmentSort.values)
    #: How a commitment's amount was stated (confidential: the amount is withheld).
    AmountQualifierCode = literal_of(AmountQualifier.values)
    #: The qualifier of a computed total.
    Qualifier = literal_of(TotalQualifier.values)
    #: The language a text was written in.
    LanguageCode = literal_of(Language.values)
    #: Where the other language of a text comes from: original, staff, missing.
    TranslationStateCode = literal_of(TranslationState.values)
    #: A minimum grade of evidence: the weakest verification level a value may have.
    GradeCode = literal_of(GRADES)
    #: What a public correction is about: a commitment, a partner, a statement, a figure page.
    CorrectionSubject = literal_of(Subject.values)
