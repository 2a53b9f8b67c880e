"""Reading one cell's text as a typed value. Each function raises CellError with the reason."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from adelante import isodates
from adelante.commitments import rules
from adelante.commitments.choices import DatePrecision
from adelante.exchange.formats import folded
from adelante.exchange.problems import CellError
from adelante.initiatives.countries import code_list

REGION = "REGION"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_SCIENTIFIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_url_validator = URLValidator(schemes=["http", "https"])


def text(value: str, *, max_length: int, required: bool = False) -> str:
    if required and not value:
        raise CellError(_("empty; a value is required"))
    if len(value) > max_length:
        raise CellError(
            _("too long (%(length)d characters, at most %(max)d)")
            % {"length": len(value), "max": max_length}
        )
    return value


@functools.lru_cache(maxsize=4096)
def day(value: str) -> datetime.date:
    """A date written YYYY-MM-DD."""
    if not value:
        raise CellError(_("empty; a date is required (YYYY-MM-DD)"))
    if not _ISO_DAY.match(value):
        raise CellError(_("“%(value)s” is not a date (use YYYY-MM-DD)") % {"value": value})
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CellError(_("“%(value)s” is not a valid date") % {"value": value}) from None


def stated_date(value: str) -> tuple[datetime.date, DatePrecision]:
    """YYYY-MM-DD, YYYY-MM or YYYY (ISO 8601 reduced precision, as sources date their
    figures: "in 2024"): the last day of the period named, and the precision."""
    if not value:
        raise CellError(_("empty; a date is required (YYYY-MM-DD, YYYY-MM or YYYY)"))
    found = isodates.parse_loose(value)
    if found is None:
        if _ISO_MONTH.match(value):
            raise CellError(_("“%(value)s” is not a valid month") % {"value": value})
        if _ISO_DAY.match(value):
            raise CellError(_("“%(value)s” is not a valid date") % {"value": value})
        raise CellError(
            _("“%(value)s” is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)") % {"value": value}
        )
    return found.last_day, DatePrecision(found.precision)


def number(value: str, *, places: int, max_digits: int, signed: bool = False) -> Decimal:
    """A decimal number written with digits and an optional decimal point; non-negative unless
    `signed` (the caller's rule then judges the sign).

    `exchange.formats` has already written a file's thousands separators, decimal commas and
    currency signs this way, as decided for the whole file; scientific notation (1e3) is
    refused, as a typing or spreadsheet slip.
    """
    if not value:
        raise CellError(_("empty; a number is required"))
    if _SCIENTIFIC.match(value):
        raise CellError(
            _("“%(value)s” is in scientific notation; write the number with its digits")
            % {"value": value}
        )
    if not _NUMBER.match(value):
        raise CellError(
            _("“%(value)s” is not a number (write digits, e.g. 1500000 or 1,500,000.50)")
            % {"value": value}
        )
    try:
        parsed = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise CellError(_("“%(value)s” is not a number") % {"value": value}) from None
    if parsed < 0 and not signed:
        raise CellError(_("negative (%(value)s); it must be zero or more") % {"value": value})
    exponent = parsed.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > places:
        raise CellError(
            _("%(value)s has more than %(places)d decimal places")
            % {"value": value, "places": places}
        )
    if parsed.adjusted() + 1 > max_digits - places:
        raise CellError(_("%(value)s is too large") % {"value": value})
    return parsed


def money(value: str) -> Decimal | None:
    """An amount of money, to the cent; empty means no amount."""
    if not value:
        return None
    parsed = number(value, places=2, max_digits=19, signed=True)
    # The amount rule of every door (commitments.rules): more than zero, within the limit.
    wrong = rules.amount_problem(parsed, "", required=False)
    if wrong:
        raise CellError(wrong)
    return parsed


def choice(value: str, allowed: Iterable[str], *, default: str | None = None) -> str:
    """One of the allowed values; case and spaces or hyphens for underscores do not matter."""
    options = allowed if isinstance(allowed, tuple | list) else list(allowed)
    if value in options:
        return value  # as written: nothing to fold (the common case, in a large file)
    if not value:
        if default is None:
            raise CellError(_("empty; one of %(options)s") % {"options": ", ".join(options)})
        return default
    folded = re.sub(r"[\s-]+", "_", value.strip().casefold())
    if folded in options:
        return folded
    raise CellError(
        _("“%(value)s” is not one of %(options)s") % {"value": value, "options": ", ".join(options)}
    )


REGION_NAMES = {"region", "regional", "region (no country named)"}


@functools.cache
def _country_names() -> dict[str, str]:
    """Each ISO 3166-1 country's code by its code and by its name in English and Spanish,
    folded (the shipped code list: any country, not only an initiative's)."""
    names: dict[str, str] = {}
    for code, name in code_list().items():
        names[folded(name.en)] = code
        names[folded(name.es)] = code
    for code in code_list():
        names[folded(code)] = code
    return names


def country(part: str) -> str | None:
    """The country code that `part` names (GT, gt, Guatemala, el salvador …), or None."""
    return _country_names().get(folded(part))


@functools.lru_cache(maxsize=4096)
def countries(value: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Countries separated by ';' (or ','), by code or name in English or Spanish, or REGION
    (no country named: the empty tuple); each one of `allowed` (the initiative's countries)."""
    listed = ", ".join(allowed)
    if not value:
        raise CellError(
            _("empty; give %(countries)s separated by ';', or %(region)s")
            % {"countries": listed, "region": REGION}
        )
    if folded(value) in REGION_NAMES:
        return ()
    codes: list[str] = []
    for part in re.split(r"[;,]", value):
        if folded(part) in REGION_NAMES:
            raise CellError(_("%(region)s cannot be combined with countries") % {"region": REGION})
        code = country(part)
        if code is None:
            raise CellError(
                _(
                    "unknown country “%(code)s” (use %(countries)s or the countries' names, "
                    "separated by ';', or %(region)s)"
                )
                % {"code": part.strip(), "countries": listed, "region": REGION}
            )
        if code not in allowed:
            raise CellError(
                _("%(code)s is not one of the initiative's countries (%(countries)s)")
                % {"code": code, "countries": listed}
            )
        if code in codes:
            raise CellError(_("%(code)s is named twice") % {"code": code})
        codes.append(code)
    return tuple(codes)


def initiative(value: str, slug: str) -> str:
    """A row's `initiative` column (a download has it): empty, or the initiative the file is
    imported into; a row of another initiative is refused rather than moved."""
    written = value.strip()
    if written and written != slug:
        raise CellError(
            _(
                "this row is of the initiative “%(row)s”, and the file is imported into "
                "“%(slug)s”: import it into “%(row)s” instead"
            )
            % {"row": written, "slug": slug}
        )
    return slug


def shares(value: str, named: tuple[str, ...]) -> dict[str, Decimal]:
    """Percentages per country, "GT:60;SV:40": the countries named, adding up to 100."""
    found: dict[str, Decimal] = {}
    for part in value.split(";"):
        name, sep, percent = part.partition(":")
        code = country(name) or ""
        if not sep or not code:
            raise CellError(
                _("“%(part)s” is not a share (write e.g. GT:60;SV:40)") % {"part": part.strip()}
            )
        if code in found:
            raise CellError(_("%(code)s is named twice") % {"code": code})
        found[code] = number(percent.strip(), places=2, max_digits=5)
    if not named:
        raise CellError(_("shares need countries, not REGION"))
    if set(found) != set(named):
        raise CellError(
            _("shares name %(shares)s but the countries are %(countries)s")
            % {"shares": ";".join(sorted(found)), "countries": ";".join(sorted(named))}
        )
    wrong = rules.shares_problem(dict(found))
    if wrong:
        raise CellError(wrong)
    return {code: found[code] for code in named}


def currency(value: str) -> str:
    code = value.strip().upper()
    if not _CURRENCY.match(code):
        raise CellError(
            _("“%(value)s” is not a currency code (three letters, e.g. GTQ)") % {"value": value}
        )
    return code


#: A web address as its site ("https://example.org") and the rest ("/a/page?x#y"), if it has
#: neither a user nor a port: the site is checked once, and the rest as URLValidator does.
_SITE_AND_REST = re.compile(r"([a-zA-Z][a-zA-Z0-9.+-]*://[^/?#@:\s]+)(?:[/?#]\S*)?\Z")


@functools.lru_cache(maxsize=1024)
def _valid_site(site: str) -> bool:
    try:
        _url_validator(site)
    except ValidationError:
        return False
    return True


def url(value: str, *, required: bool) -> str:
    if not value:
        if required:
            raise CellError(_("empty; a source URL is required"))
        return ""
    text(value, max_length=1000)
    parts = _SITE_AND_REST.match(value)
    if parts is not None and _valid_site(parts[1]):
        # URLValidator accepts any rest starting with / ? or # and holding no white space
        # after a site it accepts (a file's sources are mostly on a few sites).
        return value
    try:
        _url_validator(value)
    except ValidationError:
        raise CellError(
            _("“%(value)s” is not a web address (http or https)") % {"value": value}
        ) from None
    return value
