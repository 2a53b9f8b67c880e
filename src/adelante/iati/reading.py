"""Reading one IATI activity element (versions 2.01 to 2.03) into plain values.

No database here: `read_activity` turns an lxml element into a `ParsedActivity`, and reports
what it had to leave out (a transaction without a valid value or date) as warnings with the
line. What is kept, and why, is in docs/iati.md ("Import").
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from adelante.initiatives.models import InitiativeCountry
from adelante.money.fields import MAX_VALUE

#: The countries whose official aid Adelante keeps: the record's.
#: Transaction types kept: 2, outgoing commitment, and 3, disbursement. Others (incoming
#: funds, expenditure, repayments...) are read past.
KEPT_TRANSACTION_TYPES = frozenset({"2", "3"})
#: IATI versions the import reads.
VERSIONS = ("2.01", "2.02", "2.03")

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HUNDRED = Decimal(100)
DATE_TYPES = {"1": "planned_start", "2": "actual_start", "3": "planned_end", "4": "actual_end"}


@dataclass(slots=True)
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
    #: Whether the activity names Guatemala, El Salvador or Honduras (else nothing more is read).
    concerns: bool = False


# -- Values ----------------------------------------------------------------------------------


def parse_decimal(text: str | None) -> Decimal | None:
    """An exact decimal from xsd:decimal text ("1152940", "-12.5"); None if it is not one.

    Only digits, one optional point and one optional leading sign: no exponent, no
    thousands separators, no "NaN" or "Infinity".
    """
    if not text:
        return None
    text = text.strip()
    digits = text[1:] if text[:1] in ("+", "-") else text
    digits = digits.replace(".", "", 1)
    if not (digits.isascii() and digits.isdigit()):
        return None
    return Decimal(text)


@functools.lru_cache(maxsize=8192)
def parse_date(text: str | None) -> datetime.date | None:
    """An xsd:date ("2022-09-21"); a date-time or a trailing time zone is tolerated.

    Cached (bounded): files repeat the same dates many times.
    """
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
        _add_country(found, element)
    return list(found.items())


def transaction_countries(activity: Any) -> list[str]:
    """The recipient countries the activity's transactions name."""
    codes = (code.strip().upper() for code in _COUNTRIES(activity))
    return [code for code in dict.fromkeys(codes) if code]


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


def concerns(codes: list[str], countries: frozenset[str] | None = None) -> bool:
    """Whether the activity names a country of any initiative hosted here (official aid is the
    installation's context, shown beside each initiative's countries)."""
    hosted = hosted_countries() if countries is None else countries
    return any(code in hosted for code in codes)


def hosted_countries() -> frozenset[str]:
    """Every country of every initiative."""
    return frozenset(InitiativeCountry.objects.values_list("code", flat=True))


# -- The activity ----------------------------------------------------------------------------


#: The activity's own children that the import reads (transactions are read apart).
_WANTED = (
    "iati-identifier",
    "reporting-org",
    "title",
    "activity-status",
    "activity-date",
    "recipient-country",
    "sector",
)
# Per activity, one call returns a field of every transaction (C-level, no element objects).
_COUNTRIES = etree.XPath("transaction/recipient-country/@code", smart_strings=False)
_SECTORS = etree.XPath("transaction/sector")


def read_activity(element: Any, countries: frozenset[str] | None = None) -> ParsedActivity:
    """Everything the import keeps of one activity; for an activity that names none of the
    three countries, only its identifier, dates and countries."""
    lang = (element.get(XML_LANG) or "en").lower()
    default_currency = (element.get("default-currency") or "").strip().upper()[:3]
    parsed = ParsedActivity(
        identifier="",
        line=element.sourceline or 0,
        last_updated=parse_datetime(element.get("last-updated-datetime")),
    )
    fields: dict[str, Any] = {
        "publisher_ref": "",
        "publisher_name": "",
        "publisher_type": "",
        "title": "",
        "title_es": "",
        "status": "",
        "default_currency": default_currency,
        "planned_start": None,
        "actual_start": None,
        "planned_end": None,
        "actual_end": None,
    }
    own: dict[str, Decimal | None] = {}
    sectors: list[Any] = []
    for child in element.iterchildren(*_WANTED):
        tag = child.tag
        if tag == "iati-identifier":
            parsed.identifier = (child.text or "").strip()
        elif tag == "reporting-org":
            fields["publisher_ref"] = (child.get("ref") or "").strip()[:200]
            fields["publisher_type"] = (child.get("type") or "").strip()[:4]
            fields["publisher_name"] = english_or_first(narratives(child, lang))[:500]
        elif tag == "title":
            titles = narratives(child, lang)
            fields["title"] = english_or_first(titles)
            fields["title_es"] = titles.get("es", "")
        elif tag == "activity-status":
            fields["status"] = (child.get("code") or "").strip()[:2]
        elif tag == "activity-date":
            name = DATE_TYPES.get((child.get("type") or "").strip())
            if name:
                fields[name] = parse_date(child.get("iso-date"))
        elif tag == "recipient-country":
            _add_country(own, child)
        elif tag == "sector":
            sectors.append(child)
    parsed.fields = fields
    fields["countries_from_transactions"] = not own
    if own:
        parsed.countries = allocated_shares(list(own.items()))
    else:
        codes = transaction_countries(element)
        share = HUNDRED if len(codes) == 1 else None
        parsed.countries = [(code, None, share) for code in codes]
    parsed.concerns = concerns([code for code, _pct, _share in parsed.countries], countries)
    if not parsed.concerns:
        # Not kept: what decides about an earlier version is enough.
        return parsed
    parsed.transactions = _transactions(element, default_currency, parsed.warnings, not own)
    if sectors:
        parsed.sectors = _sectors(sectors, lang)
    else:
        # Sectors given on transactions: the activity's sectors, without percentages.
        parsed.sectors = [(v, c, n, None) for v, c, n, _p in _sectors(_SECTORS(element), lang)]
    return parsed


