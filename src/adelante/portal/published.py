"""What of the initiative in scope is published: the portal's lists and look-ups.

`adelante.commitments.publication` says what is public in the whole record; a portal page is
about one initiative (`adelante.initiatives.scope`, set from the page's address), so it lists
only that initiative's commitments and rounds, and the partners with a public commitment in it
(partners are shared between initiatives).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet

from adelante.commitments.models import Commitment, Round
from adelante.commitments.publication import published_commitments, published_rounds
from adelante.initiatives import scope
from adelante.partners.models import Partner


def commitments(as_of: datetime.date | None = None) -> QuerySet[Commitment]:
    """The initiative's public commitments (announced by `as_of`, when given)."""
    return published_commitments(as_of).filter(scope.initiative_q())


def partners(as_of: datetime.date | None = None) -> QuerySet[Partner]:
    """Partners with a public commitment in the initiative."""
    mine = commitments(as_of).filter(partner_id=OuterRef("pk"))
    return Partner.objects.filter(Exists(mine))


def rounds(as_of: datetime.date | None = None) -> QuerySet[Round]:
    """The initiative's rounds with a public commitment."""
    return published_rounds(as_of).filter(scope.initiative_q())
