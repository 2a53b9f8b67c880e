"""Checking an IATI activity document: the official XSD, the codelists, and the main rules.

Three independent checks, each returning a list of `Problem` (empty when the document passes):

- `Validator.schema`: the official IATI 2.03 XSD (iati-activities-schema.xsd and the files it
  includes, read from a local folder; nothing is fetched).
- `Validator.codelists`: every coded value, found through the official mapping.xml (XPath of
  each coded attribute → codelist, with its condition), against the codelist files. A value
  whose codelist is not available is a problem too: nothing coded goes unchecked.
- `Validator.rules`: the rules of the IATI ruleset (rulesets/standard.json) that the export
  must keep: percentages adding up to 100, dates in order and not in the future, a start date,
  a sector, identifiers, narratives.

The schemas and codelists are not shipped with the package: give their folders (in the
project's workspace, ../shared/iati; see tests/iati/conftest.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils import timezone
from lxml import etree

from adelante.iati.xmlsafe import safe_parser

HUNDRED = Decimal(100)
XML_NS = "http://www.w3.org/XML/1998/namespace"


@dataclass(frozen=True)
class Problem:
    check: str  # "schema", "codelist" or "rule"
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{self.check}: {where}{self.message}"


@dataclass(frozen=True)
class Mapping:
    path: str
    codelist: str
    condition: str | None

    @property
    def xpath(self) -> str:
        """The path with its condition applied to the element that carries the value."""
        if not self.condition:
            return self.path
        parent, _slash, last = self.path.rpartition("/")
        return f"{parent}[{self.condition}]/{last}"


@dataclass(frozen=True)
class Codelist:
    name: str
    codes: frozenset[str]
    withdrawn: frozenset[str]


def read_mappings(mapping_file: Path) -> list[Mapping]:
    """The activity-file entries of mapping.xml (organisation-file entries are left out)."""
    root = etree.parse(str(mapping_file), safe_parser()).getroot()
    mappings = []
    for item in root.iterchildren("mapping"):
        path = (item.findtext("path") or "").strip()
        codelist = item.find("codelist")
        if not path or codelist is None or "iati-organisation" in path:
            continue
        condition = (item.findtext("condition") or "").strip() or None
        mappings.append(Mapping(path, codelist.get("ref", ""), condition))
    return mappings


def read_codelist(path: Path) -> Codelist:
    root = etree.parse(str(path), safe_parser()).getroot()
    codes, withdrawn = set(), set()
    for item in root.iter("codelist-item"):
        code = (item.findtext("code") or "").strip()
        if code:
            codes.add(code)
            if item.get("status") == "withdrawn":
                withdrawn.add(code)
    return Codelist(root.get("name") or path.stem, frozenset(codes), frozenset(withdrawn))


class Validator:
    """The three checks over a schema folder, a mapping file and codelist folders."""

    def __init__(self, schema_dir: Path, mapping_file: Path, codelist_dirs: Sequence[Path]) -> None:
        schema_doc = etree.parse(str(schema_dir / "iati-activities-schema.xsd"), safe_parser())
        self._schema = etree.XMLSchema(schema_doc)
        self.mappings = read_mappings(mapping_file)
        self.codelist_dirs = list(codelist_dirs)
        self._codelists: dict[str, Codelist | None] = {}

    @classmethod
    def from_shared(cls, iati_dir: Path, *extra_codelists: Path) -> Validator:
        """From a folder laid out as ../shared/iati (schemas/, codelists/mapping.xml)."""
        return cls(
            iati_dir / "schemas",
            iati_dir / "codelists" / "mapping.xml",
            [iati_dir / "codelists", *extra_codelists],
        )

    def codelist(self, name: str) -> Codelist | None:
        if name not in self._codelists:
            found = next(
                (d / f"{name}.xml" for d in self.codelist_dirs if (d / f"{name}.xml").is_file()),
                None,
            )
            self._codelists[name] = read_codelist(found) if found else None
        return self._codelists[name]

    def validate(self, document: Any, *, today: datetime.date | None = None) -> list[Problem]:
        return self.schema(document) + self.codelists(document) + rules(document, today=today)

    def schema(self, document: Any) -> list[Problem]:
        if self._schema.validate(document):
            return []
        return [Problem("schema", e.line, e.message) for e in self._schema.error_log]

    def codelists(self, document: Any) -> list[Problem]:
        problems = []
        for mapping in self.mappings:
            found = document.xpath(mapping.xpath)
            if not found:
                continue
            codelist = self.codelist(mapping.codelist)
            for value in found:
                text = str(value).strip()
                line = _line(value)
                if codelist is None:
                    problems.append(
                        Problem(
                            "codelist",
                            line,
                            f"{mapping.path} = {text!r}: codelist {mapping.codelist} is not "
                            "available to check it",
                        )
                    )
                elif text not in codelist.codes:
                    problems.append(
                        Problem(
                            "codelist",
                            line,
                            f"{mapping.path} = {text!r} is not in codelist {mapping.codelist}",
                        )
                    )
                elif text in codelist.withdrawn:
                    problems.append(
                        Problem(
                            "codelist",
                            line,
                            f"{mapping.path} = {text!r} is withdrawn from {mapping.codelist}",
                        )
                    )
        return problems


def _line(value: Any) -> int | None:
    parent = value.getparent() if hasattr(value, "getparent") else None
    return parent.sourceline if parent is not None else None


# -- Rules -----------------------------------------------------------------------------------


def _number(text: str | None) -> Decimal | None:
    try:
        return Decimal((text or "").strip())
    except InvalidOperation:
        return None


def _day(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def _dates(activity: Any, kind: str) -> list[datetime.date]:
    found = (_day(d.get("iso-date")) for d in activity.iterchildren("activity-date"))
    types = (d.get("type") for d in activity.iterchildren("activity-date"))
    return [day for day, t in zip(found, types, strict=True) if t == kind and day is not None]


def _has_narrative(element: Any) -> bool:
    return any((n.text or "").strip() for n in element.iterchildren("narrative"))


def _percentages_problem(elements: Iterable[Any], what: str, line: int | None) -> list[Problem]:
    """Several elements: each with a percentage, adding up to 100. One: none or 100."""
    items = list(elements)
    values = [
        _number(e.get("percentage")) if e.get("percentage") is not None else None for e in items
    ]
    problems = [
        Problem("rule", line, f"{what} percentage {v} is not between 0 and 100")
        for v in values
        if v is not None and not (0 <= v <= HUNDRED)
    ]
    if len(items) == 1:
        if values[0] is not None and values[0] != HUNDRED:
            problems.append(Problem("rule", line, f"a single {what} must have 100 % or none"))
    elif len(items) > 1:
        if any(v is None for v in values):
            problems.append(Problem("rule", line, f"several {what}s: each needs a percentage"))
        elif sum(v for v in values if v is not None) != HUNDRED:
            total = sum(v for v in values if v is not None)
            problems.append(Problem("rule", line, f"{what} percentages add up to {total}, not 100"))
    return problems


def rules(document: Any, *, today: datetime.date | None = None) -> list[Problem]:
    """The ruleset's checks that an exported activity must pass (docs/iati.md)."""
    today = today or timezone.localdate()
    problems: list[Problem] = []
    root = document.getroot() if hasattr(document, "getroot") else document
    for activity in root.iterchildren("iati-activity"):
        line = activity.sourceline
        add = problems.append
        identifier = (activity.findtext("iati-identifier") or "").strip()
        reporting = activity.find("reporting-org")
        ref = (reporting.get("ref") or "").strip() if reporting is not None else ""
        if identifier == ref:
            add(Problem("rule", line, "the identifier equals the reporting organisation's"))
        if ref and not identifier.startswith(ref + "-"):
            add(Problem("rule", line, f"{identifier!r} does not start with {ref!r}-"))
        if any(c in identifier for c in "/&|?") or identifier != identifier.strip():
            add(Problem("rule", line, f"{identifier!r}: forbidden characters or spaces"))

        if not _dates(activity, "1") and not _dates(activity, "2"):
            add(Problem("rule", line, "no planned or actual start date"))
        for start, end, what in (("1", "3", "planned"), ("2", "4", "actual")):
            for s in _dates(activity, start):
                for e in _dates(activity, end):
                    if s > e:
                        add(Problem("rule", line, f"{what} start {s} after {what} end {e}"))
        for kind in ("2", "4"):
            for day in _dates(activity, kind):
                if day > today:
                    add(Problem("rule", line, f"actual date {day} is in the future"))
        updated = activity.get("last-updated-datetime")
        if updated and _day(updated) and _day(updated) > today:  # type: ignore[operator]
            add(Problem("rule", line, "last-updated-datetime is in the future"))

        for tag in ("title", "description"):
            for element in activity.iterchildren(tag):
                if not _has_narrative(element):
                    add(Problem("rule", element.sourceline, f"{tag} without narrative text"))
        if activity.get(f"{{{XML_NS}}}lang") is None:
            for narrative in activity.iter("narrative"):
                if narrative.get(f"{{{XML_NS}}}lang") is None:
                    add(Problem("rule", narrative.sourceline, "narrative without a language"))
        for org in activity.iterchildren("participating-org"):
            if not (org.get("ref") or "").strip() and not _has_narrative(org):
                add(Problem("rule", org.sourceline, "participating-org without ref or name"))

        transactions = list(activity.iterchildren("transaction"))
        sectors = list(activity.iterchildren("sector"))
        if not sectors and not (
            transactions and all(t.find("sector") is not None for t in transactions)
        ):
            add(Problem("rule", line, "no sector at activity level or on every transaction"))
        if sectors and any(t.find("sector") is not None for t in transactions):
            add(Problem("rule", line, "sectors both on the activity and on transactions"))
        by_vocabulary: dict[str, list[Any]] = {}
        for sector in sectors:
            by_vocabulary.setdefault(sector.get("vocabulary") or "1", []).append(sector)
        for vocabulary, items in by_vocabulary.items():
            problems += _percentages_problem(items, f"sector (vocabulary {vocabulary})", line)

        countries = list(activity.iterchildren("recipient-country"))
        regions = list(activity.iterchildren("recipient-region"))
        if regions or countries:
            if any(
                t.find("recipient-country") is not None or t.find("recipient-region") is not None
                for t in transactions
            ):
                add(Problem("rule", line, "countries both on the activity and on transactions"))
            problems += _percentages_problem(countries + regions, "recipient country/region", line)
        elif not transactions or any(
            t.find("recipient-country") is None and t.find("recipient-region") is None
            for t in transactions
        ):
            add(Problem("rule", line, "no recipient country or region"))

        currency = activity.get("default-currency")
        for transaction in transactions:
            value = transaction.find("value")
            if value is not None and not currency and not value.get("currency"):
                add(Problem("rule", transaction.sourceline, "a value without a currency"))
            dated = transaction.find("transaction-date")
            on = _day(dated.get("iso-date")) if dated is not None else None
            value_day = _day(value.get("value-date")) if value is not None else None
            for d in (on, value_day):
                if d is not None and d > today:
                    add(
                        Problem(
                            "rule", transaction.sourceline, f"transaction date {d} is in the future"
                        )
                    )
            for org_tag in ("provider-org", "receiver-org"):
                org = transaction.find(org_tag)
                if (
                    org is not None
                    and not (org.get("ref") or "").strip()
                    and not _has_narrative(org)
                ):
                    add(Problem("rule", org.sourceline, f"{org_tag} without ref or name"))

        for indicator in activity.iterfind("result/indicator"):
            measured = indicator.get("measure") in ("1", "2", "3", "4")
            for period in indicator.iterchildren("period"):
                begins = _day(period.find("period-start").get("iso-date"))
                ends = _day(period.find("period-end").get("iso-date"))
                if begins and ends and begins > ends:
                    add(Problem("rule", period.sourceline, f"period start {begins} after {ends}"))
                for tag in ("target", "actual"):
                    for item in period.iterchildren(tag):
                        if measured and _number(item.get("value")) is None:
                            add(Problem("rule", item.sourceline, f"{tag} without a numeric value"))
    return problems
