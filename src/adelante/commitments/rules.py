"""The rules a commitment's own values obey, whichever door they come through.

The partner's proposal (web form and API, `workflow.intake`), the staff spreadsheet
(`exchange.commitment_rows`) and the admin's form (`commitments.admin_forms`) all ask these
functions, so a value one door refuses is refused by every door with the same reason. Each
returns the reason in the reader's language, or None when the value is acceptable.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from adelante.commitments.geography import HUNDRED, SharesError, check_shares
from adelante.initiatives.countries import country_name
from adelante.initiatives.country_keys import initiative_countries
from adelante.initiatives.models import Initiative
from adelante.money import limits
from adelante.money.qualifiers import AmountQualifier

#: The largest amount a commitment may state, in its currency: the one limit of every door
#: (`money.limits`, which reported values share).
MAX_AMOUNT = limits.MAX_AMOUNT


def amount_problem(amount: Decimal | None, qualifier: str, *, required: bool) -> str | None:
    """An amount is more than zero and at most `MAX_AMOUNT`; an undisclosed one is empty.

    `required`: the amount must be there unless the qualifier says undisclosed (a submitted
    proposal, a recorded commitment); a draft may leave it for later.
    """
    if amount is not None:
        if amount <= 0:
            return _("The amount must be more than zero.")
        if limits.too_large(amount):
            return limits.too_large_message()
        if qualifier == AmountQualifier.UNDISCLOSED:
            return _("An undisclosed amount is left empty; or choose another qualifier.")
    elif required and qualifier != AmountQualifier.UNDISCLOSED:
        return _("Give the amount, or choose “undisclosed”.")
    return None


def period_problem(starts_on: datetime.date | None, ends_on: datetime.date | None) -> str | None:
    """The commitment's time horizon does not end before it starts."""
    if starts_on and ends_on and ends_on < starts_on:
        return _("The commitment ends before it starts.")
    return None


def shares_problem(shares: dict[str, Decimal | None]) -> str | None:
    """Country shares are all given or none, each 0 to 100, adding up to 100
    (`geography.check_shares`)."""
    try:
        check_shares(shares)
    except SharesError:
        given = [s for s in shares.values() if s is not None]
        if len(given) != len(shares):
            return _("Give a share for every country, or for none.")
        if any(s < 0 or s > HUNDRED for s in given):
            return _("A share is between 0 and 100.")
        return _("The shares add up to %(total)s%%; they must add up to 100%%.") % {
            "total": number_format(sum(given))
        }
    return None


def countries_problem(countries: Iterable[str], initiative: Initiative | None = None) -> str | None:
    """Every country a commitment names is one of its initiative's (the initiative in scope's
    when none is given): a share for another country would be in no row of its figures."""
    allowed = initiative_countries(initiative)
    foreign = sorted({code.upper() for code in countries} - set(allowed))
    if not foreign:
        return None
    return _("Not among the initiative's countries (%(allowed)s): %(codes)s.") % {
        "codes": ", ".join(f"{country_name(c)} ({c})" for c in foreign),
        "allowed": ", ".join(allowed) or "—",
    }