def _transactions(
    element: Any, default_currency: str, warnings: list[str], countries: bool
) -> list[ParsedTransaction]:
    """The activity's transactions of the kept types (the import's hottest loop).

    The schema puts a transaction's type, date and value first, in that order: they are read
    by position, and a transaction of another type is passed over before anything else is
    read. A transaction that does not follow that order, or with anything amiss, goes through
    `_transaction`, which reads it child by child and says what is wrong.
    """
    made = []
    for transaction in element.iterchildren("transaction"):
        if len(transaction) < 3:
            one = _transaction(transaction, default_currency, warnings, countries)
        else:
            kind_element, date_element, value_element = (
                transaction[0],
                transaction[1],
                transaction[2],
            )
            if (
                kind_element.tag != "transaction-type"
                or date_element.tag != "transaction-date"
                or value_element.tag != "value"
            ):
                one = _transaction(transaction, default_currency, warnings, countries)
            else:
                kind = (kind_element.get("code") or "").strip()
                if kind not in KEPT_TRANSACTION_TYPES:
                    continue
                text = (value_element.text or "").strip()
                value = parse_decimal(text)
                date = parse_date(date_element.get("iso-date"))
                value_date = parse_date(value_element.get("value-date")) or date
                if value is None or date is None or value_date is None or abs(value) > MAX_VALUE:
                    one = _transaction(transaction, default_currency, warnings, countries)
                else:
                    currency = value_element.get("currency")
                    one = ParsedTransaction(
                        (transaction.get("ref") or "").strip()[:255],
                        kind,
                        date,
                        value,
                        text[:60],
                        (currency.strip().upper() if currency else default_currency)[:3],
                        value_date,
                        _country_of(transaction).strip().upper()[:2] if countries else "",
                    )
        if one is not None:
            made.append(one)
    return made


def _country_of(transaction: Any) -> str:
    found = next(transaction.iterchildren("recipient-country"), None)
    return (found.get("code") or "") if found is not None else ""


def _add_country(found: dict[str, Decimal | None], element: Any) -> None:
    code = (element.get("code") or "").strip().upper()
    if not code:
        return
    percentage = parse_percentage(element.get("percentage"))
    if code in found:
        earlier = found[code]
        found[code] = earlier + percentage if earlier is not None and percentage else earlier
    else:
        found[code] = percentage


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
    element: Any, default_currency: str, warnings: list[str], countries: bool
) -> ParsedTransaction | None:
    """One transaction read child by child (when the fast path does not apply)."""
    kind = ""
    date = None
    value_element = None
    for child in element.iterchildren("transaction-type", "transaction-date", "value"):
        if child.tag == "transaction-type":
            kind = child.get("code") or ""
        elif child.tag == "transaction-date":
            date = parse_date(child.get("iso-date"))
        else:
            value_element = child
    return _make_transaction(
        kind,
        date,
        value_element,
        element.get("ref") or "",
        _country_of(element) if countries else "",
        default_currency,
        warnings,
        line=element.sourceline,
    )


def _make_transaction(
    kind: str,
    date: datetime.date | None,
    value_element: Any,
    ref: str,
    country: str,
    default_currency: str,
    warnings: list[str],
    *,
    line: int | None = None,
) -> ParsedTransaction | None:
    kind = kind.strip()
    if kind and kind not in KEPT_TRANSACTION_TYPES:
        return None
    text = currency = ""
    value = value_date = None
    if value_element is not None:
        text = (value_element.text or "").strip()
        value = parse_decimal(text)
        value_date = parse_date(value_element.get("value-date"))
        currency = (value_element.get("currency") or "").strip().upper()
    value_date = value_date or date
    date = date or value_date
    problem = None
    if not kind:
        problem = _("a transaction without a type")
    elif value is None:
        problem = _("a transaction whose value “%(value)s” is not a decimal number") % {
            "value": text[:40]
        }
    elif abs(value) > MAX_VALUE:
        problem = _("a transaction value too large to store: %(value)s") % {"value": text[:40]}
    elif date is None or value_date is None:
        problem = _("a transaction without a valid date")
    if problem is not None:
        if line is None and value_element is not None:
            line = value_element.getparent().sourceline
        warnings.append(
            _("line %(line)d: %(problem)s, left out") % {"line": line or 0, "problem": problem}
        )
        return None
    assert value is not None and date is not None and value_date is not None
    return ParsedTransaction(
        ref=ref.strip()[:255],
        type=kind[:3],
        date=date,
        value=value,
        value_text=text[:60],
        currency=(currency or default_currency)[:3],
        value_date=value_date,
        recipient_country=country.strip().upper()[:2],
    )
