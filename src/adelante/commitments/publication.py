"""What of the record is published: the rules every public output (portal, API, downloads,
IATI, reports) applies.

- A commitment is public once announced: its status is one of `PUBLISHED_STATUSES`
  (announced, in progress, completed or withdrawn). Proposals and commitments under review
  are not.
- A partner or a round is public when it has a public commitment.
- A confidential amount is never shown: the amount is withheld (None) and the qualifier
  ``confidential`` says why. Its country parts are withheld too (they would reveal it).
- Progress is public when the report is verified and its commitment public: that rule is the
  progress app's (`adelante.progress.publication`).

Selecting among published commitments (by country, kind, search…) is
`adelante.commitments.selectors`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from adelante.commitments.choices import PUBLISHED_STATUSES
from adelante.commitments.models import Commitment, OfficialStatement, Round
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import Partner

PUBLISHED_Q = Q(status__in=PUBLISHED_STATUSES)


def is_published(commitment: Commitment) -> bool:
    return commitment.status in PUBLISHED_STATUSES


def published_commitments(as_of: datetime.date | None = None) -> QuerySet[Commitment]:
    """Public commitments; with `as_of`, those announced on or before that day."""
    commitments = Commitment.objects.filter(PUBLISHED_Q)
    if as_of is not None:
        commitments = commitments.filter(announced_on__lte=as_of)
    return commitments


def published_partners(as_of: datetime.date | None = None) -> QuerySet[Partner]:
    mine = published_commitments(as_of).filter(partner_id=OuterRef("pk"))
    return Partner.objects.filter(Exists(mine))


def published_rounds(as_of: datetime.date | None = None) -> QuerySet[Round]:
    mine = published_commitments(as_of).filter(round_id=OuterRef("pk"))
    return Round.objects.filter(Exists(mine))


#: An official statement's published fields (besides its id), in the order every output gives.
STATEMENT_FIELDS = (
    "stated_on",
    "date_precision",
    "metric",
    "value",
    "unit",
    "qualifier",
    "note",
    "source_url",
    "figure",
)


def published_statements(as_of: datetime.date | None = None) -> QuerySet[OfficialStatement]:
    """Official statements are public as published."""
    statements = OfficialStatement.objects.all()
    if as_of is not None:
        statements = statements.filter(stated_on__lte=as_of)
    return statements


def is_withheld(qualifier: str) -> bool:
    return qualifier == AmountQualifier.CONFIDENTIAL


def public_amount(qualifier: str, amount: Decimal | None) -> Decimal | None:
    """The amount as it may be published: None for a confidential amount."""
    return None if is_withheld(qualifier) else amount
