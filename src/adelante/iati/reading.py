"""Reading one IATI activity element (versions 2.01 to 2.03) into plain values.

No database here: `read_activity` turns an lxml element into a `ParsedActivity`, and reports
what it had to leave out (a transaction without a valid value or date) as warnings with the
line. What is kept, and why, is in docs/iati.md ("Import").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from adelante.money.fields import MAX_VALUE

#: The countries whose official aid Adelante keeps.
COUNTRIES = frozenset({"GT", "SV", "HN"})
#: IATI versions the import reads.
VERSIONS = ("2.01", "2.02", "2.03")

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HUNDRED = Decimal(100)
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
DATE_TYPES = {"1": "planned_start", "2": "actual_start", "3": "planned_end", "4": "actual_end"}


@dataclass
class ParsedTransaction:
    ref: str
    type: str
    date: datetime.date
    value: Decimal
    value_text: str
    currency: str
    value_date: datetime.date
    recipient_country: str


@dataclass
class ParsedActivity:
    identifier: str
    line: int
    last_updated: datetime.datetime | None
    fields: dict[str, Any] = field(default_factory=dict)
    #: (country, percentage as published, share allocated)
    countries: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)
    #: (vocabulary, code, name, percentage)
    sectors: list[tuple[str, str, str, Decimal | None]] = field(default_factory=list)
    transactions: list[ParsedTransaction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# -- Values ----------------------------------------------------------------------------------


def parse_decimal(text: str | None) -> Decimal | None:
    """An exact decimal from xsd:decimal text ("1152940", "-12.5"); None if it is not one."""
    if text is None:
        return None
    text = text.strip()
    if not _DECIMAL.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None


def parse_date(text: str | None) -> datetime.date | None:
    """An xsd:date ("2022-09-21"); a date-time or a trailing time zone is tolerated."""
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def parse_datetime(text: str | None) -> datetime.datetime | None:
    """An xsd:dateTime; without a time zone it is read as UTC."""
    if not text:
        return None
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        day = parse_date(text)
        if day is None:
            return None
        value = datetime.datetime.combine(day, datetime.time.min)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def parse_percentage(text: str | None) -> Decimal | None:
    value = parse_decimal(text)
    if value is None or value < 0 or value > HUNDRED:
        return None
    return value


def narratives(element: Any, default_lang: str) -> dict[str, str]:
    """The element's narratives by language (the activity's language when not stated)."""
    found: dict[str, str] = {}
    if element is None:
        return found
    for narrative in element.iterchildren("narrative"):
        text = (narrative.text or "").strip()
        if text:
            lang = (narrative.get(XML_LANG) or default_lang or "en").lower()
            found.setdefault(lang, text)
    return found


def english_or_first(texts: dict[str, str]) -> str:
    if "en" in texts:
        return texts["en"]
    return next(iter(texts.values()), "")


def is_newer(incoming: datetime.datetime | None, stored: datetime.datetime | None) -> bool | None:
    """Whether an incoming version replaces the stored one: True, False, or None (same).

    The later last-updated-datetime wins; the same one is the same version. When either
    version has none, the version imported last wins.
    """
    if incoming is None or stored is None:
        return True
    if incoming == stored:
        return None
    return incoming > stored


# -- Countries -------------------------------------------------------------------------------


def activity_countries(activity: Any) -> list[tuple[str, Decimal | None]]:
    """The recipient countries the activity itself names, with their published percentages."""
    found: dict[str, Decimal | None] = {}
    for element in activity.iterchildren("recipient-country"):
        code = (element.get("code") or "").strip().upper()
        if not code:
            continue
        percentage = parse_percentage(element.get("percentage"))
        if code in found:
            earlier = found[code]
            found[code] = earlier + percentage if earlier is not None and percentage else earlier
        else:
            found[code] = percentage
    return list(found.items())


def transaction_countries(activity: Any) -> list[str]:
    found: dict[str, None] = {}
    for transaction in activity.iterchildren("transaction"):
        element = transaction.find("recipient-country")
        if element is not None:
            code = (element.get("code") or "").strip().upper()
            if code:
                found[code] = None
    return list(found)


def allocated_shares(
    countries: list[tuple[str, Decimal | None]],
) -> list[tuple[str, Decimal | None, Decimal | None]]:
    """Each country with its published percentage and the share allocated to it.

    A sole country without a percentage takes 100; several countries without percentages
    allocate nothing (their money is not split by guesswork).
    """
    if len(countries) == 1 and countries[0][1] is None:
        return [(countries[0][0], None, HUNDRED)]
    return [(code, percentage, percentage) for code, percentage in countries]


def concerns(codes: list[str]) -> bool:
    return any(code in COUNTRIES for code in codes)


# -- The activity ----------------------------------------------------------------------------


def read_activity(element: Any) -> ParsedActivity:
    """Everything the import keeps of one activity."""
    lang = (element.get(XML_LANG) or "en").lower()
    identifier = (element.findtext("iati-identifier") or "").strip()
    parsed = ParsedActivity(
        identifier=identifier,
        line=element.sourceline or 0,
        last_updated=parse_datetime(element.get("last-updated-datetime")),
    )
    default_currency = (element.get("default-currency") or "").strip().upper()
    reporting = element.find("reporting-org")
    titles = narratives(element.find("title"), lang)
    fields: dict[str, Any] = {
        "publisher_ref": (reporting.get("ref") or "").strip() if reporting is not None else "",
        "publisher_name": english_or_first(narratives(reporting, lang))[:500],
        "publisher_type": (reporting.get("type") or "").strip()[:4]
        if reporting is not None
        else "",
        "title": english_or_first(titles),
        "title_es": titles.get("es", ""),
        "default_currency": default_currency[:3],
        "planned_start": None,
        "actual_start": None,
        "planned_end": None,
        "actual_end": None,
    }
    status = element.find("activity-status")
    fields["status"] = (status.get("code") or "").strip()[:2] if status is not None else ""
    for date_element in element.iterchildren("activity-date"):
        name = DATE_TYPES.get((date_element.get("type") or "").strip())
        if name:
            fields[name] = parse_date(date_element.get("iso-date"))
    parsed.fields = fields

    own = activity_countries(element)
    fields["countries_from_transactions"] = not own
    if own:
        parsed.countries = allocated_shares(own)
    else:
        parsed.countries = [(code, None, None) for code in transaction_countries(element)]
        if len(parsed.countries) == 1:
            parsed.countries = [(parsed.countries[0][0], None, HUNDRED)]

    parsed.sectors = _sectors(element.iterchildren("sector"), lang)
    transaction_sectors: list[Any] = []
    for transaction in element.iterchildren("transaction"):
        if not parsed.sectors:
            transaction_sectors.extend(transaction.iterchildren("sector"))
        made = _transaction(transaction, default_currency, parsed.warnings)
        if made is not None:
            parsed.transactions.append(made)
    if not parsed.sectors and transaction_sectors:
        # Sectors given on transactions: the activity's sectors, without percentages.
        parsed.sectors = [(v, c, n, None) for v, c, n, _p in _sectors(transaction_sectors, lang)]
    return parsed


def _sectors(elements: Any, lang: str) -> list[tuple[str, str, str, Decimal | None]]:
    found: dict[tuple[str, str], tuple[str, str, str, Decimal | None]] = {}
    for element in elements:
        code = (element.get("code") or "").strip()
        if not code:
            continue
        vocabulary = (element.get("vocabulary") or "1").strip() or "1"
        key = (vocabulary[:10], code[:100])
        if key not in found:
            name = english_or_first(narratives(element, lang))[:500]
            found[key] = (*key, name, parse_percentage(element.get("percentage")))
    return list(found.values())


def _transaction(
    element: Any, default_currency: str, warnings: list[str]
) -> ParsedTransaction | None:
    line = element.sourceline or 0
    type_element = element.find("transaction-type")
    kind = (type_element.get("code") or "").strip() if type_element is not None else ""
    date_element = element.find("transaction-date")
    date = parse_date(date_element.get("iso-date")) if date_element is not None else None
    value_element = element.find("value")
    text = (value_element.text or "").strip() if value_element is not None else ""
    value = parse_decimal(text)
    problem = None
    if not kind:
        problem = _("a transaction without a type")
    elif value is None:
        problem = _("a transaction whose value “%(value)s” is not a decimal number") % {
            "value": text[:40]
        }
    elif abs(value) > MAX_VALUE:
        problem = _("a transaction value too large to store: %(value)s") % {"value": text[:40]}
    value_date = parse_date(value_element.get("value-date")) if value_element is not None else None
    value_date = value_date or date
    date = date or value_date
    if problem is None and (date is None or value_date is None):
        problem = _("a transaction without a valid date")
    if problem is not None:
        warnings.append(
            _("line %(line)d: %(problem)s, left out") % {"line": line, "problem": problem}
        )
        return None
    assert value is not None and date is not None and value_date is not None
    currency = (value_element.get("currency") or "").strip().upper() or default_currency
    country_element = element.find("recipient-country")
    country = (
        (country_element.get("code") or "").strip().upper() if country_element is not None else ""
    )
    return ParsedTransaction(
        ref=(element.get("ref") or "").strip()[:255],
        type=kind[:3],
        date=date,
        value=value,
        value_text=text[:60],
        currency=currency[:3],
        value_date=value_date,
        recipient_country=country[:2],
    )
