"""Query parameters shared by several endpoints, validated before any query runs."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from adelante.api.problems import INVALID_PARAMETERS, Problem
from adelante.commitments.choices import CountryGroup
from adelante.initiatives import scope
from adelante.initiatives.country_keys import initiative_countries

#: Dates outside this range are refused (they mean nothing here and overflow date arithmetic).
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


def check_date(name: str, value: datetime.date | None) -> datetime.date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise invalid(
            name,
            _("%(name)s must be between %(earliest)s and %(latest)s")
            % {"name": name, "earliest": EARLIEST, "latest": LATEST},
        )
    return value


def as_of_or_today(value: datetime.date | None) -> datetime.date:
    return check_date("as_of", value) or timezone.localdate()


def invalid(name: str, message: str) -> Problem:
    """A 422 problem for one query parameter, shaped like the validation errors."""
    return Problem(
        422,
        message,
        type=INVALID_PARAMETERS,
        extra={"errors": [{"loc": ["query", name], "msg": message}]},
    )


def check_text(name: str, value: str | None) -> str | None:
    """Free text from the client: no NUL characters (databases refuse them)."""
    if value is not None and "\x00" in value:
        raise invalid(name, _("%(name)s contains a NUL character") % {"name": name})
    return value


def one_of_names(name: str, value: str | None, old_name: str, old_value: str | None) -> str | None:
    """A parameter that still answers to its old, deprecated name (no address breaks): either
    name may be given, both only with the same value."""
    if value is not None and old_value is not None and value != old_value:
        raise invalid(
            old_name,
            _("%(old)s is the old name of %(name)s: give only one of them.")
            % {"old": old_name, "name": name},
        )
    return value if value is not None else old_value


def check_country(
    name: str, value: str | None, groups: tuple[str, ...] = tuple(CountryGroup.values)
) -> str | None:
    """A country filter: one of the initiative's country codes, or one of `groups` (several
    countries, the region), in any case; anything else is refused naming what is allowed."""
    if value is None:
        return None
    codes = initiative_countries() if scope.current() != scope.ACROSS else ()
    text = value.strip()
    if text.upper() in codes:
        return text.upper()
    if text.lower() in groups:
        return text.lower()
    allowed = ", ".join(f"'{key}'" for key in (*codes, *groups))
    raise invalid(
        name,
        _("%(name)s must be one of %(allowed)s (the initiative's countries), not “%(value)s”.")
        % {"name": name, "allowed": allowed, "value": value},
    )
